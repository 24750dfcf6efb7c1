"""Celery tasks of the casework app: ids in, counts out (privacy invariant 3)."""

from celery import shared_task


@shared_task(name="casework.purge_expired")
def purge_expired() -> int:
    from casework.purge import retention_purge

    return len(retention_purge())


@shared_task(name="casework.seance_access_expire")
def seance_access_expire() -> int:
    from casework.seances.services import seance_access_expire as expire

    return expire()
