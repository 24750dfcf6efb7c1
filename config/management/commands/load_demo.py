import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from casework.demo import DEMO_PASSWORD, DemoDataError
from config.demo import demo_load
from core.wording import counted

URL = "http://127.0.0.1:8000"


class Command(BaseCommand):
    help = (
        "Charge des données de démonstration fictives (partenaires, comptes, situations). "
        "Loads fictional demonstration data; running it again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Charger même hors du mode démonstration (PARCOURS_DEMO=0). Jamais en production.",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEMO_MODE and not force:
            # Fictional young people must never land in a production database by accident.
            raise CommandError(
                "Refusé : le mode démonstration est désactivé (PARCOURS_DEMO=0). Ces données fictives "
                "n'ont rien à faire dans une base de production ; utilisez --force si vous savez ce que "
                "vous faites.\n"
                "Refused: demonstration mode is off (PARCOURS_DEMO=0). Use --force only if you are sure "
                "this is not a production database."
            )
        started = time.monotonic()
        try:
            result = demo_load()
        except DemoDataError as error:
            raise CommandError(str(error)) from None
        elapsed = time.monotonic() - started
        if options["verbosity"] == 0:
            return

        if result.situations_created:
            summary = (
                f"Données de démonstration créées en {elapsed:.1f} s : "
                f"{result.partners_created} partenaires, "
                f"{len(result.users_created)} comptes, {result.situations_created} situations, "
                f"{result.notes_created} notes, {result.schemes_created} dispositifs, "
                f"{result.referrals_created} orientations (toutes les personnes sont fictives)."
            )
            self.stdout.write(self.style.SUCCESS(summary))
        elif result.partners_created or result.users_created or result.schemes_created or result.referrals_created:
            self.stdout.write(
                "Situations de démonstration déjà présentes ; ajoutés : "
                f"{counted(result.partners_created, 'partenaire', 'partenaires')}, "
                f"{counted(len(result.users_created), 'compte', 'comptes')}, "
                f"{counted(result.schemes_created, 'dispositif', 'dispositifs')}, "
                f"{counted(result.referrals_created, 'orientation', 'orientations')}."
            )
        else:
            self.stdout.write("Données de démonstration déjà présentes : rien n'a changé.")
        self.stdout.write("")
        self.stdout.write(f"Adresse : {URL}")
        self.stdout.write(f"Mot de passe commun des comptes de démonstration : {DEMO_PASSWORD}")
        self.stdout.write("")
        self._accounts_table(result.accounts)

    def _accounts_table(self, accounts):
        header = ("Identifiant", "Partenaire", "Rôle", "Remarque")
        widths = [max(len(str(row[i])) for row in (header, *accounts)) for i in range(3)]
        for row in (header, *accounts):
            cells = [str(cell).ljust(width) for cell, width in zip(row, widths, strict=False)]
            self.stdout.write("  ".join([*cells, str(row[3])]).rstrip())
