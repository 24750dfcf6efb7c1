"""The notification outbox: one row per event, one e-mail per row, nothing lost when the broker is down."""

import datetime
import smtplib
from unittest import mock

import pytest
from celery.exceptions import Retry
from django.core import mail
from django.db import transaction
from django.urls import reverse
from kombu.exceptions import OperationalError

from notifications.models import Notification
from notifications.services import notification_queue
from notifications.tasks import notification_flush, notification_send

LINK = "/orientations/00000000-0000-0000-0000-000000000000/"


def queue(user, key="event-1", kind=Notification.Kind.REFERRAL_RECEIVED):
    return notification_queue(recipient=user, kind=kind, link=LINK, dedupe_key=key)


def age(notification, minutes=2):
    Notification.objects.filter(pk=notification.pk).update(
        created_at=notification.created_at - datetime.timedelta(minutes=minutes)
    )


def test_it_sends_an_e_mail_without_personal_data_after_commit(alice, django_capture_on_commit_callbacks, settings):
    settings.PARCOURS_BASE_URL = "https://parcours.example.org"
    with django_capture_on_commit_callbacks(execute=True):
        notification = queue(alice)
        assert mail.outbox == []
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Parcours : une orientation vous attend"
    assert message.to == ["alice@example.org"]
    assert "https://parcours.example.org" + LINK in message.body
    assert "Alice" not in message.body
    notification.refresh_from_db()
    assert notification.sent_at is not None


def test_nothing_is_sent_when_the_transaction_rolls_back(alice, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        queue(alice)
        raise RuntimeError
    assert not Notification.objects.exists()
    assert mail.outbox == []


def test_the_same_event_is_queued_once(alice):
    queue(alice)
    queue(alice)
    assert Notification.objects.count() == 1


def test_running_the_task_twice_sends_one_e_mail(alice):
    notification = queue(alice)
    notification_send.apply(args=[notification.pk])
    notification_send.apply(args=[notification.pk])
    assert len(mail.outbox) == 1


def test_flush_leaves_recent_rows_to_the_task_enqueued_on_commit(alice):
    queue(alice)
    assert notification_flush() == 0
    assert mail.outbox == []


def test_flush_with_the_broker_still_down_keeps_the_row_pending(alice, caplog):
    notification = queue(alice)
    age(notification)
    with mock.patch.object(notification_send, "apply_async", side_effect=OperationalError("down")):
        assert notification_flush() == 0
    assert Notification.objects.get().sent_at is None
    assert f"notification {notification.pk} left pending" in caplog.text


def test_an_smtp_failure_is_retried_with_exponential_backoff(alice):
    notification = queue(alice)
    with (
        mock.patch("notifications.delivery.send_mail", side_effect=smtplib.SMTPServerDisconnected("gone")),
        mock.patch.object(notification_send, "retry", side_effect=Retry()) as retry,
    ):
        notification_send.push_request(retries=3, is_eager=False)
        try:
            with pytest.raises(Retry):
                notification_send.run(notification.pk)
        finally:
            notification_send.pop_request()
    assert retry.call_args.kwargs["countdown"] == 8 * 60
    assert Notification.objects.get().sent_at is None


def test_an_smtp_failure_in_process_leaves_the_row_pending_without_breaking_the_caller(
    alice, django_capture_on_commit_callbacks
):
    with (
        mock.patch("notifications.delivery.send_mail", side_effect=smtplib.SMTPServerDisconnected("gone")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        queue(alice)
    assert Notification.objects.get().sent_at is None


def test_a_person_without_an_address_gets_the_notification_in_the_app_only(alice):
    alice.email = ""
    alice.save()
    notification = queue(alice)
    notification_send.apply(args=[notification.pk])
    assert mail.outbox == []
    assert Notification.objects.get().sent_at is not None


def test_the_navigation_bar_counts_unread_notifications(client_for, alice):
    queue(alice, "a")
    queue(alice, "b")
    page = client_for(alice).get(reverse("casework:situation_list")).content.decode()
    assert '2<span class="visually-hidden"> non lues</span>' in page


def test_my_notifications_page_marks_them_read(client_for, alice, bob):
    queue(alice)
    queue(bob)
    client = client_for(alice)
    page = client.get(reverse("notifications:notification_list")).content.decode()
    assert "Une orientation vous attend" in page and LINK in page
    assert not Notification.objects.filter(recipient=alice, read_at=None).exists()
    assert Notification.objects.filter(recipient=bob, read_at=None).exists()
    assert "non lues" not in client.get(reverse("notifications:notification_list")).content.decode()
