"""A session ends PARCOURS_SESSION_MAX_HOURS after sign-in, however busy it has been; the idle timeout
still ends a session left alone before that."""

import datetime

import pytest
import time_machine
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.test import Client
from django.utils import timezone

from access.middleware import LOGIN_AT
from audit.models import Event
from config.env import env_int
from tests.factories import PASSWORD, verified_login

pytestmark = pytest.mark.django_db

STEP = datetime.timedelta(minutes=20)  # well inside the 30-minute idle timeout
EXPIRED = "Votre session a expiré après 10 heures : reconnectez-vous."


def _signed_in(client) -> bool:
    # Home shows a signed-in member « À traiter » and sends anyone else to the sign-in page.
    return client.get("/").status_code == 200


def _busy_until(client, traveller, hours: float) -> None:
    """A request every twenty minutes, each still signed in, until `hours` after the start."""
    start = timezone.now()
    while timezone.now() + STEP < start + datetime.timedelta(hours=hours):
        traveller.shift(STEP)
        assert _signed_in(client), f"signed out after {timezone.now() - start}"


def test_a_busy_session_ends_after_ten_hours(alice):
    client = Client()
    with time_machine.travel(datetime.datetime(2026, 11, 2, 8, 0, tzinfo=datetime.UTC), tick=False) as traveller:
        verified_login(client, alice)
        _busy_until(client, traveller, hours=10)
        traveller.move_to(datetime.datetime(2026, 11, 2, 18, 0, 1, tzinfo=datetime.UTC))

        response = client.get("/situations/")

        assert response.status_code == 302
        assert response["Location"] == "/connexion/?next=%2Fsituations%2F"
        assert EXPIRED in client.get(response["Location"]).content.decode()
        assert not _signed_in(client)


def test_the_session_is_dropped_not_just_redirected(alice):
    client = Client()
    with time_machine.travel(datetime.datetime(2026, 11, 2, 8, 0, tzinfo=datetime.UTC), tick=False) as traveller:
        verified_login(client, alice)
        old_key = client.session.session_key
        _busy_until(client, traveller, hours=10)
        traveller.shift(STEP)
        client.get("/situations/")

        from django.contrib.sessions.models import Session

        assert not Session.objects.filter(session_key=old_key).exists()
        assert "_auth_user_id" not in client.session


def test_just_under_the_limit_the_session_goes_on(alice):
    client = Client()
    with time_machine.travel(datetime.datetime(2026, 11, 2, 8, 0, tzinfo=datetime.UTC), tick=False) as traveller:
        verified_login(client, alice)
        _busy_until(client, traveller, hours=10)
        traveller.move_to(datetime.datetime(2026, 11, 2, 17, 59, 30, tzinfo=datetime.UTC))
        assert _signed_in(client)


def test_the_lifetime_counts_from_sign_in_with_the_password(alice):
    client = Client()
    moment = datetime.datetime(2026, 11, 2, 8, 0, tzinfo=datetime.UTC)
    with time_machine.travel(moment, tick=False):
        response = client.post("/connexion/", {"username": "alice", "password": PASSWORD})
        assert response.status_code == 302
        assert client.session[LOGIN_AT] == int(moment.timestamp())


def test_the_lifetime_is_configurable(alice, settings):
    settings.PARCOURS_SESSION_MAX_HOURS = 2
    client = Client()
    with time_machine.travel(datetime.datetime(2026, 11, 2, 8, 0, tzinfo=datetime.UTC), tick=False) as traveller:
        verified_login(client, alice)
        _busy_until(client, traveller, hours=2)
        traveller.shift(STEP)
        response = client.get("/situations/", follow=True)
    assert "Votre session a expiré après 2 heures : reconnectez-vous." in response.content.decode()


def test_an_htmx_request_reloads_the_sign_in_page(alice):
    client = Client()
    with time_machine.travel(datetime.datetime(2026, 11, 2, 8, 0, tzinfo=datetime.UTC), tick=False) as traveller:
        verified_login(client, alice)
        _busy_until(client, traveller, hours=10)
        traveller.shift(STEP)
        response = client.get("/situations/", headers={"HX-Request": "true"})
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith("/connexion/")


def test_the_end_records_no_security_event_like_the_idle_timeout(alice):
    client = Client()
    with time_machine.travel(datetime.datetime(2026, 11, 2, 8, 0, tzinfo=datetime.UTC), tick=False) as traveller:
        verified_login(client, alice)
        _busy_until(client, traveller, hours=10)
        before = Event.objects.count()
        traveller.shift(STEP)
        client.get("/situations/")
    assert Event.objects.count() == before


def test_signing_in_again_starts_a_new_lifetime(alice):
    client = Client()
    with time_machine.travel(datetime.datetime(2026, 11, 2, 8, 0, tzinfo=datetime.UTC), tick=False) as traveller:
        verified_login(client, alice)
        _busy_until(client, traveller, hours=10)
        traveller.shift(STEP)
        assert not _signed_in(client)
        verified_login(client, alice)
        traveller.shift(STEP)
        assert _signed_in(client)


def test_a_session_from_before_the_rule_counts_from_its_next_request(alice):
    client = Client()
    with time_machine.travel(datetime.datetime(2026, 11, 2, 8, 0, tzinfo=datetime.UTC), tick=False) as traveller:
        verified_login(client, alice)
        session = client.session
        del session[LOGIN_AT]
        session.save()
        traveller.shift(STEP)
        assert _signed_in(client)
        assert client.session[LOGIN_AT] == int(timezone.now().timestamp())


def test_the_idle_timeout_still_ends_a_quiet_session_first(alice):
    client = Client()
    with time_machine.travel(datetime.datetime(2026, 11, 2, 8, 0, tzinfo=datetime.UTC), tick=False) as traveller:
        verified_login(client, alice)
        traveller.shift(datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE) + datetime.timedelta(minutes=1))
        response = client.get("/situations/", follow=True)
    assert not _signed_in(client)
    # The sign-in page says the session expired, not that it reached its ten hours.
    assert EXPIRED not in response.content.decode()
    assert 'id="session-expired" role="status">' in response.content.decode()


def test_a_lifetime_under_one_hour_is_refused(monkeypatch):
    monkeypatch.setenv("PARCOURS_SESSION_MAX_HOURS", "0")
    with pytest.raises(ImproperlyConfigured, match="at least 1"):
        env_int("PARCOURS_SESSION_MAX_HOURS", 10, minimum=1)
