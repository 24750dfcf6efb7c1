"""Celery tasks of the outbox: ids in, a boolean or a count out (privacy invariant 3), and the hand-over
to the broker (`notification_enqueue`), which `notifications.services` calls once a notification's
transaction commits. What the tasks send is written in `notifications.delivery`."""

import logging
import smtplib

from celery import shared_task
from kombu.exceptions import OperationalError
from redis.exceptions import RedisError

from notifications.delivery import notification_deliver, notification_digest_send, notifications_pending

logger = logging.getLogger(__name__)

# What a broker outage looks like to `apply_async`.
BROKER_ERRORS = (OperationalError, RedisError, OSError)

# Exponential backoff for SMTP failures: 1, 2, 4… minutes, at most an hour apart, for about a day.
RETRY_BASE_SECONDS = 60
RETRY_MAX_SECONDS = 3600
MAX_RETRIES = 30


@shared_task(bind=True, name="notifications.send", max_retries=MAX_RETRIES)
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


@shared_task(name="notifications.flush")
def flush_notifications() -> int:
    """Re-enqueue notifications left pending (broker outage, exhausted retries); return the count."""
    return notification_flush()


@shared_task(name="notifications.send_digest")
def send_digest() -> int:
    """Each person's daily digest of the notifications they chose to receive that way; a count out."""
    return notification_digest_send()


def notification_enqueue(notification_id: int) -> bool:
    """Hand the sending task to the broker; False (and a log line with the id only) when it is down."""
    try:
        notification_send.apply_async(args=[notification_id])
    except BROKER_ERRORS as error:
        logger.warning("notification %s left pending: broker unavailable (%s)", notification_id, type(error).__name__)
        return False
    return True


def notification_flush() -> int:
    """Enqueue again every notification still pending after a minute; return how many were enqueued."""
    return sum(notification_enqueue(pk) for pk in notifications_pending())
