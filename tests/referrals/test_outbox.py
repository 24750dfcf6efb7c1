"""With the broker down, a referral still goes through and its notification goes out later, once."""

import datetime
from unittest import mock

from django.core import mail
from django.urls import reverse
from kombu.exceptions import OperationalError

from notifications.models import Notification
from notifications.tasks import notification_flush, notification_send
from referrals.models import Referral


def test_broker_down_keeps_the_transition_and_the_pending_row(
    client_for, propose, situation, scheme, alice, maya, django_capture_on_commit_callbacks
):
    referral = propose(situation, scheme)
    with (
        mock.patch.object(notification_send, "apply_async", side_effect=OperationalError("connection refused")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = client_for(alice).post(reverse("referrals:referral_action", args=[referral.pk, "envoyer"]))
    assert response.status_code == 302
    assert Referral.objects.get().state == Referral.State.SENT
    pending = Notification.objects.get(recipient=maya)
    assert pending.sent_at is None
    assert mail.outbox == []

    Notification.objects.filter(pk=pending.pk).update(created_at=pending.created_at - datetime.timedelta(minutes=2))
    assert notification_flush() == 1
    assert notification_flush() == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["maya@example.org"]
