"""Referrals unanswered past their deadline: the operator is reminded, the coordination is told."""

import datetime

from django.core import mail
from django.utils import timezone

from access.models import Role
from notifications.models import Notification
from referrals import services
from referrals.models import Referral
from referrals.tasks import send_reminders
from tests.factories import make_user

Kind = Notification.Kind


def overdue(referral, days=3):
    Referral.objects.filter(pk=referral.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=days))


def test_an_overdue_referral_reminds_the_operator_and_flags_the_coordinator(sent, maya, charlie):
    overdue(sent)
    assert services.referral_reminders_send() == 1
    assert set(Notification.objects.values_list("recipient__username", "kind")) == {
        ("maya", Kind.REFERRAL_RECEIVED),
        ("maya", Kind.REFERRAL_REMINDER),
        ("charlie", Kind.REFERRAL_OVERDUE),
    }
    sent.refresh_from_db()
    assert sent.reminder_count == 1 and sent.last_reminder_at is not None


def test_a_referral_within_its_deadline_is_not_reminded(sent, maya):
    assert services.referral_reminders_send() == 0
    assert not Notification.objects.filter(kind=Kind.REFERRAL_REMINDER).exists()


def test_an_answered_referral_is_not_reminded(sent, maya):
    overdue(sent)
    services.referral_accept(referral_id=sent.pk, by=maya)
    assert services.referral_reminders_send() == 0


def test_the_reminder_repeats_after_the_configured_interval_only(sent, maya, settings):
    settings.PARCOURS_REFERRAL_REMINDER_DAYS = 7
    overdue(sent)
    now = timezone.now()
    assert services.referral_reminders_send(now=now) == 1
    assert services.referral_reminders_send(now=now + datetime.timedelta(days=6)) == 0
    assert services.referral_reminders_send(now=now + datetime.timedelta(days=7)) == 1
    assert Notification.objects.filter(recipient=maya, kind=Kind.REFERRAL_REMINDER).count() == 2


def test_reminders_go_to_the_contact_role_only(sent, maya, mission_locale, scheme):
    chief = make_user("mathis", mission_locale, Role.COORDINATOR)
    scheme.contact_role = Role.COORDINATOR
    scheme.save()
    overdue(sent)
    services.referral_reminders_send()
    assert list(Notification.objects.filter(kind=Kind.REFERRAL_REMINDER).values_list("recipient", flat=True)) == [
        chief.pk
    ]


def test_the_beat_task_sends_the_reminder_e_mail(sent, maya, django_capture_on_commit_callbacks):
    overdue(sent)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders.apply().get() == 1
    assert [m.subject for m in mail.outbox] == ["Parcours : une orientation attend toujours votre réponse"]
    assert "Inès" not in mail.outbox[0].body and sent.situation.reference not in mail.outbox[0].body
