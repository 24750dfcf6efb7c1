"""The anomaly report and the DPO's daily digest."""

import datetime
from zoneinfo import ZoneInfo

import time_machine
from django.core import mail
from django.utils import timezone

from access import ledger
from access.models import Reason
from audit.models import Event, Kind, Purpose
from casework.services import hidden_duplicate_notice
from dpo import anomalies
from dpo.tasks import audit_digest
from tests.casework.test_situation_create import form_data
from tests.factories import make_situation

PARIS = ZoneInfo("Europe/Paris")


def _read(user, reference, at, purpose=Purpose.ROUTINE):
    return Event(
        user=user,
        kind=Kind.READ,
        object_type="casework.situation",
        situation_reference=reference,
        screen="situation_detail",
        purpose=purpose,
        at=at,
        mac="m",
    )


def _week(day=datetime.date(2026, 11, 16)):
    return anomalies.Period.days(day, day + datetime.timedelta(days=6))


def test_a_user_reading_many_more_situations_than_usual_is_flagged(alice, bob, settings):
    settings.PARCOURS_ANOMALY_VOLUME_MINIMUM = 10
    period = _week()
    noon = datetime.datetime(2026, 11, 17, 12, tzinfo=PARIS)
    earlier = noon - datetime.timedelta(days=14)
    Event.objects.bulk_create(
        [_read(alice, f"GSN-2026-{n:04d}", noon) for n in range(30)]
        + [_read(alice, f"GSN-2026-{n:04d}", earlier) for n in range(2)]
        + [_read(bob, f"GSN-2026-{n:04d}", noon) for n in range(12)]
        + [
            _read(bob, f"GSN-2026-{n:04d}", earlier - datetime.timedelta(days=7 * w))
            for w in range(4)
            for n in range(12)
        ]
    )
    flagged = {row["user__username"]: row for row in anomalies.unusual_volume(period)}
    assert set(flagged) == {"alice"}
    assert flagged["alice"]["current"] == 30


def test_reads_at_night_and_at_the_weekend_are_flagged(alice, bob):
    Event.objects.bulk_create(
        [
            _read(alice, "GSN-2026-0001", datetime.datetime(2026, 11, 17, 23, 30, tzinfo=PARIS)),
            _read(alice, "GSN-2026-0002", datetime.datetime(2026, 11, 22, 10, 0, tzinfo=PARIS)),  # Sunday
            _read(bob, "GSN-2026-0003", datetime.datetime(2026, 11, 17, 10, 0, tzinfo=PARIS)),
            _read(bob, "GSN-2026-0004", datetime.datetime(2026, 11, 17, 7, 59, tzinfo=PARIS)),
        ]
    )
    rows = {row["user__username"]: row["reads"] for row in anomalies.off_hours(_week())}
    assert rows == {"alice": 2, "bob": 1}


def test_working_hours_are_configurable(alice, settings):
    settings.PARCOURS_WORKING_HOURS = "07:00-20:00"
    Event.objects.bulk_create([_read(alice, "GSN-2026-0004", datetime.datetime(2026, 11, 17, 7, 30, tzinfo=PARIS))])
    assert anomalies.off_hours(_week()) == []


def _at(hour: int) -> datetime.datetime:
    return datetime.datetime(2026, 11, 17, hour, tzinfo=PARIS)


def test_reads_without_a_grant_at_their_time_are_flagged(alice, bob):
    with time_machine.travel(_at(9), tick=False):
        situation = make_situation(alice)
    Event.objects.bulk_create([_read(alice, situation.reference, _at(10)), _read(bob, situation.reference, _at(10))])
    rows = anomalies.without_grant(_week())
    assert [(row["user__username"], row["situation_reference"]) for row in rows] == [("bob", situation.reference)]


def test_a_read_after_the_grant_ended_is_flagged_and_one_before_is_not(alice):
    with time_machine.travel(_at(9), tick=False):
        situation = make_situation(alice)
    with time_machine.travel(_at(11), tick=False):
        ledger.end(situation, group=alice.membership.partner.group, reason=Reason.AUTHOR_PARTNER, by=None)
    Event.objects.bulk_create([_read(alice, situation.reference, _at(10)), _read(alice, situation.reference, _at(12))])

    [row] = anomalies.without_grant(_week())

    assert (row["user__username"], row["reads"], row["last"]) == ("alice", 1, _at(12))


def test_a_read_before_the_grant_existed_is_flagged(alice):
    with time_machine.travel(_at(11), tick=False):
        situation = make_situation(alice)
    Event.objects.bulk_create([_read(alice, situation.reference, _at(10))])
    assert [row["user__username"] for row in anomalies.without_grant(_week())] == ["alice"]


def test_break_glass_reads_are_always_listed(alice):
    situation = make_situation(alice)
    when = datetime.datetime(2026, 11, 17, 10, tzinfo=PARIS)
    Event.objects.bulk_create([_read(alice, situation.reference, when, purpose=Purpose.BREAK_GLASS)])
    assert [row["purpose"] for row in anomalies.without_grant(_week())] == [Purpose.BREAK_GLASS]


def test_repeated_failed_logins_are_flagged(client, alice, settings):
    settings.PARCOURS_ANOMALY_FAILED_LOGINS = 3
    for _ in range(3):
        client.post("/connexion/", {"username": "alice", "password": "Wrong-password-42"})
    client.post("/connexion/", {"username": "bob", "password": "Wrong-password-42"})
    today = timezone.localdate()
    rows = anomalies.failed_logins(anomalies.Period.days(today, today))
    assert [(row["username"], row["failures"]) for row in rows] == [("alice", 3)]


def _fail(client, username, address):
    client.post("/connexion/", {"username": username, "password": "Wrong-password-42"}, REMOTE_ADDR=address)


def test_failed_logins_of_unknown_identifiers_are_grouped_by_address(client, db, settings):
    settings.PARCOURS_ANOMALY_FAILED_LOGINS = 3
    for typed in ("nobody", "n0body", "Secret-password-1"):
        _fail(client, typed, "192.0.2.7")
    _fail(client, "someone", "192.0.2.8")
    today = timezone.localdate()
    rows = anomalies.failed_logins(anomalies.Period.days(today, today))
    assert [(row["username"], row["ip_address"], row["failures"]) for row in rows] == [
        ("identifiant inconnu", "192.0.2.7", 3)
    ]


def test_the_anomaly_page_shows_a_burst_of_unknown_identifiers_with_its_address(client, client_for, dora, settings):
    settings.PARCOURS_ANOMALY_FAILED_LOGINS = 3
    for typed in ("nobody", "n0body", "Secret-password-1"):
        _fail(client, typed, "192.0.2.7")
    page = client_for(dora).get("/audit/anomalies/").content.decode()
    assert "identifiant inconnu, depuis 192.0.2.7" in page
    assert "Secret-password-1" not in page


def test_a_burst_shows_its_failures_lockouts_and_addresses(client, alice, settings):
    """Throttling locks an identifier per address: the report still shows the burst as a whole."""
    settings.PARCOURS_ANOMALY_FAILED_LOGINS = 3
    for address, times in (("192.0.2.1", 5), ("192.0.2.2", 2)):
        for _ in range(times):
            client.post("/connexion/", {"username": "alice", "password": "Wrong-password-42"}, REMOTE_ADDR=address)
    today = timezone.localdate()
    [row] = anomalies.failed_logins(anomalies.Period.days(today, today))
    assert (row["username"], row["failures"], row["lockouts"], row["addresses"]) == ("alice", 7, 1, 2)


def test_anomaly_page_shows_the_sections(client_for, dora):
    page = client_for(dora).get("/audit/anomalies/").content.decode()
    for title in (
        "Volume de lecture inhabituel",
        "hors des heures ouvrées",
        "sans droit au moment de la lecture",
        "Échecs de connexion",
    ):
        assert title in page


def test_users_told_of_hidden_duplicates_are_listed_with_their_counts(alice, bob, charlie, settings):
    settings.PARCOURS_HIDDEN_DUPLICATE_NOTICES_PER_DAY = 2
    for _ in range(3):
        hidden_duplicate_notice(by=bob, hidden_exists=True)
    hidden_duplicate_notice(by=alice, hidden_exists=True)
    hidden_duplicate_notice(by=charlie, hidden_exists=False)
    today = timezone.localdate()

    rows = anomalies.hidden_duplicates(anomalies.Period.days(today, today))

    assert [(row["user__username"], row["notices"], row["beyond_limit"]) for row in rows] == [
        ("bob", 3, 1),
        ("alice", 1, 0),
    ]


def test_the_anomaly_page_lists_hidden_duplicate_notices_without_the_young_person(client_for, alice, bob, dora):
    existing = make_situation(alice, last_name="Roussel", first_name="Éloïse", birth_date=datetime.date(2010, 5, 17))
    identity = {"identity-last_name": "Roussel", "identity-first_name": "Eloise", "identity-birth_date": "2010-05-17"}
    client_for(bob).post("/situations/nouvelle/", form_data(**identity))

    page = client_for(dora).get("/audit/anomalies/").content.decode()

    section = page[page.index('id="duplicate-title"') : page.index('id="login-title"')]
    assert ">Bob Test (bob)</a>" in section  # the DPO knows people by name; the login tells namesakes apart
    assert existing.reference not in page and "Roussel" not in page and "ROUSSEL" not in page


def test_daily_digest_counts_users_told_of_hidden_duplicates(bob, dora, django_capture_on_commit_callbacks):
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    at = datetime.datetime.combine(yesterday, datetime.time(10, 0), tzinfo=PARIS)
    Event.objects.bulk_create([Event(user=bob, kind=Kind.HIDDEN_DUPLICATE, at=at, mac="m")])

    with django_capture_on_commit_callbacks(execute=True):
        counts = audit_digest()

    assert counts["Utilisateurs avertis d'une situation non visible à la saisine"] == 1


def test_daily_digest_sends_counts_and_a_link_only(alice, dora, django_capture_on_commit_callbacks):
    situation = make_situation(alice, last_name="Roussel")
    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    night = datetime.datetime.combine(yesterday, datetime.time(23, 0), tzinfo=PARIS)
    Event.objects.bulk_create([_read(alice, situation.reference, night)])
    with django_capture_on_commit_callbacks(execute=True):
        counts = audit_digest()
    assert counts["Utilisateurs ayant lu hors des heures ouvrées"] == 1
    (message,) = mail.outbox
    assert message.to == [dora.email]
    assert "hors des heures ouvrées : 1" in message.body and "/audit/anomalies/" in message.body
    assert situation.reference not in message.body and "Roussel" not in message.body and "alice" not in message.body


def test_the_digest_of_a_day_is_sent_once(dora, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        audit_digest()
    with django_capture_on_commit_callbacks(execute=True):
        audit_digest()
    assert len(mail.outbox) == 1
    assert dora.notifications.get().link == "/audit/anomalies/"


def test_the_anomaly_page_names_the_purpose_and_lists_rows_as_cards(client_for, alice, dora):
    situation = make_situation(alice)
    Event.objects.bulk_create([_read(alice, situation.reference, timezone.now(), purpose=Purpose.BREAK_GLASS)])

    page = client_for(dora).get("/audit/anomalies/").content.decode()

    section = page[page.index('id="grant-title"') : page.index('id="bg-title"')]
    assert '<table class="table table-sm table-cards">' in section
    assert "Accès exceptionnel (bris de glace)" in section and "bris_de_glace</td>" not in section
