"""Alerts to the DPO, through the notification outbox: a fixed sentence, a link to the console and,
for the daily digest, counts. Never a name, a reference or a case's content."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from access.models import Role
from notifications.models import Notification
from notifications.services import notification_queue


def dpo_alert(kind: str, *, dedupe_key: str, counts: dict[str, int] | None = None) -> int:
    """Queue `kind` for every active DPO, once per `dedupe_key`; returns how many were queued."""
    link = {
        Notification.Kind.BREAK_GLASS_OPENED: reverse("dpo:break_glass"),
        Notification.Kind.AUDIT_CHAIN_BROKEN: reverse("dpo:console") + "?kind=alerte_journal",
        Notification.Kind.ACCESS_DIGEST: reverse("dpo:anomalies"),
        Notification.Kind.PRIVILEGE_GRANTED: reverse("dpo:accounts"),
        Notification.Kind.FACTOR_REMOVED: reverse("dpo:accounts"),
    }[kind]
    summary = "\n".join(f"- {label} : {count}" for label, count in (counts or {}).items())
    dpos = get_user_model().objects.filter(is_active=True, membership__role=Role.DPO)
    for dpo in dpos:
        notification_queue(recipient=dpo, kind=kind, link=link, dedupe_key=dedupe_key, summary=summary)
    return len(dpos)
