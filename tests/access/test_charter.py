import pytest
from django.test import override_settings

from access import services
from access.models import CharterAcceptance, CharterVersion
from tests.factories import make_situation, make_user, verified_login

CHARTER = "/charte/"


@pytest.fixture
def eve(azimuts):
    """A new colleague of alice's who has not accepted the charter yet."""
    return make_user("eve", azimuts, accept_charter=False)


def test_it_sends_a_user_who_has_not_accepted_to_the_charter(client, eve):
    verified_login(client, eve)
    response = client.get("/situations/")
    assert response.status_code == 302
    assert response.url == "/charte/?next=%2Fsituations%2F"


def test_a_user_who_has_not_accepted_sees_no_situation(client, alice, eve):
    situation = make_situation(alice)
    verified_login(client, eve)
    response = client.get("/situations/", follow=True)
    assert situation.reference not in response.content.decode()


def test_it_asks_for_the_second_factor_before_the_charter(client, eve):
    client.force_login(eve)
    response = client.get("/situations/")
    assert response.url.startswith("/mfa/")


def test_it_shows_the_charter_text(client, eve):
    verified_login(client, eve)
    response = client.get(CHARTER)
    assert "Secret partagé" in response.content.decode()


def test_accepting_records_the_acceptance(client, eve):
    verified_login(client, eve)
    client.post(CHARTER, {"accept": "on"})
    assert CharterAcceptance.objects.filter(user=eve, charter=CharterVersion.current()).exists()


def test_accepting_leads_back_to_where_the_user_was_going(client, eve):
    verified_login(client, eve)
    response = client.post(CHARTER, {"accept": "on", "next": "/situations/"})
    assert response.url == "/situations/"


def test_accepting_without_ticking_the_box_is_refused(client, eve):
    verified_login(client, eve)
    response = client.post(CHARTER, {})
    assert "Cochez la case pour accepter la charte." in response.content.decode()
    assert not CharterAcceptance.objects.filter(user=eve).exists()


def test_after_accepting_the_situations_open(client, eve):
    verified_login(client, eve)
    client.post(CHARTER, {"accept": "on"})
    assert client.get("/situations/").status_code == 200


def test_a_new_charter_version_must_be_accepted_again(client, alice):
    CharterVersion.objects.create(version=2, title="Charte v2", body="Texte révisé.")
    verified_login(client, alice)
    response = client.get("/situations/")
    assert response.url.startswith(CHARTER)


def test_without_any_charter_the_group_cannot_be_used(client, eve):
    CharterVersion.objects.all().delete()
    verified_login(client, eve)
    response = client.get(CHARTER)
    assert "le groupe ne peut pas encore être utilisé" in response.content.decode()


def test_charter_accept_keeps_the_first_date(eve):
    charter = CharterVersion.current()
    first = services.charter_accept(user=eve, charter=charter)
    again = services.charter_accept(user=eve, charter=charter)
    assert (again.pk, again.accepted_at) == (first.pk, first.accepted_at)


@override_settings(DEMO_MODE=True)
def test_demonstration_mode_still_requires_the_charter(client, eve):
    client.force_login(eve)
    response = client.get("/situations/")
    assert response.url.startswith(CHARTER)
