"""Reminders of casework: a new saisine to the coordination, a named référent, a review date reached.
Each carries a fixed sentence and a link, never personal data (invariant 3)."""

import datetime

import pytest
from django.utils import timezone

from casework.services import review_reminders_send, situation_restrict, situation_update
from notifications.models import Notification
from tests.factories import make_situation

pytestmark = pytest.mark.django_db
Kind = Notification.Kind
SECRETS = ("Martinez", "Inès", "Absences")


def mails_of(mailoutbox, user):
    return [mail for mail in mailoutbox if mail.to == [user.email]]


def assert_no_personal_data(mail, situation):
    for secret in (*SECRETS, situation.reference):
        assert secret not in mail.subject + mail.body


def test_a_new_saisine_notifies_the_coordinators_once(alice, charlie, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        situation = make_situation(alice, last_name="Martinez", first_name="Inès")
    assert Notification.objects.filter(recipient=charlie, kind=Kind.NEW_SAISINE).count() == 1
    assert not Notification.objects.filter(recipient=alice).exists()
    [mail] = mails_of(mailoutbox, charlie)
    assert mail.subject == "Parcours : une nouvelle saisine a été enregistrée"
    assert f"/situations/{situation.pk}/" in mail.body
    assert_no_personal_data(mail, situation)


def test_the_person_named_referent_is_told_and_not_before(
    alice, bob, charlie, mailoutbox, django_capture_on_commit_callbacks
):
    situation = make_situation(alice, last_name="Martinez", first_name="Inès")
    assert not Notification.objects.filter(kind=Kind.REFERENT_NAMED).exists()
    with django_capture_on_commit_callbacks(execute=True):
        situation_update(
            situation_id=situation.pk, by=charlie, expected_version=situation.version, changes={"referent": bob}
        )
    [mail] = mails_of(mailoutbox, bob)
    assert mail.subject == "Parcours : vous êtes désigné·e référent·e de parcours d'une situation"
    assert_no_personal_data(mail, situation)


def test_naming_oneself_referent_sends_nothing(alice):
    situation = make_situation(alice)
    situation_update(
        situation_id=situation.pk, by=alice, expected_version=situation.version, changes={"referent": alice}
    )
    assert not Notification.objects.filter(kind=Kind.REFERENT_NAMED).exists()


def test_the_review_reminder_fires_once_when_the_date_comes_and_again_for_a_new_date(
    alice, bob, charlie, mailoutbox, django_capture_on_commit_callbacks
):
    situation = make_situation(alice, last_name="Martinez", first_name="Inès")
    review_on = timezone.localdate() + datetime.timedelta(days=3)
    situation = situation_update(
        situation_id=situation.pk,
        by=charlie,
        expected_version=situation.version,
        changes={"status": "examinee", "referent": bob, "next_review_on": review_on},
    )
    reminders = Notification.objects.filter(kind=Kind.REVIEW_DUE)

    assert review_reminders_send(today=review_on - datetime.timedelta(days=1)) == 0
    assert not reminders.exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert review_reminders_send(today=review_on) == 2
    assert sorted(reminders.values_list("recipient__username", flat=True)) == ["bob", "charlie"]
    assert review_reminders_send(today=review_on) == 0
    assert review_reminders_send(today=review_on + datetime.timedelta(days=1)) == 0
    assert reminders.count() == 2
    [mail] = mails_of(mailoutbox, bob)
    assert mail.subject == "Parcours : la date de réexamen d'une situation est arrivée"
    assert_no_personal_data(mail, situation)

    situation = situation_update(
        situation_id=situation.pk,
        by=charlie,
        expected_version=situation.version,
        changes={"next_review_on": review_on + datetime.timedelta(days=30)},
    )
    assert review_reminders_send(today=review_on + datetime.timedelta(days=30)) == 2
    assert reminders.count() == 4


def test_no_review_reminder_for_a_restricted_situation(alice, charlie, dora):
    situation = make_situation(alice)
    situation = situation_update(
        situation_id=situation.pk,
        by=charlie,
        expected_version=situation.version,
        changes={"next_review_on": timezone.localdate()},
    )
    situation_restrict(situation_id=situation.pk, by=dora, restricted=True)
    assert review_reminders_send() == 0
