"""Nothing typed is lost when a session ends: the way back after signing in, the keep-alive, the
sign-in page's word about the expired session."""

import pytest
from django.conf import settings
from django.test import Client

from tests.factories import make_situation

pytestmark = pytest.mark.django_db


def test_a_note_sent_after_the_session_ended_comes_back_to_the_situation_page(alice):
    situation = make_situation(alice)
    page = f"/situations/{situation.pk}/"

    response = Client().post(f"{page}notes/", {"body": "Texte"}, HTTP_REFERER=f"http://testserver{page}")

    assert response.status_code == 302
    assert response.url == f"/connexion/?next={page}"


def test_without_a_referer_the_way_back_is_the_address_one_level_up(alice):
    situation = make_situation(alice)

    response = Client().post(f"/situations/{situation.pk}/notes/", {"body": "Texte"})

    assert response.url == f"/connexion/?next=/situations/{situation.pk}/"


def test_a_referer_from_another_site_is_ignored(alice):
    situation = make_situation(alice)

    response = Client().post(
        f"/situations/{situation.pk}/notes/", {"body": "x"}, HTTP_REFERER="https://evil.example/phish/"
    )

    assert "evil" not in response.url


def test_a_get_still_comes_back_to_the_page_asked_for():
    response = Client().get("/situations/?status=recue")

    assert response.url == "/connexion/?next=/situations/%3Fstatus%3Drecue"


def test_the_sign_in_page_says_the_session_expired_when_its_cookie_outlived_it():
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = "a-session-the-server-no-longer-knows"

    content = client.get("/connexion/?next=/situations/").content.decode()

    assert 'id="session-expired" role="status">' in content
    assert "Votre session a expiré, reconnectez-vous." in content


def test_a_first_visit_is_not_told_its_session_expired():
    content = Client().get("/connexion/?next=/situations/").content.decode()

    assert 'id="session-expired" role="status" hidden>' in content


def test_keep_alive_extends_a_live_session(alice, client_for):
    client = client_for(alice)

    response = client.post("/session/prolonger/")

    assert response.status_code == 204
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE


def test_keep_alive_answers_401_once_the_session_is_gone():
    assert Client().post("/session/prolonger/").status_code == 401


def test_keep_alive_refuses_a_get(alice, client_for):
    assert client_for(alice).get("/session/prolonger/").status_code == 405


def test_signed_in_pages_carry_the_idle_warning_and_the_draft_forms(alice, client_for):
    situation = make_situation(alice)
    content = client_for(alice).get(f"/situations/{situation.pk}/").content.decode()

    assert 'role="alertdialog"' in content and "Rester connecté" in content
    assert f'data-idle-seconds="{settings.SESSION_COOKIE_AGE - 60}"' in content
    assert "novalidate data-draft>" in content
    assert "parcours/session.js" in content
