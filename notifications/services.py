"""The notification outbox: a row written with the event, an e-mail sent by a Celery task.

`notification_queue` writes in the caller's transaction and enqueues the sending task only once that
transaction commits, so a notification exists exactly when its event does. A broker outage never
breaks the caller: the row stays pending and `notification_flush` (Celery beat) enqueues it again.
The e-mails themselves are written in `notifications.delivery`; the broker is `notifications.tasks`.
Messages carry no personal data (privacy invariant 3): a fixed sentence and a link.
"""

from functools import partial

from django.db import transaction
from django.utils import timezone

from notifications.models import Notification, Preference
from notifications.tasks import notification_enqueue


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


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at=None).count()


def notifications_for(user):
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-id")


def notifications_mark_read(*, user, ids) -> int:
    return Notification.objects.filter(recipient=user, pk__in=list(ids), read_at=None).update(read_at=timezone.now())
