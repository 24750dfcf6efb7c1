"""Celery tasks of the séances: counts out (privacy invariant 3)."""

from celery import shared_task

from seances.services import seance_access_expire as expire


@shared_task(name="seances.seance_access_expire")
def seance_access_expire() -> int:
    return expire()
