from django.core.management.base import BaseCommand, CommandError

from audit import chain
from core.wording import counted


class Command(BaseCommand):
    help = (
        "Vérifie la chaîne HMAC du journal d'audit. Code de sortie 0 si elle est intacte ; sinon "
        "le message nomme la première entrée modifiée, supprimée ou insérée."
    )

    def add_arguments(self, parser):
        parser.add_argument("--seal", action="store_true", help="sceller d'abord les entrées en attente")

    def handle(self, *args, seal=False, **options):
        if seal:
            for table, count in chain.seal_all().items():
                self.stdout.write(f"{table} : {counted(count, 'entrée scellée', 'entrées scellées')}")
        broken = []
        for report in chain.verify_all():
            if report.intact:
                checked = counted(report.checked, "entrée vérifiée", "entrées vérifiées")
                self.stdout.write(
                    f"{report.table} : chaîne intacte, {checked}, {report.pending} en attente de scellement"
                )
            else:
                broken.append(report.broken)
        if broken:
            raise CommandError("Journal d'audit altéré — " + " ; ".join(broken), returncode=2)
