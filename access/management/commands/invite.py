from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from access import accounts
from access.models import Partner, Role
from access.services import membership_set


class Command(BaseCommand):
    help = (
        "Invite une personne (le premier administrateur d'un déploiement, typiquement) : crée le compte "
        "s'il manque et affiche son lien d'invitation à usage unique. Creates the account if missing and "
        "prints its single-use invitation link."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--email", default="", help="Adresse de la personne (pour un compte créé ici).")
        parser.add_argument(
            "--administrator",
            action="store_true",
            help="Premier administrateur technique : statut équipe et superutilisateur, rôle d'administration "
            "chez --partner (le superutilisateur ne donne aucun accès au contenu des situations).",
        )
        parser.add_argument(
            "--role",
            choices=[role.value for role in Role],
            default="",
            help="Rôle de la personne chez --partner, qui doit exister (un déploiement scripté, le test de "
            "production) ; sinon le rôle se donne dans /admin/.",
        )
        parser.add_argument(
            "--partner", default="", help="Partenaire de la personne (pour --administrator : créé s'il manque)."
        )

    def handle(self, *args, username, email, administrator=False, partner="", role="", **options):
        if administrator and not partner:
            raise CommandError("--administrator demande --partner (par exemple « Ville de Lomme »).")
        if administrator and role:
            raise CommandError("--administrator donne déjà le rôle d'administration : pas de --role avec lui.")
        if role and not partner:
            raise CommandError("--role demande --partner.")
        member_of = None
        if role:
            member_of = Partner.objects.filter(name=partner).first()
            if member_of is None:
                raise CommandError(f"Aucun partenaire ne s'appelle « {partner} ».")
        User = get_user_model()
        user = User.objects.filter(username=username).first()
        if user is None:
            if not email:
                raise CommandError("Ce compte n'existe pas : donnez son adresse avec --email pour le créer.")
            user = User(username=username, email=email)
            user.set_unusable_password()
            user.save()
            self.stdout.write(f"Compte créé : {username}")
        if administrator:
            organisation, _created = Partner.objects.get_or_create(name=partner, defaults={"kind": Partner.Kind.CITY})
            user.is_staff = user.is_superuser = True
            user.save(update_fields=["is_staff", "is_superuser"])
            membership_set(user=user, partner=organisation, role=Role.ADMIN, by=None)
            self.stdout.write(f"Administrateur technique chez « {organisation} » : {username}")
        if member_of is not None:
            membership_set(user=user, partner=member_of, role=role, by=None)
            self.stdout.write(f"Rôle « {Role(role).label} » chez « {member_of} » : {username}")
        # The console that runs this command is trusted with the link: the very first administrator
        # has nobody to invite them. Everyone else receives theirs by e-mail (access.accounts.invitation_send).
        invitation, token = accounts.invitation_create(user=user, by=None)
        self.stdout.write(
            f"Lien d'invitation (à usage unique, valable jusqu'au {invitation.expires_at:%d/%m/%Y %H:%M} UTC) :\n"
            f"{accounts.invitation_url(token)}"
        )
