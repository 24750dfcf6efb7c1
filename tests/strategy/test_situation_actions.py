"""A situation's fiches-actions: proposed from its motifs and referrals' schemes, confirmed or removed
by its référent or the coordination."""

import pytest
from django.urls import reverse

from casework import services
from core.refusal import Refusal
from referrals import services as referral_services
from referrals.models import Scheme
from strategy.models import SituationAction
from strategy.selectors import proposed_actions
from strategy.services import situation_action_confirm
from tests.factories import make_action, make_scheme, make_situation, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def action(city):
    return make_action(city, "2.1", motifs=("absenteisme-scolaire",))


@pytest.fixture
def situation(alice):
    situation = make_situation(alice)
    return services.situation_update(
        situation_id=situation.pk, by=alice, expected_version=situation.version, changes={"referent": alice}
    )


def post(client, situation, action, operation="confirm"):
    url = reverse("strategy:situation_actions", args=[situation.pk])
    return client.post(url, {"action": action.pk, "operation": operation})


def test_it_proposes_actions_from_the_motifs_with_the_reason(situation, action):
    proposals = proposed_actions(situation, set())
    assert [(p.action, p.reasons) for p in proposals] == [(action, ["motif « Absentéisme scolaire »"])]


def test_it_proposes_the_action_of_a_referred_scheme(situation, alice, mission_locale):
    youth = make_action(mission_locale, "2.2")
    scheme = make_scheme(mission_locale, action=youth)
    referral_services.referral_propose(situation=situation, scheme=scheme, by=alice, justification="test")
    assert [p.reasons for p in proposed_actions(situation, set()) if p.action == youth] == [
        ["orientation vers « Contrat d'engagement jeune »"]
    ]


def test_an_inactive_action_is_not_proposed(situation, action):
    action.active = False
    action.save()
    assert proposed_actions(situation, set()) == []


def test_the_referent_confirms_a_proposed_action(client_for, alice, situation, action):
    response = post(client_for(alice), situation, action)
    assert response["Location"].endswith("#fiches-actions")
    link = SituationAction.objects.get()
    assert (link.situation, link.action, link.confirmed_by) == (situation, action, alice)


def test_the_detail_page_shows_proposals_to_the_referent(client_for, alice, situation, action):
    page = client_for(alice).get(reverse("casework:situation_detail", args=[situation.pk])).content.decode()
    assert "Fiches-actions" in page and "Confirmer" in page and "motif « Absentéisme scolaire »" in page


def test_a_colleague_who_is_not_the_referent_sees_the_list_read_only(client_for, situation, action, azimuts, charlie):
    situation_action_confirm(situation=situation, action=action, by=charlie)
    colleague = make_user("alain", azimuts)
    page = client_for(colleague).get(reverse("casework:situation_detail", args=[situation.pk])).content.decode()
    assert "Fiche-action 2.1" in page and "Retirer" not in page and "Confirmer" not in page
    post(client_for(colleague), situation, action, "remove")
    assert SituationAction.objects.exists()


def test_another_partner_gets_404(client_for, bob, situation, action):
    assert post(client_for(bob), situation, action).status_code == 404
    assert not SituationAction.objects.exists()


def test_the_coordinator_confirms_and_removes(client_for, charlie, situation, action):
    post(client_for(charlie), situation, action)
    assert SituationAction.objects.count() == 1
    post(client_for(charlie), situation, action, "remove")
    assert not SituationAction.objects.exists()


def test_confirming_twice_keeps_one_link(client_for, alice, situation, action):
    post(client_for(alice), situation, action)
    post(client_for(alice), situation, action)
    assert SituationAction.objects.count() == 1


def test_a_restricted_situation_takes_no_new_link(charlie, situation, action):
    services.situation_restrict(situation_id=situation.pk, by=charlie, restricted=True)
    situation.refresh_from_db()
    with pytest.raises(Refusal):
        situation_action_confirm(situation=situation, action=action, by=charlie)


def test_a_forged_unknown_action_gets_404(client_for, alice, situation):
    url = reverse("strategy:situation_actions", args=[situation.pk])
    assert client_for(alice).post(url, {"action": 999999, "operation": "confirm"}).status_code == 404


def test_the_link_is_in_the_change_history(client_for, alice, situation, action):
    from audit.models import ChangeEntry

    post(client_for(alice), situation, action)
    entry = ChangeEntry.objects.get_for_model(SituationAction).get()
    assert entry.actor == alice


def test_a_referral_inherits_its_schemes_action_and_keeps_it(situation, alice, mission_locale):
    youth = make_action(mission_locale, "2.2")
    scheme = make_scheme(mission_locale, action=youth)
    referral = referral_services.referral_propose(situation=situation, scheme=scheme, by=alice, justification="t")
    Scheme.objects.filter(pk=scheme.pk).update(action=make_action(mission_locale, "2.3"))
    referral.refresh_from_db()
    assert referral.action == youth
