"""Celery tasks of the DPO: daily verification of the trail with its alert, daily digest, rights
requests (access file, erasure): ids in, counts out (privacy invariant 3)."""

import logging
from datetime import timedelta

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from access.alerts import dpo_alert
from audit import chain
from audit.models import Kind
from audit.services import security_record
from dpo.execution import erasure_execute, rights_request_fail
from dpo.purge import retention_purge
from notifications.models import Notification

logger = logging.getLogger(__name__)


@shared_task(name="audit.verify")
def audit_verify() -> bool:
    """Seal what is pending, verify every chain, and alert the DPO when one is broken."""
    chain.seal_all()
    broken = [report for report in chain.verify_all() if not report.intact]
    if broken:
        for report in broken:
            logger.error("audit chain broken: %s", report.broken)
        with transaction.atomic():
            alert = security_record(Kind.AUDIT_ALERT, detail="; ".join(report.broken for report in broken)[:200])
            dpo_alert(Notification.Kind.AUDIT_CHAIN_BROKEN, dedupe_key=f"journal-altere:{alert.uid}")
    return not broken


@shared_task(name="audit.digest")
def audit_digest() -> dict[str, int]:
    from dpo.anomalies import daily_counts  # the console's module: loaded by the one task that needs it

    day = timezone.localdate() - timedelta(days=1)
    counts = daily_counts(day)
    with transaction.atomic():
        dpo_alert(Notification.Kind.ACCESS_DIGEST, dedupe_key=f"rapport-anomalies:{day.isoformat()}", counts=counts)
    return counts


@shared_task(name="audit.access_export")
def access_export(request_id: str) -> None:
    from dpo.subject_access import access_export_build  # the access file's module: loaded by the task that needs it

    try:
        access_export_build(request_id=request_id)
    except Exception:
        rights_request_fail(request_id=request_id)
        raise


@shared_task(name="audit.erasure")
def erasure(request_id: str) -> None:
    try:
        erasure_execute(request_id=request_id)
    except Exception:
        rights_request_fail(request_id=request_id)
        raise


@shared_task(name="dpo.purge_expired")
def purge_expired() -> int:
    return len(retention_purge())
