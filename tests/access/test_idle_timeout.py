"""A session expires after PARCOURS_IDLE_TIMEOUT_MINUTES without a request; each request extends it."""

import datetime
from unittest import mock

import pytest
from django.conf import settings
from django.utils import timezone

from tests.factories import verified_login

IDLE = datetime.timedelta(seconds=settings.SESSION_COOKIE_AGE)
MINUTE = datetime.timedelta(minutes=1)


@pytest.fixture
def signed_in(client, alice):
    return verified_login(client, alice)


def _get_home_at(client, moment):
    with mock.patch("django.utils.timezone.now", return_value=moment):
        return client.get("/")


def _signed_in_at(client, moment) -> bool:
    # Home shows a signed-in member « À traiter » and sends anyone else to the sign-in page.
    return _get_home_at(client, moment).status_code == 200


def test_a_session_survives_a_short_pause(signed_in):
    start = timezone.now()
    _get_home_at(signed_in, start)
    assert _signed_in_at(signed_in, start + IDLE - MINUTE)


def test_a_session_expires_after_the_idle_timeout(signed_in):
    start = timezone.now()
    _get_home_at(signed_in, start)
    assert not _signed_in_at(signed_in, start + IDLE + MINUTE)


def test_activity_extends_the_session(signed_in):
    start = timezone.now()
    _get_home_at(signed_in, start)
    _get_home_at(signed_in, start + IDLE - MINUTE)
    assert _signed_in_at(signed_in, start + IDLE + MINUTE)


def test_the_session_cookie_ends_with_the_browser(signed_in):
    response = _get_home_at(signed_in, timezone.now())
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == ""


def _session_writes(client, moment) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        _get_home_at(client, moment)
    return sum(1 for query in queries if query["sql"].startswith("UPDATE") and "django_session" in query["sql"])


def test_the_session_is_written_at_most_once_a_minute(signed_in):
    start = timezone.now()
    _get_home_at(signed_in, start)
    assert _session_writes(signed_in, start + datetime.timedelta(seconds=30)) == 0
    assert _session_writes(signed_in, start + MINUTE) == 1
