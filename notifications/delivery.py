"""What the outbox's worker sends: one notification's e-mail, and each person's daily digest.

Called by the tasks of `notifications.tasks`, which `notifications.services` enqueues: this module
imports neither, so the three stay out of a circle. Messages carry no personal data (privacy
invariant 3): a fixed sentence and a link.
"""

import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.models import Notification

# Pending notifications younger than this are left to the task enqueued on commit.
FLUSH_AFTER = datetime.timedelta(minutes=1)


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


def notifications_pending(*, older_than: datetime.timedelta = FLUSH_AFTER, limit: int = 500) -> list[int]:
    cutoff = timezone.now() - older_than
    return list(
        Notification.objects.filter(sent_at=None, digest=False, created_at__lte=cutoff)
        .order_by("created_at")
        .values_list("pk", flat=True)[:limit]
    )
