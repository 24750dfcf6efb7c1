from django.core.management.base import BaseCommand, CommandError

from access.rotation import master_key_rotate
from core.keyring import KeyringError, get_keyring


class Command(BaseCommand):
    help = (
        "Re-chiffre les clés de données avec la clé maîtresse la plus récente. "
        "Les lignes chiffrées (jeunes, situations, notes) ne sont pas modifiées."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500, help="clés par transaction (500)")

    def handle(self, *args, batch_size, verbosity, **options):
        if batch_size < 1:
            raise CommandError("--batch-size doit être au moins 1.")

        def progress(done: int, total: int) -> None:
            if verbosity >= 2:
                self.stderr.write(f"{done}/{total}")

        try:
            keyring = get_keyring()
            count = master_key_rotate(batch_size=batch_size, progress=progress)
        except KeyringError as exc:
            # The message names key ids and versions only, never a value.
            raise CommandError(
                f"Rotation interrompue : {exc}. Les clés déjà re-chiffrées le restent ; "
                "chargez toutes les versions de la clé maîtresse encore utilisées puis relancez."
            ) from None
        self.stdout.write(
            self.style.SUCCESS(f"{count} clés de données re-chiffrées avec la clé maîtresse v{keyring.current_version}")
        )
