from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from config.backups import backup_restore
from core.refusal import Refusal
from core.wording import counted


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
        keys = counted(restored.data_keys, "clé de données déchiffrée", "clés de données déchiffrées")
        entries = counted(restored.audit_entries, "entrée du journal vérifiée", "entrées du journal vérifiées")
        self.stdout.write(
            f"Sauvegarde restaurée : {keys}, {entries}, chaîne intacte. "
            f"Lancez ensuite `manage.py migrate` si cette version de Parcours est plus récente que la sauvegarde."
        )
