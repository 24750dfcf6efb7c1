import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from casework.models import Situation
from casework.retention import due_filter
from core.wording import counted
from dpo.purge import retention_purge


def progress_bar(done: int, total: int, *, write, width: int = 30) -> None:
    """A one-line bar redrawn in place on stderr, so that stdout keeps only the results."""
    filled = width * done // total if total else width
    write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}" + ("\n" if done == total else ""))


class Command(BaseCommand):
    help = (
        "Purge les situations dont la durée de conservation est échue (irréversible). "
        "Purges situations whose retention period has run out; --dry-run lists them only."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Lister sans rien effacer.")

    def _write_progress(self, text: str) -> None:
        self.stderr.write(text, ending="")
        self.stderr.flush()

    def handle(self, *args, dry_run=False, **options):
        today = timezone.localdate()
        if dry_run:
            due = list(
                Situation.objects.filter(due_filter(on=today))
                .order_by("status_since", "reference")
                .values_list("reference", "status", "status_since")
            )
            for done, (reference, status, since) in enumerate(due, start=1):
                self.stdout.write(f"{reference}\t{status}\tdepuis le {since:%d/%m/%Y}")
                progress_bar(done, len(due), write=self._write_progress)
            would = counted(len(due), "situation serait purgée", "situations seraient purgées")
            self.stdout.write(f"{would} (simulation : rien n'a été effacé).")
            return
        started = time.monotonic()
        results = retention_purge(
            today=today, progress=lambda done, total: progress_bar(done, total, write=self._write_progress)
        )
        elapsed = time.monotonic() - started
        keys = sum(result.key_destroyed for result in results)
        self.stdout.write(
            f"{counted(len(results), 'situation purgée', 'situations purgées')} en {elapsed:.1f} s, "
            f"{counted(keys, 'clé de chiffrement détruite', 'clés de chiffrement détruites')}."
        )
