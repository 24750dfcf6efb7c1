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

from notifications.models import Notification, Preference

logger = logging.getLogger(__name__)

# What a broker outage looks like to `apply_async`.
BROKER_ERRORS = (OperationalError, RedisError, OSError)
# Pending notifications younger than this are left to the task enqueued on commit.
FLUSH_AFTER = datetime.timedelta(minutes=1)


def wants_digest(recipient, kind: str) -> bool:
    return (
        kind in Notification.DIGESTIBLE
        and Preference.objects.filter(user=recipient, kind=kind, mode=Preference.Mode.DAILY).exists()
    )


def notification_queue(*, recipient, kind: str, link: str, dedupe_key: str, summary: str = "") -> Notification:
    """Record a notification for `recipient` (once per `dedupe_key`) and send it after commit, unless
    the recipient takes this kind in the daily digest (`notification_digest_send`)."""
    notification, created = Notification.objects.get_or_create(
        recipient=recipient,
        dedupe_key=dedupe_key,
        defaults={"kind": kind, "link": link, "summary": summary, "digest": wants_digest(recipient, kind)},
    )
    if created and not notification.digest:
        transaction.on_commit(partial(notification_enqueue, notification.pk))
    return notification


def preferences_of(user) -> dict[str, str]:
    """Kind → mode for every kind a person may receive in the digest (IMMEDIATE when no row)."""
    chosen = dict(Preference.objects.filter(user=user).values_list("kind", "mode"))
    return {kind: chosen.get(kind, Preference.Mode.IMMEDIATE) for kind in Notification.DIGESTIBLE}


@transaction.atomic
def preferences_set(*, user, modes: dict[str, str]) -> None:
    """Record a person's choices; a kind outside DIGESTIBLE or an unknown mode is ignored."""
    for kind, mode in modes.items():
        if kind in Notification.DIGESTIBLE and mode in Preference.Mode.values:
            Preference.objects.update_or_create(user=user, kind=kind, defaults={"mode": mode})


def notification_digest_send(*, now: datetime.datetime | None = None) -> int:
    """Send each person one e-mail listing their digest notifications still unsent; return how many
    e-mails. Rows are locked and marked sent in the same transaction, so two runs send once."""
    now = now or timezone.now()
    sent = 0
    recipients = (
        Notification.objects.filter(digest=True, sent_at=None).values_list("recipient_id", flat=True).distinct()
    )
    for recipient_id in list(recipients):
        with transaction.atomic():
            rows = list(
                Notification.objects.select_for_update(skip_locked=True)
                .select_related("recipient")
                .filter(recipient_id=recipient_id, digest=True, sent_at=None)
                .order_by("created_at", "pk")
            )
            if not rows:
                continue
            recipient = rows[0].recipient
            if recipient.email and recipient.is_active:
                lines = "\n".join(
                    f"- {row.get_kind_display()} : {settings.PARCOURS_BASE_URL}{row.link}" for row in rows
                )
                send_mail(
                    subject=_("Parcours : votre récapitulatif du jour (%(count)d)") % {"count": len(rows)},
                    message=_(
                        "Bonjour,\n\nVoici ce qui vous attend dans Parcours :\n%(lines)s\n\n"
                        "Ce message ne contient volontairement aucune information sur les personnes suivies : "
                        "connectez-vous pour les consulter.\n"
                    )
                    % {"lines": lines},
                    from_email=None,
                    recipient_list=[recipient.email],
                )
                sent += 1
            Notification.objects.filter(pk__in=[row.pk for row in rows]).update(sent_at=now)
    return sent


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
        Notification.objects.filter(sent_at=None, digest=False, created_at__lte=cutoff)
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
