"""Celery tasks of the casework app: ids in, counts out (privacy invariant 3)."""

from celery import shared_task


@shared_task(name="casework.purge_expired")
def purge_expired() -> int:
    from casework.purge import retention_purge

    return len(retention_purge())
