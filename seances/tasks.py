"""Celery beat tasks of séances: thin wrappers around services, counts out only."""

from celery import shared_task

from seances.services import step_reminders_send


@shared_task(name="seances.send_step_reminders")
def send_step_reminders() -> int:
    return step_reminders_send()
