"""Attendees read the agenda's situations while the séance runs, plus a window after its closing;
the window ends at read time, with no task running, and never takes away what another reason grants."""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from access import ledger
from access.models import BreakGlassAccess, Reason, Role, SituationGroupGrant, SituationUserGrant
from access.permissions import coordination_group
from access.services import break_glass_open
from access.tasks import grants_expire
from audit.models import Event, Kind, Purpose
from casework.services import situation_update
from seances import services
from tests.factories import make_situation, make_user
from tests.seances.helpers import make_seance, running_seance

pytestmark = pytest.mark.django_db
LATER = datetime.timedelta(hours=25)
REASON = "Une raison suffisamment longue pour être acceptée."


def _later(delta=LATER):
    return time_machine.travel(timezone.now() + delta, tick=False)


def test_an_attendee_reads_the_agenda_only_once_the_seance_runs(alice, bob, charlie):
    situation = make_situation(alice)
    seance = make_seance(charlie)
    services.agenda_item_add(seance_id=seance.pk, situation=situation, by=charlie)
    services.attendance_record(seance_id=seance.pk, user=bob, by=charlie, pledge=True)
    assert not ledger.holds(bob, situation)

    services.seance_start(seance_id=seance.pk, by=charlie)

    assert ledger.holds(bob, situation)
    assert not ledger.holds(bob, situation, "change_situation")


def test_the_window_closes_after_the_configured_hours_and_the_attendee_gets_404(alice, bob, charlie, client_for):
    situation = make_situation(alice)
    seance = running_seance(charlie, [situation], [bob])
    client = client_for(bob)
    assert client.get(f"/situations/{situation.pk}/").status_code == 200
    services.seance_close(seance_id=seance.pk, by=charlie)
    closes = SituationUserGrant.objects.get(user=bob, reason=Reason.SEANCE).expires_at

    # A session opened at that moment, as the idle timeout would have closed today's.
    with time_machine.travel(closes - datetime.timedelta(seconds=1), tick=False):
        assert client_for(bob).get(f"/situations/{situation.pk}/").status_code == 200
    with time_machine.travel(closes + datetime.timedelta(seconds=1), tick=False):
        assert client_for(bob).get(f"/situations/{situation.pk}/").status_code == 404

    read = Event.objects.filter(kind=Kind.READ, user=bob, screen="situation_detail").latest("id")
    assert (read.purpose, read.grant_reason) == (Purpose.SESSION, Reason.SEANCE)


def test_with_no_window_the_access_ends_at_closing(alice, bob, charlie, settings):
    settings.PARCOURS_SEANCE_ACCESS_HOURS = 0
    situation = make_situation(alice)
    seance = running_seance(charlie, [situation], [bob])

    services.seance_close(seance_id=seance.pk, by=charlie)

    assert not ledger.holds(bob, situation)


def test_the_beat_task_only_tidies_rows_already_out_of_force(alice, bob, charlie):
    situation = make_situation(alice)
    seance = running_seance(charlie, [situation], [bob])
    services.seance_close(seance_id=seance.pk, by=charlie)

    with _later():
        assert not ledger.holds(bob, situation)
        assert grants_expire() == {"rows": 1, "break_glass": 0}
        assert grants_expire() == {"rows": 0, "break_glass": 0}
        assert not ledger.holds(bob, situation)
    row = SituationUserGrant.objects.get(user=bob, reason=Reason.SEANCE)
    assert row.ended_at == row.expires_at


def test_a_member_marked_present_after_the_start_reads_at_once(alice, bob, charlie):
    situation = make_situation(alice)
    seance = running_seance(charlie, [situation])

    services.attendance_record(seance_id=seance.pk, user=bob, by=charlie, pledge=True)

    assert ledger.holds(bob, situation)


def test_a_point_added_during_the_seance_opens_to_those_present(alice, bob, charlie):
    seance = running_seance(charlie, [make_situation(alice)], [bob])
    late = make_situation(alice, first_name="Zoé")

    services.agenda_item_add(seance_id=seance.pk, situation=late, by=charlie)

    assert ledger.holds(bob, late)


def test_removing_a_point_or_a_presence_ends_the_access_at_once(alice, bob, charlie):
    first, second = make_situation(alice), make_situation(alice, first_name="Zoé")
    seance = running_seance(charlie, [first, second], [bob])

    services.agenda_item_remove(seance_id=seance.pk, item_id=seance.items.get(situation=first).pk, by=charlie)
    assert not ledger.holds(bob, first)
    assert ledger.holds(bob, second)
    services.attendance_remove(seance_id=seance.pk, user_id=bob.pk, by=charlie)
    assert not ledger.holds(bob, second)


def test_the_referent_keeps_the_access_after_the_window(alice, bob, charlie):
    situation = make_situation(alice)
    seance = running_seance(charlie, [situation], [bob])
    situation.refresh_from_db()
    situation_update(
        situation_id=situation.pk,
        by=charlie,
        expected_version=situation.version,
        changes={"status": "examinee", "referent": bob},
    )
    services.seance_close(seance_id=seance.pk, by=charlie)

    with _later():
        assert ledger.holds(bob, situation)
        assert ledger.holds(bob, situation, "change_situation")


def test_another_seance_window_keeps_the_access(alice, bob, charlie):
    situation = make_situation(alice)
    first = running_seance(charlie, [situation], [bob])
    services.seance_close(seance_id=first.pk, by=charlie)
    second = running_seance(charlie, [situation], [bob])

    with _later():
        assert ledger.holds(bob, situation)
    services.seance_close(seance_id=second.pk, by=charlie)
    with _later():
        assert not ledger.holds(bob, situation)


def test_an_open_break_glass_access_keeps_the_access(alice, charlie, city, settings):
    settings.PARCOURS_SEANCE_ACCESS_HOURS = 0
    claude = make_user("claude", city, Role.COORDINATOR)
    situation = make_situation(alice)
    ledger.end(situation, group=coordination_group(), reason=Reason.COORDINATION, by=None)
    break_glass_open(situation=situation, user=claude, reason=REASON)
    seance = running_seance(charlie, [situation], [claude])

    services.seance_close(seance_id=seance.pk, by=charlie)

    assert SituationUserGrant.objects.get(user=claude, reason=Reason.SEANCE).ended_at is not None
    assert BreakGlassAccess.objects.get().is_open
    assert ledger.holds(claude, situation)


def test_a_break_glass_expiry_leaves_an_open_seance_window(alice, charlie, city):
    claude = make_user("claude", city, Role.COORDINATOR)
    situation = make_situation(alice)
    ledger.end(situation, group=coordination_group(), reason=Reason.COORDINATION, by=None)
    break_glass_open(situation=situation, user=claude, reason=REASON)
    running_seance(charlie, [situation], [claude])

    with _later(datetime.timedelta(hours=5)):
        assert ledger.holds(claude, situation)
        assert ledger.reading_reason(claude, situation) == Reason.SEANCE


def test_a_seance_window_outlives_a_break_glass_expiry_but_not_its_own(alice, charlie, city):
    claude = make_user("claude", city, Role.COORDINATOR)
    situation = make_situation(alice)
    ledger.end(situation, group=coordination_group(), reason=Reason.COORDINATION, by=None)
    break_glass_open(situation=situation, user=claude, reason=REASON)
    seance = running_seance(charlie, [situation], [claude])
    services.seance_close(seance_id=seance.pk, by=charlie)

    with _later(datetime.timedelta(hours=5)):
        assert ledger.holds(claude, situation)
    with _later():
        assert not ledger.holds(claude, situation)


def test_a_former_referent_in_a_seance_window_keeps_reading(alice, bob, charlie):
    situation = make_situation(alice)
    situation = situation_update(
        situation_id=situation.pk,
        by=charlie,
        expected_version=situation.version,
        changes={"status": "examinee", "referent": bob},
    )
    running_seance(charlie, [situation], [bob])
    situation.refresh_from_db()

    situation_update(
        situation_id=situation.pk, by=charlie, expected_version=situation.version, changes={"referent": None}
    )

    assert ledger.holds(bob, situation)
    assert not ledger.holds(bob, situation, "change_situation")


def test_a_read_through_the_window_is_recorded_with_purpose_seance(alice, bob, charlie, client_for):
    situation = make_situation(alice)
    running_seance(charlie, [situation], [bob])

    client_for(bob).get(f"/situations/{situation.pk}/")

    event = Event.objects.filter(kind=Kind.READ, user=bob, object_id=str(situation.pk)).get()
    assert event.purpose == Purpose.SESSION


def test_grants_are_read_only_and_recorded(alice, bob, charlie):
    situation = make_situation(alice)
    before = Event.objects.filter(kind=Kind.GRANT).count()

    running_seance(charlie, [situation], [bob])

    grant = Event.objects.filter(kind=Kind.GRANT).order_by("-id").first()
    assert Event.objects.filter(kind=Kind.GRANT).count() == before + 1
    assert grant.detail == f"utilisateur n° {bob.pk} : view_situation — {Reason.SEANCE.label}"
    assert grant.user == charlie


def test_the_detail_page_reads_the_window_with_the_situation_and_one_holding_query(alice, bob, charlie, client_for):
    """The situation's fetch checks the window in SQL; one query of the reader's live rows (both
    tables at once) names the reason and what else they may do: no query per reason."""
    situation = make_situation(alice)
    running_seance(charlie, [situation], [bob])
    client = client_for(bob)

    with CaptureQueriesContext(connection) as captured:
        response = client.get(f"/situations/{situation.pk}/")

    reads = [query["sql"] for query in captured if SituationUserGrant._meta.db_table in query["sql"]]
    assert len(reads) == 2
    assert reads[0].startswith('SELECT "casework_situation"."id"')
    assert SituationGroupGrant._meta.db_table in reads[1] and " UNION ALL " in reads[1]
    read = Event.objects.filter(kind=Kind.READ, user=bob, screen="situation_detail").latest("id")
    assert response.status_code == 200 and read.grant_reason == Reason.SEANCE


def test_an_ended_window_makes_the_read_routine_again(alice, bob, charlie, client_for):
    situation = make_situation(alice)
    seance = running_seance(charlie, [situation], [bob])
    ledger.grant(situation, user=bob, reason=Reason.REFERENT, by=charlie)
    ledger.end_caused_by(seance, by=charlie)

    client_for(bob).get(f"/situations/{situation.pk}/")

    event = Event.objects.filter(kind=Kind.READ, user=bob, object_id=str(situation.pk)).get()
    assert (event.purpose, event.grant_reason) == (Purpose.ROUTINE, Reason.REFERENT)
