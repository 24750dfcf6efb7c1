"""Celery tasks of the audit trail: sealing, daily verification, retention purge, daily digest."""

import logging

from celery import shared_task
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction

from access.models import Role
from audit import chain
from audit.alerts import alert_message, dpo_alert
from audit.models import Kind

logger = logging.getLogger(__name__)


@shared_task(name="audit.seal")
def audit_seal() -> dict[str, int]:
    return chain.seal_all()


@shared_task(name="audit.verify")
def audit_verify() -> bool:
    """Seal what is pending, verify every chain, and alert the DPO when one is broken."""
    from audit.services import security_record

    chain.seal_all()
    broken = [report for report in chain.verify_all() if not report.intact]
    if broken:
        for report in broken:
            logger.error("audit chain broken: %s", report.broken)
        with transaction.atomic():
            security_record(Kind.AUDIT_ALERT, detail="; ".join(report.broken for report in broken))
            dpo_alert(Kind.AUDIT_ALERT)
    return not broken


@shared_task(name="audit.purge")
def audit_purge() -> dict[str, int]:
    from audit.retention import trail_purge

    return trail_purge()


@shared_task(name="audit.digest")
def audit_digest() -> dict[str, int]:
    from audit.anomalies import daily_counts

    counts = daily_counts()
    dpo_alert("digest", counts=counts)
    return counts


@shared_task(name="audit.dpo_alert_send", autoretry_for=(OSError,), retry_backoff=60, max_retries=5)
def dpo_alert_send(kind: str, counts: dict[str, int]) -> int:
    recipients = list(
        get_user_model()
        .objects.filter(is_active=True, membership__role=Role.DPO)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if not recipients:
        logger.warning("no DPO with an e-mail address to alert (%s)", kind)
        return 0
    subject, body = alert_message(kind, counts)
    return send_mail(subject, body, None, recipients)
