import pytest

from access import ledger
from access.ledger import CHANGE, VIEW
from casework.models import Situation
from core.refusal import Refusal
from referrals import services
from referrals.models import DeclineReason, Outcome, Referral
from tests.casework.test_no_plaintext_at_rest import raw_database_text
from tests.factories import make_scheme

State = Referral.State


def reason():
    return DeclineReason.objects.get(code="pas-de-place")


def outcome():
    return Outcome.objects.get(code="objectifs-atteints")


def test_proposing_does_not_open_the_situation_to_the_operator(propose, situation, scheme, maya):
    referral = propose(situation, scheme)
    assert referral.state == State.PROPOSED
    assert not ledger.holds(maya, situation, VIEW)


def test_sending_grants_the_operator_read_only_access(sent, situation, maya):
    assert sent.state == State.SENT
    assert ledger.holds(maya, situation, VIEW)
    assert not ledger.holds(maya, situation, CHANGE)


def test_sending_sets_the_deadline_from_the_scheme(sent, scheme):
    assert (sent.deadline - sent.sent_at.date()).days == scheme.response_deadline_days


def test_the_whole_loop_reaches_ended(sent, maya):
    services.referral_accept(referral_id=sent.pk, by=maya)
    services.referral_start(referral_id=sent.pk, by=maya)
    ended = services.referral_end(referral_id=sent.pk, by=maya, outcome=outcome())
    assert ended.state == State.ENDED
    assert ended.outcome.code == "objectifs-atteints"
    assert ended.answered_at and ended.started_at and ended.ended_at


@pytest.mark.parametrize(
    ("steps", "verb", "message"),
    [
        ([], "accept", "Cette orientation est proposée : elle ne peut pas être acceptée."),
        (["send"], "start", "Cette orientation est envoyée : elle ne peut pas être commencée."),
        (["send", "accept"], "end", "Cette orientation est acceptée : elle ne peut pas être terminée."),
        (["send", "accept"], "decline", "Cette orientation est acceptée : elle ne peut pas être refusée."),
        (["send"], "send", "Cette orientation est envoyée : elle ne peut pas être envoyée."),
        (["send", "decline"], "accept", "Cette orientation est refusée : elle ne peut pas être acceptée."),
        (["abandon"], "send", "Cette orientation est abandonnée : elle ne peut pas être envoyée."),
        (["send", "abandon"], "abandon", "Cette orientation est abandonnée : elle ne peut pas être abandonnée."),
    ],
)
def test_illegal_transitions_are_refused_with_a_clear_message(
    propose, situation, scheme, alice, maya, steps, verb, message
):
    referral = propose(situation, scheme)
    calls = {
        "send": lambda: services.referral_send(referral_id=referral.pk, by=alice),
        "abandon": lambda: services.referral_abandon(referral_id=referral.pk, by=alice),
        "accept": lambda: services.referral_accept(referral_id=referral.pk, by=maya),
        "decline": lambda: services.referral_decline(referral_id=referral.pk, by=maya, reason=reason()),
        "start": lambda: services.referral_start(referral_id=referral.pk, by=maya),
        "end": lambda: services.referral_end(referral_id=referral.pk, by=maya, outcome=outcome()),
    }
    for step in steps:
        calls[step]()
    state_before = Referral.objects.get(pk=referral.pk).state
    with pytest.raises(Refusal) as refused:
        calls[verb]()
    assert refused.value.message == message
    assert Referral.objects.get(pk=referral.pk).state == state_before


def test_the_group_side_cannot_answer_for_the_operator(sent, alice):
    with pytest.raises(Refusal, match="Seul le partenaire qui porte le dispositif"):
        services.referral_accept(referral_id=sent.pk, by=alice)


def test_the_operator_cannot_send_or_abandon(propose, situation, scheme, maya):
    referral = propose(situation, scheme)
    for action in (services.referral_send, services.referral_abandon):
        with pytest.raises(Refusal, match="Seuls les partenaires qui suivent la situation"):
            action(referral_id=referral.pk, by=maya)


def test_another_partner_cannot_propose(situation, scheme, bob):
    with pytest.raises(Refusal):
        services.referral_propose(situation=situation, scheme=scheme, by=bob)
    assert not Referral.objects.exists()


def test_the_coordinator_may_propose_and_send(situation, scheme, charlie, maya):
    referral = services.referral_propose(situation=situation, scheme=scheme, by=charlie)
    assert services.referral_send(referral_id=referral.pk, by=charlie).state == State.SENT


def test_a_closed_situation_refuses_new_referrals(propose, situation, scheme):
    Situation.objects.filter(pk=situation.pk).update(status=Situation.Status.CLOSED)
    with pytest.raises(Refusal, match="La situation est clôturée"):
        propose(situation, scheme)


def test_a_closed_situation_refuses_sending_a_draft(propose, situation, scheme, alice):
    referral = propose(situation, scheme)
    Situation.objects.filter(pk=situation.pk).update(status=Situation.Status.CLOSED)
    with pytest.raises(Refusal, match="La situation est clôturée"):
        services.referral_send(referral_id=referral.pk, by=alice)


def test_declining_needs_a_reason(sent, maya):
    with pytest.raises(Refusal, match="motif du refus"):
        services.referral_decline(referral_id=sent.pk, by=maya, reason=None)
    assert Referral.objects.get(pk=sent.pk).state == State.SENT


def test_ending_needs_an_outcome(sent, maya):
    services.referral_accept(referral_id=sent.pk, by=maya)
    services.referral_start(referral_id=sent.pk, by=maya)
    with pytest.raises(Refusal, match="issue"):
        services.referral_end(referral_id=sent.pk, by=maya, outcome=None)


def test_an_excluded_scheme_needs_a_justification(propose, situation, mission_locale):
    adults = make_scheme(mission_locale, "Garantie jeunes adultes", min_age=18, max_age=25)
    with pytest.raises(services.JustificationRequired):
        propose(situation, adults)
    referral = propose(situation, adults, justification="Le jeune aura 18 ans dans deux mois.")
    assert referral.justification == "Le jeune aura 18 ans dans deux mois."


def test_an_eligible_scheme_needs_no_justification(propose, situation, scheme):
    assert propose(situation, scheme).justification is None


def test_one_open_referral_per_scheme(propose, situation, scheme):
    propose(situation, scheme)
    with pytest.raises(Refusal, match="déjà en cours"):
        propose(situation, scheme)


def test_an_inactive_scheme_cannot_be_chosen(propose, situation, scheme):
    scheme.active = False
    scheme.save()
    with pytest.raises(Refusal, match="n'est plus proposé"):
        propose(situation, scheme)


def test_sending_to_a_partner_without_signed_charter_is_refused(propose, situation, scheme, mission_locale, alice):
    mission_locale.charter_signed_on = None
    mission_locale.save()
    referral = propose(situation, scheme)
    with pytest.raises(Refusal, match="n'a pas signé la charte"):
        services.referral_send(referral_id=referral.pk, by=alice)


def test_justification_is_not_stored_in_plaintext(propose, situation, scheme):
    propose(situation, scheme, justification="Suivi éducatif renforcé souhaité par la famille Zorglub")
    assert not any(b"zorglub" in cell for cell in raw_database_text())


def test_str_shows_no_personal_data(propose, situation, scheme):
    referral = propose(situation, scheme, justification="Inès Martinez")
    assert "Inès" not in str(referral) and "Martinez" not in str(referral)
