"""Celery tasks of the access app: thin wrappers around services, with ids and counts in and out only."""

import logging
import smtplib

from celery import shared_task

from access import services
from access.notifications import notification_deliver, notification_flush
from access.rotation import master_key_rotate

logger = logging.getLogger(__name__)

# Exponential backoff for SMTP failures: 1, 2, 4… minutes, at most an hour apart, for about a day.
RETRY_BASE_SECONDS = 60
RETRY_MAX_SECONDS = 3600
MAX_RETRIES = 30


@shared_task(name="access.rotate_master_key")
def rotate_master_key(batch_size: int = 500) -> int:
    """Rewrap stale data keys under the current master key; return how many were rewrapped."""
    return master_key_rotate(batch_size=batch_size)


@shared_task(name="access.break_glass_expire")
def break_glass_expire() -> int:
    return services.break_glass_expire()


@shared_task(bind=True, name="access.notification_send", max_retries=MAX_RETRIES)
def notification_send(self, notification_id: int) -> bool:
    """Send one notification's e-mail; running it twice sends it once."""
    try:
        return notification_deliver(notification_id)
    except (smtplib.SMTPException, OSError) as error:
        logger.warning("notification %s: e-mail failed (%s)", notification_id, type(error).__name__)
        if self.request.is_eager:
            # In-process mode has no worker to retry later: the row stays pending for the flush.
            return False
        countdown = min(RETRY_BASE_SECONDS * 2**self.request.retries, RETRY_MAX_SECONDS)
        raise self.retry(exc=error, countdown=countdown) from error


@shared_task(name="access.notification_flush")
def flush_notifications() -> int:
    """Re-enqueue notifications left pending (broker outage, exhausted retries); return the count."""
    return notification_flush()
