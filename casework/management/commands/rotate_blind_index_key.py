from django.core.management.base import BaseCommand, CommandError

from casework.services import match_keys_rotate
from core.keyring import KeyringError, get_keyring


class Command(BaseCommand):
    help = (
        "Recalcule l'index aveugle et les clés de rapprochement de chaque jeune avec la clé d'index "
        "aveugle la plus récente (PARCOURS_BLIND_INDEX_KEY_NEXT pendant une rotation). Reprend où il "
        "s'était arrêté s'il est relancé. Sert aussi, une fois, à calculer les clés de rapprochement "
        "des jeunes enregistrés avant leur introduction."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500, help="jeunes par transaction (500)")

    def handle(self, *args, batch_size, verbosity, **options):
        if batch_size < 1:
            raise CommandError("--batch-size doit être au moins 1.")

        def progress(done: int, total: int) -> None:
            if verbosity >= 1:
                self.stderr.write(f"{done}/{total}")

        try:
            keyring = get_keyring()
            count = match_keys_rotate(batch_size=batch_size, progress=progress)
        except KeyringError as exc:
            # The message names key ids only, never a value.
            raise CommandError(
                f"Rotation interrompue : {exc}. Les jeunes déjà traités le restent ; corrigez puis relancez."
            ) from None
        rotating = len(keyring.index_keys) > 1
        self.stdout.write(
            self.style.SUCCESS(
                f"{count} jeunes ont leurs empreintes sous la clé d'index aveugle {keyring.index_key.fingerprint[:8]}."
                + (
                    " Remplacez maintenant PARCOURS_BLIND_INDEX_KEY par la nouvelle clé et retirez "
                    "PARCOURS_BLIND_INDEX_KEY_NEXT."
                    if rotating
                    else ""
                )
            )
        )
