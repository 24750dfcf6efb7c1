"""Consent that counts (PARCOURS_CONSENT_POLICY): when the young person or the family refused,
orienting them or putting their situation on a séance's agenda needs a written justification,
is refused, or goes on, per deployment."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from casework.models import ConsentJustification, Information
from casework.services import ConsentJustificationRequired, information_record
from config.env import env_choice
from core.refusal import Refusal
from referrals import services
from referrals.models import Referral
from seances import services as seance_services
from tests.casework.test_no_plaintext_at_rest import raw_database_text
from tests.seances.helpers import make_seance

pytestmark = pytest.mark.django_db
WHY = "Décrochage scolaire grave, le collège et la Mission locale demandent un relais rapide"


def refuse(situation, by, response=Information.Response.REFUSED):
    information_record(
        situation=situation,
        by=by,
        recipient=Information.Recipient.LEGAL_REPRESENTATIVE,
        informed_on=timezone.localdate(),
        mode=Information.Mode.MEETING,
        response=response,
    )


def test_under_justification_orienting_a_refused_situation_fails_without_one(
    situation, scheme, alice, propose, settings
):
    settings.PARCOURS_CONSENT_POLICY = "justification"
    refuse(situation, alice)
    with pytest.raises(ConsentJustificationRequired):
        propose(situation, scheme)
    with pytest.raises(ConsentJustificationRequired):
        services.referral_propose(situation=situation, scheme=scheme, by=alice, consent_justification="trop court")
    assert not Referral.objects.exists()


def test_under_justification_it_succeeds_with_one_stored_encrypted(situation, scheme, alice, settings):
    settings.PARCOURS_CONSENT_POLICY = "justification"
    refuse(situation, alice)
    referral = services.referral_propose(situation=situation, scheme=scheme, by=alice, consent_justification=WHY)
    services.referral_send(referral_id=referral.pk, by=alice)
    justification = ConsentJustification.objects.get()
    assert (justification.action, justification.justification) == (ConsentJustification.Action.REFERRAL, WHY)
    assert b"crochage scolaire grave" not in b"\n".join(raw_database_text())


def test_under_refus_it_fails_even_with_a_justification(situation, scheme, alice, settings):
    settings.PARCOURS_CONSENT_POLICY = "refus"
    refuse(situation, alice)
    with pytest.raises(Refusal, match="ni orientée"):
        services.referral_propose(situation=situation, scheme=scheme, by=alice, consent_justification=WHY)


def test_under_refus_a_refusal_recorded_after_the_proposal_stops_the_sending(
    situation, scheme, alice, propose, settings
):
    settings.PARCOURS_CONSENT_POLICY = "refus"
    referral = propose(situation, scheme)
    refuse(situation, alice)
    with pytest.raises(Refusal, match="ni orientée"):
        services.referral_send(referral_id=referral.pk, by=alice)


def test_under_libre_nothing_is_asked(situation, scheme, alice, propose, settings):
    settings.PARCOURS_CONSENT_POLICY = "libre"
    refuse(situation, alice)
    assert propose(situation, scheme).state == Referral.State.PROPOSED


def test_a_later_agreement_lifts_the_refusal(situation, scheme, alice, propose, settings):
    settings.PARCOURS_CONSENT_POLICY = "refus"
    refuse(situation, alice)
    refuse(situation, alice, Information.Response.AGREED)
    assert propose(situation, scheme).state == Referral.State.PROPOSED


def test_the_seance_agenda_asks_the_same(situation, alice, charlie, settings):
    settings.PARCOURS_CONSENT_POLICY = "justification"
    refuse(situation, alice)
    seance = make_seance(charlie)
    with pytest.raises(ConsentJustificationRequired):
        seance_services.agenda_item_add(seance_id=seance.pk, situation=situation, by=charlie)
    seance_services.agenda_item_add(seance_id=seance.pk, situation=situation, by=charlie, consent_justification=WHY)
    assert ConsentJustification.objects.get().action == ConsentJustification.Action.SEANCE


def test_the_group_reads_the_justification_on_the_situation(situation, scheme, alice, client_for, settings):
    settings.PARCOURS_CONSENT_POLICY = "justification"
    refuse(situation, alice)
    services.referral_propose(situation=situation, scheme=scheme, by=alice, consent_justification=WHY)
    page = client_for(alice).get(f"/situations/{situation.pk}/").content.decode()
    assert "Poursuivi malgré le refus" in page and WHY in page


def test_the_dpo_lists_the_justifications(situation, scheme, alice, dora, client_for, settings):
    settings.PARCOURS_CONSENT_POLICY = "justification"
    refuse(situation, alice)
    services.referral_propose(situation=situation, scheme=scheme, by=alice, consent_justification=WHY)
    page = client_for(dora).get("/donnees/poursuites-malgre-refus/").content.decode()
    assert situation.reference in page and WHY in page


def test_the_list_sits_under_data_protection_for_the_dpo_and_the_coordinator(dora, charlie, client_for):
    for user in (dora, charlie):
        page = client_for(user).get("/donnees/demandes/").content.decode()
        assert 'href="/donnees/poursuites-malgre-refus/"' in page


def test_the_coordinator_lists_only_the_justifications_of_situations_it_reads(
    situation, scheme, alice, charlie, client_for, settings
):
    from access import ledger
    from access.models import Reason
    from access.permissions import coordination_group
    from audit.models import Event, Kind
    from tests.factories import make_situation

    settings.PARCOURS_CONSENT_POLICY = "justification"
    hidden = make_situation(alice)
    for each in (situation, hidden):
        refuse(each, alice)
        services.referral_propose(situation=each, scheme=scheme, by=alice, consent_justification=WHY)
    ledger.end(hidden, group=coordination_group(), reason=Reason.COORDINATION, by=None)

    page = client_for(charlie).get("/donnees/poursuites-malgre-refus/").content.decode()

    assert situation.reference in page and hidden.reference not in page
    assert f"/situations/{situation.pk}/" in page and "/audit/situation/" not in page
    shown = ConsentJustification.objects.get(situation=situation)
    assert Event.objects.filter(kind=Kind.READ, user=charlie, object_id=str(shown.pk)).exists()


def test_partner_staff_may_not_list_the_justifications(alice, client_for):
    assert client_for(alice).get("/donnees/poursuites-malgre-refus/").status_code == 403


def test_the_list_pages_without_counting(situation, scheme, alice, charlie, dora, client_for, settings):
    settings.PARCOURS_CONSENT_POLICY = "justification"
    settings.PARCOURS_PAGE_SIZE = 1
    refuse(situation, alice)
    services.referral_propose(situation=situation, scheme=scheme, by=alice, consent_justification=WHY)
    seance = make_seance(charlie)
    seance_services.agenda_item_add(seance_id=seance.pk, situation=situation, by=charlie, consent_justification=WHY)
    client = client_for(dora)
    first = client.get("/donnees/poursuites-malgre-refus/").content.decode()
    # « Page 1 », never « Page 1 sur 2 »: no COUNT was run.
    assert "page=2" in first and "Page 1 sur" not in first and "Page 1" in first
    second = client.get("/donnees/poursuites-malgre-refus/?page=2").content.decode()
    assert situation.reference in second and "page=3" not in second


def test_an_unknown_policy_stops_start_up(monkeypatch):
    monkeypatch.setenv("PARCOURS_CONSENT_POLICY", "parfois")
    with pytest.raises(ImproperlyConfigured, match="justification, refus, libre"):
        env_choice("PARCOURS_CONSENT_POLICY", "justification", ("justification", "refus", "libre"))


def test_the_orientation_form_says_the_justification_is_required_after_a_refusal(
    situation, alice, client_for, settings
):
    # Tried in the demo: after a refusal the field said « (facultatif) », then the form refused to go on.
    settings.PARCOURS_CONSENT_POLICY = "justification"
    refuse(situation, alice)
    page = client_for(alice).get(f"/situations/{situation.pk}/orientations/").content.decode()
    assert "Justification malgré le refus du jeune ou de la famille</label>" in page
    assert "Justification malgré le refus du jeune ou de la famille <span" not in page
    assert "demande une justification écrite" in page


def test_under_refus_the_orientation_form_says_so_rather_than_asking_a_justification(
    situation, alice, client_for, settings
):
    settings.PARCOURS_CONSENT_POLICY = "refus"
    refuse(situation, alice)
    page = client_for(alice).get(f"/situations/{situation.pk}/orientations/").content.decode()
    assert "consent_justification" not in page
    assert "ne peut être ni orientée ni inscrite" in page
