"""Celery beat tasks of casework: thin wrappers around services, counts out only."""

from celery import shared_task

from casework.services import review_reminders_send


@shared_task(name="casework.send_review_reminders")
def send_review_reminders() -> int:
    return review_reminders_send()
