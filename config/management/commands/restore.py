from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from config.backups import backup_restore
from core.refusal import Refusal


class Command(BaseCommand):
    help = (
        "Restaure une sauvegarde de `backup` dans la base configurée (DATABASE_URL), qui doit être neuve, après "
        "avoir vérifié que les clés chargées sont celles du manifeste ; puis vérifie que chaque clé de données "
        "se déchiffre et que le journal d'audit est intact."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="Dossier d'une sauvegarde (parcours.dump et manifest.json).")

    def handle(self, *args, directory, **options):
        try:
            restored = backup_restore(directory=Path(directory))
        except Refusal as refusal:
            raise CommandError(refusal.message) from None
        self.stdout.write(
            f"Sauvegarde restaurée : {restored.data_keys} clé(s) de données déchiffrées, "
            f"{restored.audit_entries} entrée(s) du journal vérifiées, chaîne intacte. "
            f"Lancez ensuite `manage.py migrate` si cette version de Parcours est plus récente que la sauvegarde."
        )
