"""The notification outbox: a row written with the event, an e-mail sent by a Celery task.

`notification_queue` writes in the caller's transaction and enqueues the sending task only once that
transaction commits, so a notification exists exactly when its event does. A broker outage never
breaks the caller: the row stays pending and `notification_flush` (Celery beat) enqueues it again.
Messages carry no personal data (privacy invariant 3): a fixed sentence and a link.
"""

import datetime
import logging
from functools import partial

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from kombu.exceptions import OperationalError
from redis.exceptions import RedisError

from notifications.models import Notification

logger = logging.getLogger(__name__)

# What a broker outage looks like to `apply_async`.
BROKER_ERRORS = (OperationalError, RedisError, OSError)
# Pending notifications younger than this are left to the task enqueued on commit.
FLUSH_AFTER = datetime.timedelta(minutes=1)


def notification_queue(*, recipient, kind: str, link: str, dedupe_key: str, summary: str = "") -> Notification:
    """Record a notification for `recipient` (once per `dedupe_key`) and send it after commit."""
    notification, created = Notification.objects.get_or_create(
        recipient=recipient, dedupe_key=dedupe_key, defaults={"kind": kind, "link": link, "summary": summary}
    )
    if created:
        transaction.on_commit(partial(notification_enqueue, notification.pk))
    return notification


def notification_enqueue(notification_id: int) -> bool:
    """Hand the sending task to the broker; False (and a log line with the id only) when it is down."""
    # The task module imports this one: imported lazily, the two stay out of a circle.
    from notifications.tasks import notification_send

    try:
        notification_send.apply_async(args=[notification_id])
    except BROKER_ERRORS as error:
        logger.warning("notification %s left pending: broker unavailable (%s)", notification_id, type(error).__name__)
        return False
    return True


def notification_deliver(notification_id: int) -> bool:
    """Send the e-mail of one notification unless it was sent already; True when this call sent it.

    The row is locked while sending, so two runs of the task (a retry, a flush) send one e-mail.
    SMTP errors propagate, leaving the row pending for a retry.
    """
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update().select_related("recipient").filter(pk=notification_id).first()
        )
        if notification is None or notification.sent_at is not None:
            return False
        address = notification.recipient.email
        if address and notification.recipient.is_active:
            send_mail(
                subject=_("Parcours : %(what)s") % {"what": notification.get_kind_display().lower()},
                message=_(
                    "Bonjour,\n\n%(what)s dans Parcours :\n%(url)s\n%(summary)s\n"
                    "Ce message ne contient volontairement aucune information sur la personne suivie : "
                    "connectez-vous pour la consulter.\n"
                )
                % {
                    "what": notification.get_kind_display(),
                    "url": settings.PARCOURS_BASE_URL + notification.link,
                    "summary": f"\n{notification.summary}\n" if notification.summary else "",
                },
                from_email=None,
                recipient_list=[address],
            )
        notification.sent_at = timezone.now()
        notification.save(update_fields=["sent_at"])
    return bool(address)


def notifications_pending(*, older_than: datetime.timedelta = FLUSH_AFTER, limit: int = 500) -> list[int]:
    cutoff = timezone.now() - older_than
    return list(
        Notification.objects.filter(sent_at=None, created_at__lte=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )


def notification_flush() -> int:
    """Enqueue again every notification still pending after a minute; return how many were enqueued."""
    return sum(notification_enqueue(pk) for pk in notifications_pending())


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at=None).count()


def notifications_for(user):
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def notifications_mark_read(*, user, ids) -> int:
    return Notification.objects.filter(recipient=user, pk__in=list(ids), read_at=None).update(read_at=timezone.now())
