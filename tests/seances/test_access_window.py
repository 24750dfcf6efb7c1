"""Attendees read the agenda's situations while the séance runs, plus a window after its closing;
revocation never takes away what another reason still grants."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from access.models import BreakGlassAccess
from access.permissions import (
    READ_ONLY,
    coordination_group,
    grant_situation_access,
    revoke_situation_access,
    user_holds,
)
from access.services import break_glass_expire, break_glass_open
from audit.models import Event, Kind, Purpose
from casework.services import situation_update
from seances import services
from seances.models import SeanceAccess
from seances.tasks import seance_access_expire as seance_access_expire_task
from tests.factories import make_situation
from tests.seances.helpers import make_seance, running_seance

pytestmark = pytest.mark.django_db
LATER = datetime.timedelta(hours=25)


def test_an_attendee_reads_the_agenda_only_once_the_seance_runs(alice, bob, charlie):
    situation = make_situation(alice)
    seance = make_seance(charlie)
    services.agenda_item_add(seance_id=seance.pk, situation=situation, by=charlie)
    services.attendance_record(seance_id=seance.pk, user=bob, by=charlie, pledge=True)
    assert not user_holds(bob, situation)

    services.seance_start(seance_id=seance.pk, by=charlie)

    assert user_holds(bob, situation)
    assert not user_holds(bob, situation, "change_situation")


def test_the_window_closes_after_the_configured_hours_and_the_attendee_gets_404(alice, bob, charlie, client_for):
    situation = make_situation(alice)
    seance = running_seance(charlie, [situation], [bob])
    client = client_for(bob)
    assert client.get(f"/situations/{situation.pk}/").status_code == 200
    services.seance_close(seance_id=seance.pk, by=charlie)

    assert services.seance_access_expire() == 0
    assert client.get(f"/situations/{situation.pk}/").status_code == 200
    assert services.seance_access_expire(now=timezone.now() + LATER) == 1

    assert client.get(f"/situations/{situation.pk}/").status_code == 404
    assert SeanceAccess.objects.get().revoked_at is not None
    assert services.seance_access_expire(now=timezone.now() + LATER) == 0


def test_with_no_window_the_access_ends_at_closing(alice, bob, charlie, settings):
    settings.PARCOURS_SEANCE_ACCESS_HOURS = 0
    situation = make_situation(alice)
    seance = running_seance(charlie, [situation], [bob])

    services.seance_close(seance_id=seance.pk, by=charlie)

    assert not user_holds(bob, situation)


def test_the_beat_task_revokes_due_accesses(alice, bob, charlie):
    situation = make_situation(alice)
    seance = running_seance(charlie, [situation], [bob])
    services.seance_close(seance_id=seance.pk, by=charlie)
    SeanceAccess.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))

    assert seance_access_expire_task() == 1
    assert not user_holds(bob, situation)


def test_a_member_marked_present_after_the_start_reads_at_once(alice, bob, charlie):
    situation = make_situation(alice)
    seance = running_seance(charlie, [situation])

    services.attendance_record(seance_id=seance.pk, user=bob, by=charlie, pledge=True)

    assert user_holds(bob, situation)


def test_a_point_added_during_the_seance_opens_to_those_present(alice, bob, charlie):
    seance = running_seance(charlie, [make_situation(alice)], [bob])
    late = make_situation(alice, first_name="Zoé")

    services.agenda_item_add(seance_id=seance.pk, situation=late, by=charlie)

    assert user_holds(bob, late)


def test_removing_a_point_or_a_presence_ends_the_access_at_once(alice, bob, charlie):
    first, second = make_situation(alice), make_situation(alice, first_name="Zoé")
    seance = running_seance(charlie, [first, second], [bob])

    services.agenda_item_remove(seance_id=seance.pk, item_id=seance.items.get(situation=first).pk, by=charlie)
    assert not user_holds(bob, first)
    assert user_holds(bob, second)
    services.attendance_remove(seance_id=seance.pk, user_id=bob.pk, by=charlie)
    assert not user_holds(bob, second)


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

    services.seance_access_expire(now=timezone.now() + LATER)

    assert user_holds(bob, situation)
    assert user_holds(bob, situation, "change_situation")


def test_another_seance_window_keeps_the_access(alice, bob, charlie):
    situation = make_situation(alice)
    first = running_seance(charlie, [situation], [bob])
    services.seance_close(seance_id=first.pk, by=charlie)
    second = running_seance(charlie, [situation], [bob])

    services.seance_access_expire(now=timezone.now() + LATER)

    assert user_holds(bob, situation)
    services.seance_close(seance_id=second.pk, by=charlie)
    services.seance_access_expire(now=timezone.now() + 2 * LATER)
    assert not user_holds(bob, situation)


def test_an_open_break_glass_access_keeps_the_access(alice, charlie, city):
    from access.models import Role
    from tests.factories import make_user

    claude = make_user("claude", city, Role.COORDINATOR)
    situation = make_situation(alice)
    revoke_situation_access(situation, group=coordination_group())
    break_glass_open(situation=situation, user=claude, reason="Une raison suffisamment longue pour être acceptée.")
    seance = running_seance(charlie, [situation], [claude])
    services.seance_close(seance_id=seance.pk, by=charlie)
    SeanceAccess.objects.update(expires_at=timezone.now() - datetime.timedelta(minutes=1))

    assert services.seance_access_expire() == 1

    assert SeanceAccess.objects.get().revoked_at is not None
    assert BreakGlassAccess.objects.get().is_open
    assert user_holds(claude, situation)


def test_a_break_glass_expiry_leaves_an_open_seance_window(alice, charlie, city):
    from access.models import Role
    from tests.factories import make_user

    claude = make_user("claude", city, Role.COORDINATOR)
    situation = make_situation(alice)
    revoke_situation_access(situation, group=coordination_group())
    break_glass_open(situation=situation, user=claude, reason="Une raison suffisamment longue pour être acceptée.")
    running_seance(charlie, [situation], [claude])

    break_glass_expire(now=timezone.now() + datetime.timedelta(hours=5))

    assert user_holds(claude, situation)


def test_a_seance_window_outlives_a_break_glass_expiry_but_not_its_own(alice, charlie, city):
    from access.models import Role
    from tests.factories import make_user

    claude = make_user("claude", city, Role.COORDINATOR)
    situation = make_situation(alice)
    revoke_situation_access(situation, group=coordination_group())
    break_glass_open(situation=situation, user=claude, reason="Une raison suffisamment longue pour être acceptée.")
    seance = running_seance(charlie, [situation], [claude])
    services.seance_close(seance_id=seance.pk, by=charlie)
    break_glass_expire(now=timezone.now() + datetime.timedelta(hours=5))
    assert user_holds(claude, situation)

    services.seance_access_expire(now=timezone.now() + LATER)

    assert not user_holds(claude, situation)


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

    assert user_holds(bob, situation)
    assert not user_holds(bob, situation, "change_situation")


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
    assert grant.detail == f"utilisateur n° {bob.pk} : {', '.join(READ_ONLY)}"


def test_the_detail_page_reads_the_window_in_the_situations_own_query(alice, bob, charlie, client_for):
    situation = make_situation(alice)
    running_seance(charlie, [situation], [bob])
    client = client_for(bob)

    with CaptureQueriesContext(connection) as captured:
        client.get(f"/situations/{situation.pk}/")

    reads = [query["sql"] for query in captured if SeanceAccess._meta.db_table in query["sql"]]
    assert len(reads) == 1
    assert reads[0].startswith('SELECT "casework_situation"."id"')


def test_a_revoked_window_makes_the_read_routine_again(alice, bob, charlie, client_for):
    situation = make_situation(alice)
    running_seance(charlie, [situation], [bob])
    SeanceAccess.objects.filter(user=bob, situation=situation).update(revoked_at=timezone.now())
    grant_situation_access(situation, user=bob, codenames=READ_ONLY)

    client_for(bob).get(f"/situations/{situation.pk}/")

    event = Event.objects.filter(kind=Kind.READ, user=bob, object_id=str(situation.pk)).get()
    assert event.purpose == Purpose.ROUTINE
