"""Alerts to the DPO: a subject and a link to the console, never a name or a case's content."""

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from audit.models import Kind

ALERTS = {
    Kind.BREAK_GLASS: (_("Parcours : un accès exceptionnel a été ouvert"), "audit:break_glass"),
    Kind.AUDIT_ALERT: (_("Parcours : la vérification du journal d'audit a échoué"), "audit:console"),
    "digest": (_("Parcours : rapport quotidien des anomalies d'accès"), "audit:anomalies"),
}


def dpo_alert(kind: str, *, counts: dict[str, int] | None = None) -> None:
    """Queue an alert to every DPO once the current transaction commits."""
    from audit.tasks import dpo_alert_send

    transaction.on_commit(lambda: dpo_alert_send.delay(str(kind), counts or {}))


def alert_message(kind: str, counts: dict[str, int]) -> tuple[str, str]:
    subject, url_name = ALERTS[kind]
    lines = [subject, ""]
    lines += [f"- {label} : {count}" for label, count in counts.items()]
    lines += ["", _("Consultez la console du DPO : %(url)s") % {"url": settings.PARCOURS_BASE_URL + reverse(url_name)}]
    return str(subject), "\n".join(lines)
