"""Login throttling (access/throttling.py): a lock per identifier and address that grows with each
failure, a delay per identifier that grows with a guess spread over addresses, and never a lock that
someone else can put on an account."""

import datetime
import re
from zoneinfo import ZoneInfo

import time_machine
from axes.models import AccessAttempt, AccessFailureLog
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.checks import run_checks
from django.test import Client

from access import throttling
from audit.models import Event, Kind
from tests.factories import PASSWORD

LOGIN = "/connexion/"
WRONG = "Wrong-password-42"
START = datetime.datetime(2026, 11, 17, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))
LOCKED = "Trop de tentatives depuis cette adresse : réessayez dans {}."
DELAYED = "Trop de tentatives pour cet identifiant : réessayez dans {}."


def _attempt(client, address, password=WRONG, username="alice"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def _fail(client, address, times, username="alice"):
    for _ in range(times):
        response = _attempt(client, address, username=username)
    return response


def _spread(client, count, username="alice"):
    """A guess spread over many addresses: one wrong password from each."""
    for n in range(1, count + 1):
        _attempt(client, f"10.0.1.{n}", username=username)


def _seconds(traveller, seconds):
    traveller.shift(datetime.timedelta(seconds=seconds))


# --- The lock per identifier and address -------------------------------------------------------------


def test_ten_failures_from_one_address_leave_another_address_free(client, alice):
    _fail(client, "10.0.0.1", 10)
    response = _attempt(client, "10.0.0.2", PASSWORD)
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(alice.pk)


def test_the_address_that_keeps_failing_is_locked_with_a_french_message(client, alice):
    with time_machine.travel(START, tick=False):
        fifth = _fail(client, "10.0.0.1", 5)
        right_password = _attempt(client, "10.0.0.1", PASSWORD)
    assert fifth.status_code == 429
    assert LOCKED.format("1 minute") in fifth.content.decode()
    assert right_password.status_code == 429 and right_password["Retry-After"] == "60"
    assert "access/locked_out.html" in [t.name for t in right_password.templates]
    assert SESSION_KEY not in client.session


def test_the_lock_doubles_with_each_failure_after_it(client, alice):
    with time_machine.travel(START, tick=False) as traveller:
        shown = [_fail(client, "10.0.0.1", 5).content.decode()]
        for minutes in (1, 2):
            _seconds(traveller, minutes * 60 + 1)
            shown.append(_attempt(client, "10.0.0.1").content.decode())
        _seconds(traveller, 4 * 60 - 1)
        still_locked = _attempt(client, "10.0.0.1", PASSWORD)
        _seconds(traveller, 2)
        over = _attempt(client, "10.0.0.1", PASSWORD)
    for page, wait in zip(shown, ("1 minute", "2 minutes", "4 minutes"), strict=True):
        assert LOCKED.format(wait) in page
    assert still_locked.status_code == 429
    assert over.status_code == 302


def test_the_lock_is_capped_at_an_hour(client, alice):
    with time_machine.travel(START, tick=False) as traveller:
        _fail(client, "10.0.0.1", 5)
        for minutes in (1, 2, 4, 8, 16, 32, 60):
            _seconds(traveller, minutes * 60 + 1)
            page = _attempt(client, "10.0.0.1").content.decode()
    assert LOCKED.format("60 minutes") in page


def test_an_attempt_during_the_lock_neither_counts_nor_extends_it(client, alice):
    with time_machine.travel(START, tick=False) as traveller:
        _fail(client, "10.0.0.1", 5)
        _seconds(traveller, 30)
        during = _fail(client, "10.0.0.1", 3)
        _seconds(traveller, 31)
        after = _attempt(client, "10.0.0.1", PASSWORD)
    assert LOCKED.format("30 secondes") in during.content.decode()
    assert after.status_code == 302


def test_a_successful_sign_in_resets_the_counters_of_its_address(client, alice):
    _fail(client, "10.0.0.1", 4)
    assert _attempt(client, "10.0.0.1", PASSWORD).status_code == 302
    assert not AccessAttempt.objects.filter(username="alice", ip_address="10.0.0.1").exists()
    client.logout()
    fourth = _fail(client, "10.0.0.1", 4)
    assert fourth.status_code == 200
    assert _attempt(client, "10.0.0.1", PASSWORD).status_code == 302


def test_a_successful_sign_in_elsewhere_leaves_the_locked_address_locked(client, alice):
    _fail(client, "10.0.0.1", 5)
    assert _attempt(client, "10.0.0.2", PASSWORD).status_code == 302
    client.logout()
    assert _attempt(client, "10.0.0.1", PASSWORD).status_code == 429


# --- The delay per identifier ------------------------------------------------------------------------


def test_a_guess_spread_over_addresses_must_wait_before_the_next_attempt(client, alice):
    with time_machine.travel(START, tick=False) as traveller:
        _spread(client, 10)
        refused = _attempt(client, "10.0.2.1", PASSWORD)
        _seconds(traveller, 2)
        waited = _attempt(client, "10.0.2.1", PASSWORD)
    content = refused.content.decode()
    assert refused.status_code == 429 and refused["Retry-After"] == "2"
    assert DELAYED.format("2 secondes") in content
    assert 'value="alice"' in content
    assert waited.status_code == 302


def test_the_delay_grows_with_the_identifier_failures(client, alice):
    """Each real failure past the threshold doubles the wait: the second burst waits longer."""
    with time_machine.travel(START, tick=False) as traveller:
        _spread(client, 10)
        first = int(_attempt(client, "10.0.2.1")["Retry-After"])
        for n in range(2):
            _seconds(traveller, 2 ** (n + 1))
            assert _attempt(client, f"10.0.3.{n}").status_code == 200  # checked and refused: a failure
        second = _attempt(client, "10.0.2.1")
    assert (first, int(second["Retry-After"])) == (2, 8)
    assert DELAYED.format("8 secondes") in second.content.decode()


def test_an_attempt_refused_by_the_delay_is_not_a_failure(client, alice):
    """However often someone knocks during the wait, waiting it out is enough."""
    with time_machine.travel(START, tick=False) as traveller:
        _spread(client, 10)
        for n in range(20):
            assert _attempt(client, f"10.0.4.{n}").status_code == 429
        _seconds(traveller, 2)
        response = _attempt(client, "10.0.2.1", PASSWORD)
    assert AccessFailureLog.objects.filter(username="alice").count() == 10
    assert response.status_code == 302


def test_one_address_counts_for_at_most_the_failure_limit(client, alice):
    with time_machine.travel(START, tick=False) as traveller:
        _fail(client, "10.0.0.1", 5)
        for minutes in (1, 2):
            _seconds(traveller, minutes * 60 + 1)
            _attempt(client, "10.0.0.1")
        _fail(client, "10.0.0.2", 4)  # 11 failures, 9 counted: 5 from 10.0.0.1 and 4 from 10.0.0.2
        free = _attempt(client, "10.0.0.3", PASSWORD)
        client.logout()
        _attempt(client, "10.0.0.4")  # the 10th counted
        delayed = _attempt(client, "10.0.0.3", PASSWORD)
    assert free.status_code == 302
    assert delayed.status_code == 429


def test_the_delay_is_forgotten_after_an_hour(client, alice):
    with time_machine.travel(START, tick=False) as traveller:
        _spread(client, 10)
        _seconds(traveller, 3600)
        assert throttling.identifier_wait("alice") is None


def _page(response):
    """The page as the person reads it (each response masks its CSRF token differently)."""
    page = re.sub(r'"X-CSRFToken": "[^"]*"', "", response.content.decode())
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page)


def test_an_unknown_identifier_gets_the_same_answers(client, alice):
    with time_machine.travel(START, tick=False):
        locked = {name: _fail(client, "10.0.0.1", 5, username=name) for name in ("alice", "nobody")}
        for name in ("alice", "nobody"):
            _spread(client, 10, username=name)
        delayed = {name: _attempt(client, "10.0.2.1", username=name) for name in ("alice", "nobody")}
    assert [r.status_code for r in locked.values()] == [429, 429]
    assert _page(locked["alice"]) == _page(locked["nobody"])
    assert [r.status_code for r in delayed.values()] == [429, 429]
    assert _page(delayed["alice"]).replace('value="alice"', "") == _page(delayed["nobody"]).replace(
        'value="nobody"', ""
    )


# --- The formulas ------------------------------------------------------------------------------------


def test_the_cool_off_doubles_from_one_minute_up_to_an_hour():
    minutes = [throttling.cool_off(failures, 5) / datetime.timedelta(minutes=1) for failures in range(5, 13)]
    assert minutes == [1, 2, 4, 8, 16, 32, 60, 60]
    assert throttling.cool_off(10_000, 5) == datetime.timedelta(hours=1)


def test_the_delay_doubles_from_two_seconds_up_to_five_minutes():
    seconds = [throttling.delay(failures).total_seconds() for failures in range(10, 20)]
    assert seconds == [2, 4, 8, 16, 32, 64, 128, 256, 300, 300]
    assert throttling.delay(10_000) == datetime.timedelta(minutes=5)


def test_the_wait_is_rounded_up():
    assert throttling.wait_text(datetime.timedelta(seconds=0.2)) == "1 seconde"
    assert throttling.wait_text(datetime.timedelta(seconds=58.5)) == "59 secondes"
    assert throttling.wait_text(datetime.timedelta(seconds=59.5)) == "1 minute"
    assert throttling.wait_text(datetime.timedelta(seconds=61)) == "2 minutes"


# --- Configuration -----------------------------------------------------------------------------------


def test_axes_locks_the_address_the_trail_records(client, alice, settings):
    settings.PARCOURS_TRUSTED_PROXIES = 1
    client.post(
        LOGIN,
        {"username": "alice", "password": WRONG},
        REMOTE_ADDR="10.9.9.9",
        HTTP_X_FORWARDED_FOR="203.0.113.5",
    )
    assert Event.objects.get(kind=Kind.LOGIN_FAILED).ip_address == "203.0.113.5"
    assert AccessAttempt.objects.get().ip_address == "203.0.113.5"
    assert AccessFailureLog.objects.get().ip_address == "203.0.113.5"


def test_the_axes_checks_pass_without_being_silenced():
    assert not [message.id for message in run_checks() if message.id.startswith("axes.")]
    assert not [check for check in settings.SILENCED_SYSTEM_CHECKS if check.startswith("axes.")]


def test_the_failure_log_keeps_the_newest_rows(alice, settings):
    settings.AXES_ACCESS_FAILURE_LOG_PER_USER_LIMIT = 3
    with time_machine.travel(START, tick=False) as traveller:
        for n in range(5):
            AccessFailureLog.objects.create(username="alice", ip_address=f"10.0.0.{n}", user_agent="test")
            _seconds(traveller, 1)
    removed = throttling.ThrottlingHandler().remove_out_of_limit_failure_logs(username="alice")
    assert removed == 2
    assert sorted(AccessFailureLog.objects.values_list("ip_address", flat=True)) == ["10.0.0.2", "10.0.0.3", "10.0.0.4"]


# --- The browser that signed in before ---------------------------------------------------------------


def _signed_in_before(client, address="10.0.0.5"):
    """Sign in, then out (through the page: the test client's logout() would drop every cookie)."""
    assert _attempt(client, address, PASSWORD).status_code == 302
    client.post("/deconnexion/")


def test_a_browser_that_signed_in_before_is_not_kept_waiting(client, alice):
    _signed_in_before(client)
    guesser, stranger = Client(), Client()
    with time_machine.travel(START, tick=False):
        _spread(guesser, 10)
        from_known_browser = _attempt(client, "10.0.2.9", PASSWORD)
        from_another_browser = _attempt(stranger, "10.0.2.9", PASSWORD)
    assert from_known_browser.status_code == 302
    assert from_another_browser.status_code == 429


def test_the_known_browser_cookie_is_for_its_identifier_only(client, alice, bob):
    _signed_in_before(client)
    with time_machine.travel(START, tick=False):
        _spread(Client(), 10, username="bob")
        response = _attempt(client, "10.0.2.9", PASSWORD, username="bob")
    assert response.status_code == 429


def test_the_known_browser_cookie_does_not_name_the_identifier_and_cannot_be_forged(client, alice):
    _signed_in_before(client)
    cookie = client.cookies[throttling.KNOWN_DEVICE_COOKIE]
    assert "alice" not in cookie.value
    assert cookie["httponly"] and cookie["secure"]
    forger = Client()
    forger.cookies[throttling.KNOWN_DEVICE_COOKIE] = cookie.value[:-1] + ("0" if cookie.value[-1] != "0" else "1")
    with time_machine.travel(START, tick=False):
        _spread(Client(), 10)
        response = _attempt(forger, "10.0.2.9", PASSWORD)
    assert response.status_code == 429


def test_the_known_browser_is_forgotten_after_ninety_days(client, alice):
    with time_machine.travel(START - datetime.timedelta(days=91), tick=False):
        _signed_in_before(client)
    with time_machine.travel(START, tick=False):
        _spread(Client(), 10)
        response = _attempt(client, "10.0.2.9", PASSWORD)
    assert response.status_code == 429
