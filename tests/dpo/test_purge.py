"""Retention purge (privacy invariant 7): irreversible, anonymous counters only, recorded, resumable."""

import datetime
from io import StringIO
from unittest import mock

import pytest
from auditlog.context import set_actor
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from access import ledger
from access.models import DataKey, Reason, SituationGroupGrant, SituationUserGrant
from access.permissions import coordination_group
from access.services import break_glass_open
from audit.models import ChangeEntry, Event, Kind
from casework import retention
from casework.models import Association, ClosureReason, EvaluationCount, Information, Note, Person, Situation
from casework.services import information_record, note_create, situation_close, situation_reopen, situation_update
from dpo.purge import retention_purge, situation_purge
from dpo.tasks import purge_expired
from referrals.models import Referral
from referrals.services import referral_propose, referral_send
from tests.casework.helpers import make_due
from tests.casework.test_no_plaintext_at_rest import raw_database_text
from tests.factories import make_scheme, make_situation

pytestmark = pytest.mark.django_db

AUDIT_TABLES = {Event._meta.db_table, ChangeEntry._meta.db_table}


def raw_cells(exclude_tables=()) -> list[bytes]:
    cells = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if table in exclude_tables:
                continue
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            for row in cursor.fetchall():
                cells += [
                    bytes(value) if isinstance(value, (bytes, memoryview)) else str(value).encode()
                    for value in row
                    if value is not None
                ]
    return cells


def ciphertexts_of(situation: Situation) -> set[bytes]:
    """Every ciphertext and blind index tied to the situation's young person, read raw."""
    found = set()
    with connection.cursor() as cursor:
        for model, column_filter in (
            (Person, ("id", situation.person_id)),
            (Situation, ("id", situation.pk)),
            (Note, ("situation_id", situation.pk)),
            (Information, ("situation_id", situation.pk)),
        ):
            columns = [f.column for f in model._meta.concrete_fields if getattr(f, "encrypted", False)]
            if model is Person:
                columns.append("identity_index")
            column, value = column_filter
            cursor.execute(
                f"SELECT {', '.join(columns)} FROM {model._meta.db_table} WHERE {column} = %s",
                [value.hex if connection.vendor == "sqlite" else value],
            )
            for row in cursor.fetchall():
                found |= {bytes(v) if isinstance(v, (bytes, memoryview)) else str(v).encode() for v in row if v}
    return found


def followed(alice, charlie, **identity):
    situation = make_situation(alice, **identity)
    note_create(situation=situation, by=alice, body="Entretien avec la mère de Léa", visibility="groupe")
    information_record(
        situation=situation,
        by=alice,
        recipient=Information.Recipient.LEGAL_REPRESENTATIVE,
        label="mère",
        informed_on=datetime.date(2026, 10, 2),
        mode=Information.Mode.MEETING,
        response=Information.Response.AGREED,
    )
    return situation


def test_purge_leaves_no_ciphertext_or_blind_index_of_the_person(alice, charlie):
    situation = followed(alice, charlie)
    ledger.end(situation, group=coordination_group(), reason=Reason.COORDINATION, by=None)
    break_glass_open(situation=situation, user=charlie, reason="Appel urgent de la police un samedi soir pour Léa.")
    needles = ciphertexts_of(situation)
    assert len(needles) >= 6
    person_id, key_id = situation.person_id, situation.data_key_id
    make_due(situation)

    results = retention_purge()

    assert [result.reference for result in results] == [situation.reference]
    cells = raw_cells()
    assert [needle for needle in needles if any(needle in cell for cell in cells)] == []
    assert not Person.objects.filter(pk=person_id).exists()
    assert DataKey.objects.get(pk=key_id).wrapped is None
    # Outside the audit trail, nothing keeps the person's id; inside it, no diff holds an identity.
    outside = raw_cells(exclude_tables=AUDIT_TABLES)
    assert not any(str(person_id).encode() in cell or person_id.hex.encode() in cell for cell in outside)
    lowered = b"\n".join(raw_database_text())
    for plaintext in ("durand", "léa", "entretien avec la mère", "absences répétées"):
        assert plaintext.encode() not in lowered


def test_purge_keeps_one_anonymous_counter_and_no_reference(alice, charlie):
    situation = make_due(make_situation(alice))

    retention_purge()

    counter = EvaluationCount.objects.get()
    assert counter.count == 1
    assert (counter.received_year, counter.received_month, counter.status) == (2026, 10, "non_retenue")
    assert (counter.source, counter.motifs, counter.age_band) == (
        "education-nationale",
        "absenteisme-scolaire",
        "13-15",
    )
    values = " ".join(str(getattr(counter, field.name)) for field in EvaluationCount._meta.concrete_fields)
    assert situation.reference not in values and str(situation.pk) not in values


def test_purge_is_recorded_with_the_reference_and_counts_only(alice, charlie):
    situation = make_due(followed(alice, charlie))

    retention_purge()

    event = Event.objects.get(kind=Kind.PURGE)
    assert event.situation_reference == situation.reference
    assert "1 note, 1 information" in event.detail
    assert "clé de chiffrement détruite" in event.detail


def test_purge_is_idempotent(alice, charlie):
    make_due(make_situation(alice))
    retention_purge()
    counters = list(EvaluationCount.objects.values())
    events = Event.objects.filter(kind=Kind.PURGE).count()

    assert retention_purge() == []
    assert list(EvaluationCount.objects.values()) == counters
    assert Event.objects.filter(kind=Kind.PURGE).count() == events


def test_purge_resumes_after_an_interruption(alice, charlie):
    situations = [make_due(make_situation(alice, last_name=f"Nom{n}")) for n in range(3)]
    real_destroy, calls = DataKey.destroy, []

    def destroy_then_crash(key):
        calls.append(key.pk)
        if len(calls) == 2:
            raise RuntimeError("worker killed")
        real_destroy(key)

    with mock.patch.object(DataKey, "destroy", destroy_then_crash), pytest.raises(RuntimeError):
        retention_purge()
    # The first situation is fully purged; the second rolled back whole (counter included).
    assert Situation.objects.filter(pk__in=[s.pk for s in situations]).count() == 2
    assert EvaluationCount.objects.get().count == 1

    results = retention_purge()

    assert len(results) == 2
    assert not Situation.objects.filter(pk__in=[s.pk for s in situations]).exists()
    assert EvaluationCount.objects.get().count == 3


def test_purge_of_an_already_purged_situation_does_nothing(alice):
    situation = make_due(make_situation(alice))
    assert situation_purge(situation_id=situation.pk) is not None
    assert situation_purge(situation_id=situation.pk) is None


def test_a_situation_not_yet_due_is_kept(alice):
    situation = make_due(make_situation(alice), days_late=-1)

    assert retention_purge() == []
    assert Situation.objects.filter(pk=situation.pk).exists()


def test_an_active_situation_is_never_purged(alice):
    situation = make_situation(alice)
    Situation.objects.filter(pk=situation.pk).update(status="suivi_actif", status_since=datetime.date(2001, 1, 1))

    assert retention_purge() == []


def test_the_key_stays_while_another_situation_of_the_person_lives(alice, charlie):
    first = make_situation(alice)
    for status in ("examinee", "suivi_actif"):
        first = situation_update(
            situation_id=first.pk, by=charlie, expected_version=first.version, changes={"status": status}
        )
    first = situation_close(
        situation_id=first.pk,
        by=charlie,
        expected_version=first.version,
        reason=ClosureReason.objects.first(),
        closed_on=timezone.localdate(),
        outcome="emploi",
    )
    second = situation_reopen(
        situation_id=first.pk,
        by=alice,
        source=first.source,
        received_on=timezone.localdate(),
        motifs=list(first.motifs.all()),
    )
    make_due(first, status=Situation.Status.CLOSED)

    [result] = retention_purge()

    assert not result.key_destroyed
    second.refresh_from_db()
    assert second.previous is None
    assert second.person.last_name == "Durand"
    assert DataKey.objects.get(pk=second.data_key_id).wrapped is not None

    make_due(second)
    [result] = retention_purge()
    assert result.key_destroyed
    assert not Person.objects.exists()


def test_an_anonymous_situation_loses_its_own_key(alice):
    situation = make_due(make_situation(alice, anonymous=True))

    [result] = retention_purge()

    assert result.key_destroyed
    assert DataKey.objects.get(pk=situation.data_key_id).wrapped is None
    assert EvaluationCount.objects.get().anonymous is True


def test_dry_run_lists_what_would_go_with_a_progress_bar_and_deletes_nothing(alice):
    situations = [make_due(make_situation(alice, last_name=f"Nom{n}")) for n in range(2)]
    out, err = StringIO(), StringIO()

    call_command("purge_expired", "--dry-run", stdout=out, stderr=err)

    assert all(situation.reference in out.getvalue() for situation in situations)
    assert "2 situations seraient purgées" in out.getvalue()
    assert "[##############################] 2/2" in err.getvalue()
    assert Situation.objects.count() == 2


def test_the_command_purges(alice):
    make_due(make_situation(alice))
    out = StringIO()

    call_command("purge_expired", stdout=out, stderr=StringIO())

    assert "1 situation purgée" in out.getvalue()
    assert not Situation.objects.exists()


def test_the_beat_task_purges_and_returns_a_count(alice):
    make_due(make_situation(alice))

    assert purge_expired.delay().get() == 1


def test_age_bands_and_followup_bands():
    assert retention.band(12, retention.AGE_BANDS, retention.OLDEST_BAND) == "< 13"
    assert retention.band(16, retention.AGE_BANDS, retention.OLDEST_BAND) == "16-17"
    assert retention.band(30, retention.AGE_BANDS, retention.OLDEST_BAND) == "22 +"
    assert retention.band(30, retention.FOLLOWUP_BANDS, retention.LONGEST_FOLLOWUP) == "24 mois +"


def test_purge_of_a_situation_with_a_sent_referral_leaves_no_referral_nor_its_justification(
    alice, maya, mission_locale
):
    situation = make_situation(alice)
    scheme = make_scheme(mission_locale, min_age=12, max_age=25)
    with set_actor(alice):
        referral = referral_propose(situation=situation, scheme=scheme, by=alice, justification="Léa vise le BAFA")
    referral_send(referral_id=referral.pk, by=alice)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT justification FROM {Referral._meta.db_table} WHERE id = %s",
            [referral.pk.hex if connection.vendor == "sqlite" else referral.pk],
        )
        (stored,) = cursor.fetchone()
    ciphertext = bytes(stored) if isinstance(stored, (bytes, memoryview)) else str(stored).encode()
    make_due(situation)

    retention_purge()

    assert not Referral.objects.exists()
    assert not any(ciphertext in cell for cell in raw_cells())
    purge_event = Event.objects.get(kind=Kind.PURGE, situation_reference=situation.reference)
    assert "1 orientation," in purge_event.detail


def test_purge_takes_the_seance_points_decisions_actions_addenda_and_accesses(alice, bob, charlie):
    from seances import services as seances
    from seances.models import Addendum, AgendaItem, Attendance, Decision, Seance, Step
    from tests.seances.helpers import running_seance

    situation = make_situation(alice)
    seance = running_seance(charlie, [situation], [bob])
    item = seance.items.get()
    seances.item_summary_set(seance_id=seance.pk, item_id=item.pk, by=charlie, summary="Léa va mieux au collège")
    seances.decision_record(
        seance_id=seance.pk,
        item_id=item.pk,
        by=charlie,
        kind="action_demandee",
        partner=bob.membership.partner,
        action_label="Rencontrer la mère de Léa",
        due_on=timezone.localdate() + datetime.timedelta(days=5),
    )
    seances.seance_close(seance_id=seance.pk, by=charlie)
    seances.addendum_add(seance_id=seance.pk, by=charlie, text="Léa : échéance reportée", item_id=item.pk)
    needles = set()
    with connection.cursor() as cursor:
        for model, column in ((AgendaItem, "summary"), (Step, "label"), (Addendum, "text")):
            cursor.execute(f"SELECT {column} FROM {model._meta.db_table}")
            needles |= {bytes(v) if isinstance(v, (bytes, memoryview)) else str(v).encode() for (v,) in cursor}
    assert len(needles) == 3
    make_due(situation)

    retention_purge()

    cells = raw_cells()
    assert [needle for needle in needles if any(needle in cell for cell in cells)] == []
    for model in (AgendaItem, Decision, Step, Addendum, SituationUserGrant, SituationGroupGrant, Association):
        assert not model.objects.exists(), model
    assert Seance.objects.filter(pk=seance.pk).exists()
    assert Attendance.objects.filter(seance=seance, user=bob).exists()
    lowered = b"\n".join(raw_database_text())
    for plaintext in ("va mieux au collège", "rencontrer la mère", "échéance reportée"):
        assert plaintext.encode() not in lowered
    assert "1 point de séance" in Event.objects.get(kind=Kind.PURGE).detail
