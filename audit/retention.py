"""Retention of the audit trail itself (CNIL délibération 2021-122: access logs kept 6 to 12 months)."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from audit import chain
from audit.models import Kind


def trail_purge(*, now=None) -> dict[str, int]:
    """Delete audit entries older than `PARCOURS_AUDIT_RETENTION_DAYS`, the only deletion there is,
    and record the purge (counts only) as an event, which starts the retained trail."""
    from audit.services import security_record

    cutoff = (now or timezone.now()) - timedelta(days=settings.PARCOURS_AUDIT_RETENTION_DAYS)
    chain.seal_all()
    with transaction.atomic():
        counts = {model._meta.label_lower: chain.purge_before(model, cutoff=cutoff) for model in chain.chained_models()}
        if any(counts.values()):
            detail = ", ".join(f"{label} : {count}" for label, count in counts.items())
            security_record(Kind.AUDIT_PURGE, detail=f"avant le {cutoff:%d/%m/%Y} — {detail}")
    return counts
