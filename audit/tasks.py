"""Celery tasks of the audit trail: sealing and the trail's own retention purge; counts out."""

from celery import shared_task

from audit import chain


@shared_task(name="audit.seal")
def audit_seal() -> dict[str, int]:
    return chain.seal_all()


@shared_task(name="audit.purge")
def audit_purge() -> dict[str, int]:
    from audit.retention import trail_purge

    return trail_purge()
