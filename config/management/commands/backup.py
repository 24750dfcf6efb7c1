from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from config.backups import backup_make
from core.refusal import Refusal


class Command(BaseCommand):
    help = (
        "Sauvegarde la base PostgreSQL (pg_dump) dans un dossier neuf, avec un manifeste des versions de clés "
        "qu'il faudra pour la restaurer (jamais les clés elles-mêmes). Dumps the database and a key manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("directory", help="Dossier de la sauvegarde (créé ; doit être vide).")

    def handle(self, *args, directory, **options):
        try:
            manifest = backup_make(directory=Path(directory))
        except Refusal as refusal:
            raise CommandError(refusal.message) from None
        versions = ", ".join(f"v{v}" for v in manifest["master_key_versions_needed"]) or "aucune"
        self.stdout.write(
            f"Sauvegarde écrite dans {directory} ({manifest['dump']}, manifest.json). "
            f"Clés maîtresses nécessaires : {versions}, plus la clé d'index aveugle et la clé du journal."
        )
