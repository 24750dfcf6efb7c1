from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.keyring import generate_key_files


class Command(BaseCommand):
    help = "Crée les clés de développement dans PARCOURS_KEY_DIR (var/keys/) si elles manquent."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "generate_dev_keys ne sert qu'en développement (DJANGO_DEBUG=1). En production, les "
                "clés viennent d'un coffre : PARCOURS_MASTER_KEYS et PARCOURS_BLIND_INDEX_KEY, "
                "ou PARCOURS_KEY_DIR."
            )
        if not settings.PARCOURS_KEY_DIR:
            raise CommandError("PARCOURS_KEY_DIR est vide : aucun dossier où écrire les clés.")
        key_dir = Path(settings.PARCOURS_KEY_DIR)
        written = generate_key_files(key_dir)
        for path in written:
            self.stdout.write(f"Clé de développement créée : {path}")
        if not written:
            self.stdout.write(f"Clés de développement déjà présentes dans {key_dir}")
