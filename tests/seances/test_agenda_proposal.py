"""The agenda proposes exactly the situations due for the séance, with why."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.models import Situation
from casework.services import situation_update
from core.refusal import Refusal
from referrals.models import Referral
from referrals.services import referral_accept, referral_propose, referral_send
from seances import services
from seances.models import AgendaItem
from seances.selectors import agenda_proposal
from tests.casework.helpers import make_due
from tests.factories import make_scheme, make_situation
from tests.referrals.test_consent_policy import refuse
from tests.seances.helpers import make_seance

pytestmark = pytest.mark.django_db
Reason = AgendaItem.Reason


def _examined(situation, by, **changes):
    situation = situation_update(
        situation_id=situation.pk, by=by, expected_version=situation.version, changes={"status": "examinee"}
    )
    if changes:
        situation = situation_update(
            situation_id=situation.pk, by=by, expected_version=situation.version, changes=changes
        )
    return situation


def _proposed(seance, user) -> dict:
    return {p.situation.reference: p.reason for p in agenda_proposal(seance, user)}


def test_it_proposes_exactly_the_due_situations(alice, charlie, maya, mission_locale):
    seance = make_seance(charlie)
    today = timezone.localdate()
    new = make_situation(alice)
    review_due = _examined(make_situation(alice), charlie, next_review_on=seance.date)
    review_later = _examined(make_situation(alice), charlie, next_review_on=seance.date + datetime.timedelta(days=1))
    examined_without_date = _examined(make_situation(alice), charlie)
    scheme = make_scheme(mission_locale, min_age=12, max_age=25)
    overdue = _examined(make_situation(alice), charlie)
    referral = referral_propose(situation=overdue, scheme=scheme, by=charlie, justification="x")
    referral_send(referral_id=referral.pk, by=charlie)
    Referral.objects.filter(pk=referral.pk).update(deadline=seance.date - datetime.timedelta(days=1))
    answered = _examined(make_situation(alice), charlie)
    referral = referral_propose(situation=answered, scheme=scheme, by=charlie, justification="x")
    referral_send(referral_id=referral.pk, by=charlie)
    referral_accept(referral_id=referral.pk, by=maya)
    waiting = _examined(make_situation(alice), charlie)
    referral = referral_propose(situation=waiting, scheme=scheme, by=charlie, justification="x")
    referral_send(referral_id=referral.pk, by=charlie)
    not_retained = make_due(make_situation(alice))
    restricted = make_situation(alice)
    Situation.objects.filter(pk=restricted.pk).update(restricted=True)
    assert today <= seance.date

    proposed = _proposed(seance, charlie)

    assert proposed == {
        new.reference: Reason.NEW,
        review_due.reference: Reason.REVIEW_DUE,
        overdue.reference: Reason.REFERRAL_OVERDUE,
        answered.reference: Reason.REFERRAL_ANSWERED,
    }
    for left_out in (review_later, examined_without_date, waiting, not_retained, restricted):
        assert left_out.reference not in proposed


def test_a_new_saisine_on_another_open_seance_is_not_proposed_again(alice, charlie):
    situation = make_situation(alice)
    first = make_seance(charlie)
    services.agenda_item_add(seance_id=first.pk, situation=situation, by=charlie)
    second = make_seance(charlie, days_ahead=30)

    assert situation.reference not in _proposed(second, charlie)


def test_situations_already_on_the_agenda_are_not_proposed(alice, charlie):
    situation = make_situation(alice)
    seance = make_seance(charlie)
    services.agenda_item_add(seance_id=seance.pk, situation=situation, by=charlie)

    assert _proposed(seance, charlie) == {}


def test_answers_before_the_previous_closed_seance_are_not_proposed(alice, charlie, maya, mission_locale):
    situation = _examined(make_situation(alice), charlie)
    scheme = make_scheme(mission_locale, min_age=12, max_age=25)
    referral = referral_propose(situation=situation, scheme=scheme, by=charlie, justification="x")
    referral_send(referral_id=referral.pk, by=charlie)
    referral_accept(referral_id=referral.pk, by=maya)
    previous = make_seance(charlie, days_ahead=1)
    services.agenda_item_add(seance_id=previous.pk, situation=make_situation(alice), by=charlie)
    services.seance_start(seance_id=previous.pk, by=charlie)
    services.seance_close(seance_id=previous.pk, by=charlie)

    assert situation.reference not in _proposed(make_seance(charlie, days_ahead=30), charlie)


def test_a_seance_of_one_quartier_proposes_its_young_people_only(alice, charlie):
    from casework.models import Territory

    bourg, marais = Territory.objects.get(code="bourg"), Territory.objects.get(code="marais")
    inside = make_situation(alice, territory_id=bourg.pk)
    outside = make_situation(alice, first_name="Zoé", territory_id=marais.pk)
    seance = make_seance(charlie, territory=bourg)

    assert set(_proposed(seance, charlie)) == {inside.reference}
    assert outside.reference not in _proposed(seance, charlie)


def test_accepting_the_proposal_fills_the_agenda_in_order(alice, charlie):
    first, second = make_situation(alice), make_situation(alice, first_name="Zoé")
    seance = make_seance(charlie)

    assert services.agenda_proposal_accept(seance_id=seance.pk, by=charlie) == 2

    items = list(seance.items.order_by("position"))
    assert [(i.position, i.situation_id, i.reason) for i in items] == [
        (1, first.pk, Reason.NEW),
        (2, second.pk, Reason.NEW),
    ]


def test_the_coordinator_reorders_and_removes_points(alice, charlie):
    a, b, c = (make_situation(alice, first_name=name) for name in ("Anna", "Bea", "Cleo"))
    seance = make_seance(charlie)
    services.agenda_proposal_accept(seance_id=seance.pk, by=charlie)
    item_c = seance.items.get(situation=c)

    services.agenda_item_move(seance_id=seance.pk, item_id=item_c.pk, by=charlie, offset=-1)
    services.agenda_item_remove(seance_id=seance.pk, item_id=seance.items.get(situation=a).pk, by=charlie)

    assert list(seance.items.order_by("position").values_list("situation_id", "position")) == [(c.pk, 1), (b.pk, 2)]


def test_only_the_coordination_prepares_the_agenda(alice, charlie):
    seance = make_seance(charlie)

    with pytest.raises(Refusal, match="Seule la coordination"):
        services.agenda_item_add(seance_id=seance.pk, situation=make_situation(alice), by=alice)


def test_a_closed_situation_cannot_be_put_on_the_agenda(alice, charlie):
    situation = make_due(make_situation(alice))
    seance = make_seance(charlie)

    with pytest.raises(Refusal, match="close ou non retenue"):
        services.agenda_item_add(seance_id=seance.pk, situation=situation, by=charlie)


def test_the_proposal_button_counts_only_what_it_adds_and_says_why_one_is_held(alice, charlie, client_for):
    agreed, refused = make_situation(alice), make_situation(alice, first_name="Zoé")
    refuse(refused, alice)
    seance = make_seance(charlie)

    page = client_for(charlie).get(reverse("seances:seance_detail", args=[seance.pk])).content.decode()

    assert "Ajouter cette situation" in page
    assert "Ajouter ces 2 situations" not in page
    assert "refus du jeune ou de sa famille : non ajoutée avec les autres" in page
    assert services.agenda_proposal_accept(seance_id=seance.pk, by=charlie) == 1
    assert list(seance.items.values_list("situation_id", flat=True)) == [agreed.pk]
