from django.core.management.base import BaseCommand, CommandError

from audit import chain


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
                self.stdout.write(f"{table} : {count} entrée(s) scellée(s)")
        broken = []
        for report in chain.verify_all():
            if report.intact:
                self.stdout.write(
                    f"{report.table} : chaîne intacte, {report.checked} entrée(s) vérifiée(s), "
                    f"{report.pending} en attente de scellement"
                )
            else:
                broken.append(report.broken)
        if broken:
            raise CommandError("Journal d'audit altéré — " + " ; ".join(broken), returncode=2)
