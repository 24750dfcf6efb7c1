"""Coded decisions per point go through the situations' and referrals' own services."""

import datetime

import pytest
from django.utils import timezone

from access import ledger
from casework.models import ClosureReason, Situation
from casework.services import situation_restrict, situation_update
from core.refusal import Refusal
from notifications.models import Notification
from referrals.models import Referral
from seances import services
from seances.models import Decision, NotRetainedReason, Step
from tests.factories import make_scheme, make_situation
from tests.seances.helpers import item_of, make_seance, running_seance

pytestmark = pytest.mark.django_db
Kind = Decision.Kind


def _decide(seance, situation, by, kind, **fields):
    return services.decision_record(
        seance_id=seance.pk, item_id=item_of(seance, situation).pk, by=by, kind=kind, **fields
    )


def _active(situation, by, referent):
    return situation_update(
        situation_id=situation.pk,
        by=by,
        expected_version=situation.version,
        changes={"status": "examinee"},
    ) and situation_update(
        situation_id=situation.pk,
        by=by,
        expected_version=situation.version + 1,
        changes={"status": "suivi_actif", "referent": referent},
    )


def test_orient_creates_the_referral_sent_with_its_notification(alice, charlie, maya, mission_locale):
    situation = make_situation(alice)
    scheme = make_scheme(mission_locale, min_age=12, max_age=25)
    seance = running_seance(charlie, [situation])

    decision = _decide(seance, situation, charlie, Kind.REFERRAL, scheme=scheme)

    referral = Referral.objects.get(situation=situation)
    assert decision.referral == referral
    assert decision.partner == mission_locale
    assert referral.state == Referral.State.SENT
    assert referral.proposed_by == charlie
    assert referral.deadline is not None
    notification = Notification.objects.get(recipient=maya)
    assert notification.kind == Notification.Kind.REFERRAL_RECEIVED
    assert notification.link == f"/orientations/{referral.pk}/"
    assert ledger.holds(maya, situation)
    situation.refresh_from_db()
    assert situation.status == Situation.Status.EXAMINED


def test_orient_to_an_unfit_scheme_needs_a_justification(alice, charlie, mission_locale):
    situation = make_situation(alice)
    scheme = make_scheme(mission_locale, min_age=18)
    seance = running_seance(charlie, [situation])

    with pytest.raises(Refusal, match="justifiez"):
        _decide(seance, situation, charlie, Kind.REFERRAL, scheme=scheme)

    assert not Referral.objects.exists()
    assert not Decision.objects.exists()
    situation.refresh_from_db()
    assert situation.status == Situation.Status.RECEIVED


def test_examined_moves_a_new_saisine_forward(alice, charlie):
    situation = make_situation(alice)
    seance = running_seance(charlie, [situation])

    _decide(seance, situation, charlie, Kind.EXAMINED)

    situation.refresh_from_db()
    assert situation.status == Situation.Status.EXAMINED


def test_not_retained_needs_a_reason_and_ends_the_saisine(alice, charlie):
    situation = make_situation(alice)
    seance = running_seance(charlie, [situation])
    with pytest.raises(Refusal, match="pourquoi"):
        _decide(seance, situation, charlie, Kind.NOT_RETAINED)

    reason = NotRetainedReason.objects.get(code="hors-champ")
    decision = _decide(seance, situation, charlie, Kind.NOT_RETAINED, not_retained_reason=reason)

    situation.refresh_from_db()
    assert situation.status == Situation.Status.NOT_RETAINED
    assert decision.not_retained_reason == reason


def test_follow_up_names_the_referent_who_gets_access(alice, bob, charlie):
    situation = make_situation(alice)
    seance = running_seance(charlie, [situation])

    decision = _decide(seance, situation, charlie, Kind.FOLLOW_UP, referent=bob)

    situation.refresh_from_db()
    assert situation.status == Situation.Status.ACTIVE
    assert situation.referent == bob
    assert decision.partner == bob.membership.partner
    assert ledger.holds(bob, situation, "change_situation")


def test_action_asks_a_partner_with_a_due_date_and_notifies_it(alice, bob, charlie):
    situation = make_situation(alice)
    seance = running_seance(charlie, [situation])
    due = timezone.localdate() + datetime.timedelta(days=14)

    decision = _decide(
        seance,
        situation,
        charlie,
        Kind.ACTION,
        partner=bob.membership.partner,
        action_label="Rencontrer la famille",
        due_on=due,
    )

    action = Step.objects.get()
    assert decision.step == action
    assert action.status == Step.Status.TODO
    assert (action.partner, action.due_on, action.label) == (bob.membership.partner, due, "Rencontrer la famille")
    notification = Notification.objects.get(recipient=bob)
    assert notification.kind == Notification.Kind.SEANCE_ACTION
    assert "famille" not in notification.link + notification.summary


def test_next_review_sets_the_date(alice, charlie):
    situation = make_situation(alice)
    seance = running_seance(charlie, [situation])
    date = seance.date + datetime.timedelta(days=60)

    _decide(seance, situation, charlie, Kind.NEXT_REVIEW, next_review_on=date)

    situation.refresh_from_db()
    assert situation.next_review_on == date


def test_a_next_review_before_the_seance_is_refused(alice, charlie):
    situation = make_situation(alice)
    seance = running_seance(charlie, [situation])

    with pytest.raises(Refusal, match="après la date de la séance"):
        _decide(seance, situation, charlie, Kind.NEXT_REVIEW, next_review_on=seance.date)


def test_closure_closes_an_active_follow_up(alice, bob, charlie):
    situation = _active(make_situation(alice), charlie, bob)
    seance = running_seance(charlie, [situation])
    reason = ClosureReason.objects.get(code="objectifs-atteints")

    _decide(seance, situation, charlie, Kind.CLOSURE, closure_reason=reason, youth_outcome="emploi")

    situation.refresh_from_db()
    assert situation.status == Situation.Status.CLOSED
    assert situation.closure_reason == reason
    assert situation.youth_outcome == "emploi"


def test_a_closure_without_the_young_persons_outcome_is_refused(alice, bob, charlie):
    situation = _active(make_situation(alice), charlie, bob)
    seance = running_seance(charlie, [situation])

    with pytest.raises(Refusal, match="situation du jeune à la fin du suivi"):
        _decide(seance, situation, charlie, Kind.CLOSURE, closure_reason=ClosureReason.objects.first())

    assert Situation.objects.get(pk=situation.pk).status == Situation.Status.ACTIVE


def test_a_closed_situation_refuses_decisions(alice, bob, charlie):
    situation = _active(make_situation(alice), charlie, bob)
    seance = running_seance(charlie, [situation])
    _decide(
        seance, situation, charlie, Kind.CLOSURE, closure_reason=ClosureReason.objects.first(), youth_outcome="emploi"
    )

    with pytest.raises(Refusal, match="clôturée : elle est en lecture seule"):
        _decide(seance, situation, charlie, Kind.EXAMINED)


def test_a_restricted_situation_refuses_decisions(alice, charlie):
    situation = make_situation(alice)
    seance = running_seance(charlie, [situation])
    situation_restrict(situation_id=situation.pk, by=charlie, restricted=True)

    with pytest.raises(Refusal, match="limitation du traitement"):
        _decide(seance, situation, charlie, Kind.EXAMINED)


def test_decisions_are_taken_in_session_only(alice, charlie):
    situation = make_situation(alice)
    seance = make_seance(charlie)
    services.agenda_item_add(seance_id=seance.pk, situation=situation, by=charlie)

    with pytest.raises(Refusal, match="ouvrez d'abord la séance"):
        _decide(seance, situation, charlie, Kind.EXAMINED)


def test_a_closed_seance_is_frozen_and_accepts_addenda_only(alice, charlie):
    situation = make_situation(alice)
    seance = running_seance(charlie, [situation])
    _decide(seance, situation, charlie, Kind.EXAMINED)
    item = item_of(seance, situation)
    with pytest.raises(Refusal, match="pas clôturée"):
        services.addendum_add(seance_id=seance.pk, by=charlie, text="Correction")
    services.seance_close(seance_id=seance.pk, by=charlie)

    for refused in (
        lambda: _decide(seance, situation, charlie, Kind.EXAMINED),
        lambda: services.agenda_item_remove(seance_id=seance.pk, item_id=item.pk, by=charlie),
        lambda: services.agenda_item_add(seance_id=seance.pk, situation=make_situation(alice), by=charlie),
        lambda: services.item_summary_set(seance_id=seance.pk, item_id=item.pk, by=charlie, summary="x"),
        lambda: services.agenda_item_move(seance_id=seance.pk, item_id=item.pk, by=charlie, offset=1),
    ):
        with pytest.raises(Refusal, match="clôturée"):
            refused()

    addendum = services.addendum_add(seance_id=seance.pk, by=charlie, text="Prochain examen au 12/03", item_id=item.pk)
    assert addendum.data_key_id == situation.data_key_id


def test_a_point_with_decisions_cannot_be_removed(alice, charlie):
    situation = make_situation(alice)
    seance = running_seance(charlie, [situation])
    _decide(seance, situation, charlie, Kind.EXAMINED)

    with pytest.raises(Refusal, match="ne peut plus être retiré"):
        services.agenda_item_remove(seance_id=seance.pk, item_id=item_of(seance, situation).pk, by=charlie)


def test_a_partner_marks_its_action_done_but_not_another_partners(alice, bob, charlie):
    situation = make_situation(alice)
    seance = running_seance(charlie, [situation])
    due = timezone.localdate() + datetime.timedelta(days=3)
    _decide(seance, situation, charlie, Kind.ACTION, partner=bob.membership.partner, action_label="Appeler", due_on=due)
    action = Step.objects.get()

    with pytest.raises(Refusal, match="partenaire responsable"):
        services.step_set_status(step_id=action.pk, by=alice, status=Step.Status.DONE)
    services.step_set_status(step_id=action.pk, by=bob, status=Step.Status.DONE)

    action.refresh_from_db()
    assert (action.status, action.ended_on, action.ended_by) == (Step.Status.DONE, timezone.localdate(), bob)
