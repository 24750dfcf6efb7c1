"""Celery beat tasks of referrals: thin wrappers around services, counts out only."""

from celery import shared_task

from referrals.services import referral_reminders_send


@shared_task(name="referrals.send_reminders")
def send_reminders() -> int:
    return referral_reminders_send()
