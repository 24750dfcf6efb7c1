"""Closing a situation ends what hangs on it: its open referrals end, their operators are told, and
their access ends after the grace period (issue 16)."""

import datetime

import time_machine
from django.urls import reverse
from django.utils import timezone

from access import ledger
from access.ledger import VIEW
from casework.models import ClosureReason
from casework.services import situation_close, situation_update
from notifications.models import Notification
from referrals import services
from referrals.forms import EndForm
from referrals.models import Outcome, Referral
from tests.factories import make_partner, make_scheme, make_user

State = Referral.State


def close(situation, by):
    for status in ("examinee", "suivi_actif"):
        situation = situation_update(
            situation_id=situation.pk, by=by, expected_version=situation.version, changes={"status": status}
        )
    return situation_close(
        situation_id=situation.pk,
        by=by,
        expected_version=situation.version,
        reason=ClosureReason.objects.get(code="objectifs-atteints"),
        closed_on=timezone.localdate(),
        outcome="scolarite",
    )


def two_sent_referrals(propose, situation, scheme, alice):
    other_operator = make_partner("PRE de Lomme")
    nina = make_user("nina", other_operator)
    other = make_scheme(other_operator, "Programme de réussite éducative")
    first = services.referral_send(referral_id=propose(situation, scheme).pk, by=alice)
    second = services.referral_send(referral_id=propose(situation, other).pk, by=alice)
    services.referral_accept(referral_id=second.pk, by=nina)
    return first, second, nina


def test_closing_ends_both_open_referrals_with_the_closure_outcome(propose, situation, scheme, alice, charlie):
    first, second, _ = two_sent_referrals(propose, situation, scheme, alice)
    close(situation, charlie)
    for referral in (first, second):
        referral.refresh_from_db()
        assert referral.state == State.ENDED
        assert referral.outcome.code == "cloture-situation"
        assert referral.ended_at is not None


def test_closing_notifies_both_operators_without_personal_data(
    propose, situation, scheme, alice, charlie, maya, mailoutbox, django_capture_on_commit_callbacks
):
    first, second, nina = two_sent_referrals(propose, situation, scheme, alice)
    with django_capture_on_commit_callbacks(execute=True):
        close(situation, charlie)
    for operator, referral in ((maya, first), (nina, second)):
        notification = Notification.objects.get(recipient=operator, kind=Notification.Kind.REFERRAL_SITUATION_CLOSED)
        assert notification.link == reverse("referrals:referral_detail", args=[referral.pk])
    closing_mails = [mail for mail in mailoutbox if "clôturée" in mail.subject]
    assert len(closing_mails) == 2
    for mail in closing_mails:
        for secret in ("Martinez", "Inès", situation.reference):
            assert secret not in mail.subject + mail.body


def test_operators_lose_access_after_the_grace_period(propose, situation, scheme, alice, charlie, maya, settings):
    settings.PARCOURS_REFERRAL_GRACE_DAYS = 7
    _, _, nina = two_sent_referrals(propose, situation, scheme, alice)
    close(situation, charlie)
    assert ledger.holds(maya, situation, VIEW) and ledger.holds(nina, situation, VIEW)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=7, minutes=1), tick=False):
        assert not ledger.holds(maya, situation, VIEW)
        assert not ledger.holds(nina, situation, VIEW)
        assert ledger.holds(alice, situation, VIEW)


def test_a_draft_referral_is_abandoned_and_its_operator_not_told(propose, situation, scheme, charlie, maya):
    draft = propose(situation, scheme)
    close(situation, charlie)
    draft.refresh_from_db()
    assert draft.state == State.ABANDONED
    assert not Notification.objects.filter(recipient=maya).exists()


def test_ended_referrals_stay_as_they_were(propose, situation, scheme, alice, charlie, maya):
    referral = services.referral_send(referral_id=propose(situation, scheme).pk, by=alice)
    services.referral_accept(referral_id=referral.pk, by=maya)
    services.referral_start(referral_id=referral.pk, by=maya)
    services.referral_end(referral_id=referral.pk, by=maya, outcome=Outcome.objects.get(code="perte-contact"))
    close(situation, charlie)
    referral.refresh_from_db()
    assert referral.outcome.code == "perte-contact"


def test_the_closure_outcome_is_not_offered_to_operators(db):
    assert not EndForm().fields["outcome"].queryset.filter(code="cloture-situation").exists()
