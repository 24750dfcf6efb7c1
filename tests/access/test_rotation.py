"""Rotating the master key rewraps data keys and nothing else (invariant 1)."""

import base64
import io
import os

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from access.models import DataKey
from access.rotation import master_key_rotate
from access.tasks import rotate_master_key
from casework import services
from casework.models import Note, Person, Situation
from core.keyring import KeyringError
from tests.factories import make_situation

OLD = os.environ["PARCOURS_MASTER_KEYS"]
NEW = "2:" + base64.b64encode(b"rotation-test-master-key-2-01234").decode()


@pytest.fixture
def cases(alice):
    """Three situations under master key 1: two named young people (with notes), one anonymous."""
    situations = [
        make_situation(alice, last_name="Kowalczyk", first_name="Maëlys"),
        make_situation(alice, last_name="Benali", first_name="Yanis"),
        make_situation(alice, anonymous=True),
    ]
    for situation in situations:
        services.note_create(situation=situation, by=alice, body=f"Note {situation.reference}", visibility="groupe")
    return situations


def readable_values() -> list:
    persons = [(p.last_name, p.first_name, p.birth_date) for p in Person.objects.order_by("pk")]
    situations = [s.motif_details for s in Situation.objects.order_by("pk")]
    notes = [n.body for n in Note.objects.order_by("pk")]
    return [persons, situations, notes]


def raw_rows() -> dict:
    rows = {}
    with connection.cursor() as cursor:
        for model in (Person, Situation, Note):
            table = connection.ops.quote_name(model._meta.db_table)
            cursor.execute(f"SELECT * FROM {table} ORDER BY id")
            rows[model] = [tuple(bytes(v) if isinstance(v, memoryview) else v for v in row) for row in cursor]
    return rows


def test_rotation_keeps_every_value_readable_once_the_old_key_is_gone(cases, master_keys):
    before = readable_values()
    master_keys(f"{OLD},{NEW}")
    master_key_rotate()

    master_keys(NEW)

    assert readable_values() == before


def test_rotation_moves_every_data_key_to_the_new_version(cases, master_keys):
    master_keys(f"{OLD},{NEW}")

    master_key_rotate()

    assert set(DataKey.objects.values_list("master_version", flat=True)) == {2}


def test_rotation_changes_every_wrapped_data_key(cases, master_keys):
    before = dict(DataKey.objects.values_list("pk", "wrapped"))
    master_keys(f"{OLD},{NEW}")

    master_key_rotate()

    after = dict(DataKey.objects.values_list("pk", "wrapped"))
    assert all(bytes(after[pk]) != bytes(before[pk]) for pk in before)


def test_rotation_leaves_encrypted_rows_byte_for_byte_unchanged(cases, master_keys):
    before = raw_rows()
    master_keys(f"{OLD},{NEW}")

    master_key_rotate()

    assert raw_rows() == before


def test_rotation_returns_the_number_of_rewrapped_keys(cases, master_keys):
    master_keys(f"{OLD},{NEW}")

    assert master_key_rotate() == 3


def test_rotation_run_twice_has_nothing_left_to_do(cases, master_keys):
    master_keys(f"{OLD},{NEW}")
    master_key_rotate()

    assert master_key_rotate() == 0


def test_rotation_skips_destroyed_keys(cases, master_keys):
    cases[0].data_key.destroy()
    master_keys(f"{OLD},{NEW}")

    assert master_key_rotate() == 2
    assert DataKey.objects.get(pk=cases[0].data_key_id).wrapped is None


def test_rotation_works_in_batches(cases, master_keys):
    master_keys(f"{OLD},{NEW}")
    progress = []

    count = master_key_rotate(batch_size=2, progress=lambda done, total: progress.append((done, total)))

    assert count == 3
    assert progress == [(2, 3), (3, 3)]


def test_rotation_without_the_old_key_raises_and_changes_nothing(cases, master_keys):
    master_keys(NEW)

    with pytest.raises(KeyringError):
        master_key_rotate()
    assert set(DataKey.objects.values_list("master_version", flat=True)) == {1}


def test_command_reports_the_count_in_french(cases, master_keys):
    master_keys(f"{OLD},{NEW}")
    out = io.StringIO()

    call_command("rotate_master_key", stdout=out)

    assert "3 clés de données re-chiffrées avec la clé maîtresse v2" in out.getvalue()


def test_command_without_the_old_key_fails_with_a_clear_message(cases, master_keys):
    master_keys(NEW)

    with pytest.raises(CommandError, match="version 1 is not loaded"):
        call_command("rotate_master_key", stdout=io.StringIO())


def test_task_returns_only_a_count(cases, master_keys):
    master_keys(f"{OLD},{NEW}")

    result = rotate_master_key.apply()

    assert result.get() == 3
