"""The coordination manages the strategy, its axes and fiches-actions; nobody else does."""

import pytest
from django.urls import reverse

from strategy.models import Action, Axis, SituationAction, Strategy
from strategy.services import situation_action_confirm
from tests.factories import make_action, make_situation

pytestmark = pytest.mark.django_db


def test_the_coordinator_creates_a_strategy_an_axis_and_an_action(client_for, charlie, city, azimuts):
    client = client_for(charlie)
    client.post(
        reverse("strategy:strategy_create"),
        {"title": "STSPD 2027 – 2029", "starts_on": "2027-01-01", "ends_on": "2029-12-31", "active": "on"},
    )
    strategy = Strategy.objects.get()
    client.post(reverse("strategy:axis_create", args=[strategy.pk]), {"number": "2", "title": "Prévention sociale"})
    axis = Axis.objects.get()
    response = client.post(
        reverse("strategy:action_create", args=[strategy.pk]),
        {"axis": axis.pk, "code": "2.1", "title": "Renforcer le GSN", "pilot": city.pk, "partners": [azimuts.pk]},
    )
    assert response["Location"] == reverse("strategy:strategy_list")
    action = Action.objects.get()
    assert (action.strategy, action.pilot, list(action.partners.all())) == (strategy, city, [azimuts])
    assert "Renforcer le GSN" in client.get(reverse("strategy:strategy_list")).content.decode()


def test_a_code_is_unique_in_its_strategy(client_for, charlie, city):
    action = make_action(city, "2.1")
    response = client_for(charlie).post(
        reverse("strategy:action_create", args=[action.strategy.pk]),
        {"axis": action.axis.pk, "code": "2.1", "title": "Doublon", "pilot": city.pk},
    )
    assert "Le code 2.1 est déjà pris dans cette stratégie." in response.content.decode()
    assert Action.objects.count() == 1


def test_a_period_ending_before_it_starts_is_refused(client_for, charlie):
    response = client_for(charlie).post(
        reverse("strategy:strategy_create"), {"title": "X", "starts_on": "2027-01-01", "ends_on": "2026-12-31"}
    )
    assert "La fin de la période doit suivre son début." in response.content.decode()
    assert not Strategy.objects.exists()


def test_an_axis_of_another_strategy_is_refused(client_for, charlie, city):
    action = make_action(city, "2.1")
    other = Strategy.objects.create(title="Autre", starts_on="2022-01-01", ends_on="2024-12-31")
    foreign = Axis.objects.create(strategy=other, number=1, title="Axe 1")
    response = client_for(charlie).post(
        reverse("strategy:action_create", args=[action.strategy.pk]),
        {"axis": foreign.pk, "code": "1.1", "title": "Intrus", "pilot": city.pk},
    )
    assert response.status_code == 200 and Action.objects.count() == 1


@pytest.mark.parametrize("role_user", ["alice", "dora", "adam"])
def test_only_the_coordination_manages_the_strategy(client_for, city, role_user, request):
    action = make_action(city, "2.1")
    client = client_for(request.getfixturevalue(role_user))
    assert client.get(reverse("strategy:strategy_list")).status_code == 403
    assert (
        client.post(reverse("strategy:action_status", args=[action.pk]), {"operation": "deactivate"}).status_code == 403
    )
    action.refresh_from_db()
    assert action.active


def test_deactivation_asks_for_confirmation_then_keeps_the_links(client_for, charlie, alice, city):
    action = make_action(city, "2.1")
    situation_action_confirm(situation=make_situation(alice), action=action, by=charlie)
    client = client_for(charlie)
    page = client.get(reverse("strategy:action_status", args=[action.pk])).content.decode()
    assert "Désactiver la fiche-action" in page
    client.post(reverse("strategy:action_status", args=[action.pk]), {"operation": "deactivate"})
    action.refresh_from_db()
    assert not action.active and SituationAction.objects.exists()


def test_a_linked_action_cannot_be_deleted(client_for, charlie, alice, city):
    action = make_action(city, "2.1")
    situation_action_confirm(situation=make_situation(alice), action=action, by=charlie)
    client_for(charlie).post(reverse("strategy:action_status", args=[action.pk]), {"operation": "delete"})
    assert Action.objects.filter(pk=action.pk).exists()


def test_an_unlinked_action_can_be_deleted(client_for, charlie, city):
    action = make_action(city, "2.1")
    client_for(charlie).post(reverse("strategy:action_status", args=[action.pk]), {"operation": "delete"})
    assert not Action.objects.exists()


def _strategy_list_queries(client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("strategy:strategy_list"))
    assert response.status_code == 200
    return [query["sql"] for query in queries]


def test_the_strategy_list_runs_the_same_queries_whatever_the_number_of_fiches(client_for, charlie, city, azimuts):
    """One fiche, then three strategies of three axes with partners and motifs: the same queries."""
    client = client_for(charlie)
    make_action(city, "1.1").partners.set([azimuts])
    client.get(reverse("strategy:strategy_list"))
    few = _strategy_list_queries(client)
    for n in range(2):
        strategy = Strategy.objects.create(title=f"Stratégie {n}", starts_on="2022-01-01", ends_on="2024-12-31")
        for code in ("1.1", "1.2", "2.1", "3.1"):
            make_action(azimuts, code, strategy=strategy, motifs=("absenteisme-scolaire",)).partners.set([city])
    many = _strategy_list_queries(client)
    assert len(many) == len(few), "\n".join(many)
