"""Reminders of séances: a step (« action demandée ») past its due date, an agenda that changed.
Each carries a fixed sentence and a link, never personal data (invariant 3)."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from casework.services import situation_restrict
from notifications.models import Notification
from seances import services
from seances.models import Step
from tests.factories import make_situation
from tests.seances.helpers import make_seance

pytestmark = pytest.mark.django_db
Kind = Notification.Kind


def later(days: float):
    return time_machine.travel(timezone.now() + datetime.timedelta(days=days), tick=False)


@pytest.fixture
def step(alice, bob, charlie):
    situation = make_situation(alice, last_name="Martinez", first_name="Inès")
    return services.step_add(
        situation_id=situation.pk,
        by=charlie,
        partner=bob.membership.partner,
        label="Appeler la mère d'Inès",
        due_on=timezone.localdate() + datetime.timedelta(days=2),
    )


def overdue(user):
    return Notification.objects.filter(recipient=user, kind=Kind.STEP_OVERDUE)


def test_an_overdue_step_is_reminded_once_when_due_and_not_before(step, bob, charlie, settings):
    settings.PARCOURS_STEP_REMINDER_DAYS = 7
    assert services.step_reminders_send() == 0
    with later(2):
        assert services.step_reminders_send() == 0
    with later(3):
        assert services.step_reminders_send() == 1
        assert services.step_reminders_send() == 0
    assert overdue(bob).count() == 1 and overdue(charlie).count() == 1


def test_the_reminder_repeats_at_its_interval_until_the_step_is_done(step, bob, settings):
    settings.PARCOURS_STEP_REMINDER_DAYS = 7
    with later(3):
        services.step_reminders_send()
    with later(9):
        assert services.step_reminders_send() == 0
    with later(10.1):
        assert services.step_reminders_send() == 1
    assert overdue(bob).count() == 2
    services.step_set_status(step_id=step.pk, by=bob, status=Step.Status.DONE)
    with later(30):
        assert services.step_reminders_send() == 0


def test_no_step_reminder_for_a_restricted_situation(step, bob, charlie, dora):
    """As for review dates: nothing may be done on a restricted situation, so no one is chased."""
    situation_restrict(situation_id=step.situation_id, by=dora, restricted=True)
    with later(3):
        assert services.step_reminders_send() == 0
    assert not overdue(bob).exists() and not overdue(charlie).exists()
    situation_restrict(situation_id=step.situation_id, by=dora, restricted=False)
    with later(3):
        assert services.step_reminders_send() == 1


def test_the_reminder_mail_carries_no_personal_data(step, bob, mailoutbox, django_capture_on_commit_callbacks):
    mailoutbox.clear()
    with later(3), django_capture_on_commit_callbacks(execute=True):
        services.step_reminders_send()
    [mail] = [m for m in mailoutbox if m.to == [bob.email]]
    assert mail.subject == "Parcours : une action demandée a dépassé son échéance"
    assert "/seances/actions/" in mail.body
    for secret in ("Martinez", "Inès", "mère", step.situation.reference):
        assert secret not in mail.subject + mail.body


def test_the_invited_members_are_told_once_a_day_when_the_agenda_changes(
    alice, bob, charlie, mailoutbox, django_capture_on_commit_callbacks
):
    seance = make_seance(charlie)
    services.invitation_create(seance_id=seance.pk, user=bob, by=charlie)
    agenda = Notification.objects.filter(recipient=bob, kind=Kind.SEANCE_AGENDA)
    assert not agenda.exists()
    first, second = make_situation(alice, last_name="Martinez"), make_situation(alice)
    with django_capture_on_commit_callbacks(execute=True):
        services.agenda_item_add(seance_id=seance.pk, situation=first, by=charlie)
        services.agenda_item_add(seance_id=seance.pk, situation=second, by=charlie)
    assert agenda.count() == 1
    with later(1):
        item = seance.items.get(situation=second)
        services.agenda_item_remove(seance_id=seance.pk, item_id=item.pk, by=charlie)
    assert agenda.count() == 2
    [mail] = [m for m in mailoutbox if m.to == [bob.email] and "ordre du jour" in m.subject]
    assert mail.subject == "Parcours : l'ordre du jour d'une séance où vous êtes invité·e a changé"
    for secret in ("Martinez", first.reference):
        assert secret not in mail.subject + mail.body
