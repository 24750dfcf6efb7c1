"""Partners, memberships and roles, the ethics charter, and data keys.

Domain words: a *partenaire* is an organisation of the CLSPD (city, police, school, club de
prévention…); it may take part in the GSN only once its director has signed the *charte
déontologique*, and each of its people must accept the charter themselves before seeing anything.
"""

import os
import uuid

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from access.fields import EncryptedTextField
from core.keyring import KEY_BYTES, forget_cached, get_keyring, unwrap_cached

COORDINATION_GROUP = "GSN — coordination"


class Partner(models.Model):
    class Kind(models.TextChoices):
        CITY = "ville", _("Ville / CCAS")
        MUNICIPAL_POLICE = "police_municipale", _("Police municipale")
        NATIONAL_POLICE = "police_nationale", _("Police nationale / gendarmerie")
        PROSECUTOR = "parquet", _("Parquet")
        SCHOOL = "education", _("Éducation nationale")
        YOUTH_WORK = "prevention_specialisee", _("Prévention spécialisée")
        SOCIAL_CENTRE = "centre_social", _("Centre social")
        YOUTH_SERVICE = "jeunesse", _("Service jeunesse")
        MISSION_LOCALE = "mission_locale", _("Mission locale")
        PJJ = "pjj", _("Protection judiciaire de la jeunesse")
        LANDLORD = "bailleur", _("Bailleur social")
        DEPARTEMENT = "departement", _("Département (service social)")
        OTHER = "autre", _("Autre")

    name = models.CharField(_("nom"), max_length=150, unique=True)
    kind = models.CharField(_("type"), max_length=30, choices=Kind.choices)
    charter_signed_on = models.DateField(_("charte signée le"), null=True, blank=True)
    active = models.BooleanField(_("actif"), default=True)
    group = models.OneToOneField(Group, on_delete=models.PROTECT, editable=False, related_name="partner")

    class Meta:
        verbose_name = _("partenaire")
        verbose_name_plural = _("partenaires")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        # Each partner owns one Django group: object permissions are granted to it.
        if self.group_id is None:
            self.group = Group.objects.create(name=f"Partenaire — {self.name}"[:150])
        super().save(*args, **kwargs)

    @property
    def may_share(self) -> bool:
        """A partner takes part in the group only while active and bound by the signed charter."""
        return self.active and self.charter_signed_on is not None


class Role(models.TextChoices):
    STAFF = "intervenant", _("Intervenant·e d'un partenaire")
    COORDINATOR = "coordonnateur", _("Coordonnateur·rice")
    DPO = "dpo", _("Délégué·e à la protection des données")
    ADMIN = "admin", _("Administrateur·rice technique")


# Roles that may ever read case contents; the others see metadata only.
CASE_ROLES = {Role.STAFF, Role.COORDINATOR}


class Membership(models.Model):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership")
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("rôle"), max_length=20, choices=Role.choices)

    class Meta:
        verbose_name = _("appartenance")
        verbose_name_plural = _("appartenances")

    def __str__(self):
        return f"{self.user} — {self.partner} ({self.get_role_display()})"


class CharterVersion(models.Model):
    version = models.PositiveIntegerField(_("version"), unique=True)
    title = models.CharField(_("titre"), max_length=200)
    body = models.TextField(_("texte"))
    published_on = models.DateField(_("publiée le"), default=timezone.localdate)

    class Meta:
        verbose_name = _("version de la charte")
        verbose_name_plural = _("versions de la charte")
        ordering = ["-version"]

    def __str__(self):
        return f"{self.title} (v{self.version})"

    @classmethod
    def current(cls):
        return cls.objects.order_by("-version").first()


class CharterAcceptance(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="charter_acceptances")
    charter = models.ForeignKey(CharterVersion, on_delete=models.PROTECT, related_name="acceptances")
    accepted_at = models.DateTimeField(_("acceptée le"), default=timezone.now)

    class Meta:
        verbose_name = _("acceptation de la charte")
        verbose_name_plural = _("acceptations de la charte")
        constraints = [models.UniqueConstraint(fields=["user", "charter"], name="one_acceptance_per_version")]

    def __str__(self):
        return f"{self.user} — v{self.charter.version}"


class DataKey(models.Model):
    """A random data key, stored only wrapped by a master key (see core.keyring)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    wrapped = models.BinaryField(null=True)
    master_version = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)
    destroyed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["master_version"], name="datakey_master_version")]

    def __str__(self):
        return f"Clé {self.id}"

    @classmethod
    def generate(cls) -> "DataKey":
        key = cls(id=uuid.uuid4())
        key.wrapped, key.master_version = get_keyring().wrap(str(key.id), os.urandom(KEY_BYTES))
        key.save(force_insert=True)
        return key

    def plaintext(self) -> bytes:
        return unwrap_cached(str(self.id), self.wrapped, self.master_version)

    def destroy(self) -> None:
        """Crypto-shredding: once the wrapped key is gone, every value it protected is unreadable."""
        forget_cached(str(self.id))
        self.wrapped = None
        self.destroyed_at = timezone.now()
        self.save(update_fields=["wrapped", "destroyed_at"])


class BreakGlassAccess(models.Model):
    """An exceptional, time-limited read access a coordinator opened with a written reason.

    The reason is encrypted with the situation's data key: it may name the young person, and it
    must disappear with the situation. The DPO reads it to judge the access.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    situation = models.ForeignKey("casework.Situation", on_delete=models.CASCADE, related_name="+")
    data_key = models.ForeignKey(DataKey, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reason = EncryptedTextField(_("motif"))
    opened_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expire le"))
    closed_at = models.DateTimeField(_("refermé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("accès exceptionnel")
        verbose_name_plural = _("accès exceptionnels")
        ordering = ["-opened_at"]
        indexes = [
            models.Index(fields=["user", "situation"], name="breakglass_user_situation"),
            models.Index(fields=["expires_at"], condition=models.Q(closed_at__isnull=True), name="breakglass_open"),
        ]

    def __str__(self):
        return f"Accès exceptionnel {str(self.pk)[:8]}"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None and self.expires_at > timezone.now()


class AccountInvitation(models.Model):
    """A single-use link on which a person sets their password and enrols their second factor.

    Only a hash of the token is stored: the link itself exists in the e-mail (or, for the first
    administrator, on the console that created it), never in the database. It is used once, expires
    (`PARCOURS_INVITATION_HOURS`), and a newer invitation for the same person revokes it.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="account_invitations")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)
    expires_at = models.DateTimeField(_("expire le"))
    used_at = models.DateTimeField(_("utilisée le"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("remplacée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self):
        return f"Invitation {str(self.pk)[:8]}"

    @property
    def is_usable(self) -> bool:
        return self.used_at is None and self.revoked_at is None and self.expires_at > timezone.now()


class FactorReset(models.Model):
    """A lost second factor, reset by two people: one administrator asks, another administrator or the
    DPO confirms. Only then are the person's devices removed and a fresh invitation sent to them."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("compte"), on_delete=models.CASCADE, related_name="factor_resets"
    )
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now, editable=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("réinitialisation du second facteur")
        verbose_name_plural = _("réinitialisations du second facteur")
        ordering = ["-requested_at"]

    def __str__(self):
        return f"Réinitialisation {str(self.pk)[:8]}"


# --- The grant ledger (privacy invariant 4) ---------------------------------------------------------------
# Domain words: a *grant* (droit) lets one person, or every member of one partner, read (and perhaps
# change) one situation, for a stated reason, from a date, until an optional end. See access.ledger.


class Reason(models.TextChoices):
    AUTHOR_PARTNER = "partenaire_auteur", _("Partenaire à l'origine de la saisine")
    COORDINATION = "coordination", _("Coordination du groupe")
    REFERENT = "referent", _("Référent·e de parcours")
    SCHEME_OPERATOR = "operateur", _("Opérateur d'un dispositif (orientation)")
    SEANCE = "seance", _("Participant·e à une séance")
    BREAK_GLASS = "bris_de_glace", _("Accès exceptionnel (bris de glace)")
    ASSOCIATED_PARTNER = "partenaire_associe", _("Partenaire associé par le groupe")
    PREVIOUS_SAISINE = "saisine_precedente", _("Partenaire de la saisine précédente")


class Grant(models.Model):
    """The ledger's columns, on both of guardian's direct foreign-key tables (users, partners' groups).

    A row is one permission (`view_situation`, `change_situation` or `annotate_situation`) for one
    reason; several reasons for the same holder coexist as several rows, so that ending one leaves the
    others standing. `source_type`/`source_id` name what caused it (a referral, a séance, a break-glass
    access, an association, the previous saisine) without a foreign key to the apps above. A row is
    live while `ended_at` is empty and `expires_at` is empty or in the future: expiry is checked by
    every query at read time, never left to a periodic task (`access.ledger.expire` only tidies).
    """

    reason = models.CharField(_("motif"), max_length=24, choices=Reason.choices)
    source_type = models.CharField(_("à l'origine"), max_length=40, blank=True)
    source_id = models.CharField(_("identifiant de l'origine"), max_length=40, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("attribué par"), on_delete=models.PROTECT, null=True, related_name="+"
    )
    granted_at = models.DateTimeField(_("attribué le"), default=timezone.now)
    expires_at = models.DateTimeField(_("expire le"), null=True, blank=True)
    ended_at = models.DateTimeField(_("retiré le"), null=True, blank=True)
    ended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("retiré par"), on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        abstract = True

    def __str__(self):
        return f"Droit {self.pk} ({self.reason})"

    @property
    def reason_label(self) -> str:
        return Reason(self.reason).label


def grant_indexes(holder: str, prefix: str) -> list[models.Index]:
    """The same four indexes on both tables; `holder` is "user" or "group"."""
    live = models.Q(ended_at__isnull=True)
    return [
        # The read path: one probe per situation row, live rows only.
        models.Index(fields=["content_object", holder, "permission"], condition=live, name=f"{prefix}_live"),
        # A holder's grants, hashed once for a list.
        models.Index(fields=[holder, "permission", "content_object"], condition=live, name=f"{prefix}_holder"),
        models.Index(fields=["source_type", "source_id"], name=f"{prefix}_source"),
        models.Index(
            fields=["expires_at"], condition=live & models.Q(expires_at__isnull=False), name=f"{prefix}_expiry"
        ),
    ]


class SituationUserGrant(Grant, UserObjectPermissionBase):
    content_object = models.ForeignKey("casework.Situation", on_delete=models.CASCADE, related_name="user_grants")

    class Meta(UserObjectPermissionBase.Meta):
        verbose_name = _("droit d'une personne sur une situation")
        verbose_name_plural = _("droits des personnes sur les situations")
        # Several reasons for one holder coexist (guardian's own tables allow one row per permission).
        unique_together = ()
        indexes = grant_indexes("user", "situation_ugrant")

    @property
    def holder(self) -> str:
        return f"utilisateur n° {self.user_id}"


class SituationGroupGrant(Grant, GroupObjectPermissionBase):
    content_object = models.ForeignKey("casework.Situation", on_delete=models.CASCADE, related_name="group_grants")

    class Meta(GroupObjectPermissionBase.Meta):
        verbose_name = _("droit d'un partenaire sur une situation")
        verbose_name_plural = _("droits des partenaires sur les situations")
        unique_together = ()
        indexes = grant_indexes("group", "situation_ggrant")

    @property
    def holder(self) -> str:
        return f"groupe « {self.group.name} »"


class ProConnectIdentity(models.Model):
    """The ProConnect identity (the provider's `sub`) linked to a Parcours account at its first sign-in.

    Linked by e-mail, once, to an account that already exists: ProConnect never creates an account,
    and the partner and role still come from Parcours. Deleted with the account.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="proconnect")
    issuer = models.CharField(_("fournisseur"), max_length=200)
    subject = models.CharField(_("identifiant chez le fournisseur"), max_length=255)
    linked_at = models.DateTimeField(_("liée le"), default=timezone.now)

    class Meta:
        verbose_name = _("identité ProConnect")
        verbose_name_plural = _("identités ProConnect")
        constraints = [models.UniqueConstraint(fields=["issuer", "subject"], name="proconnect_identity_unique")]

    def __str__(self):
        return f"Identité ProConnect du compte n° {self.user_id}"
