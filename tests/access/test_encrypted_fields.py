"""Encrypted fields store ciphertext only, bound to their row and column, and fail closed (invariant 1)."""

import base64
import os

import pytest
from django.db import connection

from access.fields import Sealed
from casework import services
from casework.models import Note, Person
from core.keyring import DataKeyDestroyed, DecryptionError, KeyringError
from tests.factories import make_situation

IDENTITY = {"last_name": "Kowalczyk", "first_name": "Maëlys", "address": "12 rue des Tilleuls, Lomme"}


def new_key() -> str:
    return base64.b64encode(os.urandom(32)).decode()


def sealed(model, pk, field: str) -> bytes:
    return model.objects.values_list(field, flat=True).get(pk=pk).token


def test_value_reads_back_after_a_round_trip_through_the_database(alice):
    situation = make_situation(alice, **IDENTITY)

    person = Person.objects.get(pk=situation.person_id)

    assert (person.last_name, person.first_name) == ("Kowalczyk", "Maëlys")


def test_raw_sql_read_of_encrypted_columns_contains_no_plaintext(alice):
    situation = make_situation(alice, **IDENTITY)
    services.note_create(situation=situation, by=alice, body="Rencontre avec Maëlys au collège", visibility="groupe")

    with connection.cursor() as cursor:
        cursor.execute("SELECT last_name, first_name, address FROM casework_person")
        stored = [bytes(value) for row in cursor.fetchall() for value in row]
        cursor.execute("SELECT body FROM casework_note")
        stored += [bytes(row[0]) for row in cursor.fetchall()]

    assert len(stored) == 4
    for plaintext in ("Kowalczyk", "Maëlys", "Tilleuls", "Rencontre"):
        assert not any(plaintext.encode() in value for value in stored)


def test_ciphertext_swapped_between_two_rows_does_not_decrypt(alice):
    situation = make_situation(alice)
    # Two notes of one situation share its data key: only the associated data tells them apart.
    first = services.note_create(situation=situation, by=alice, body="Première note", visibility="groupe")
    second = services.note_create(situation=situation, by=alice, body="Seconde note", visibility="groupe")
    Note.objects.filter(pk=first.pk).update(body=sealed(Note, second.pk, "body"))

    with pytest.raises(DecryptionError):
        Note.objects.get(pk=first.pk).body  # noqa: B018


def test_ciphertext_swapped_between_two_columns_of_a_row_does_not_decrypt(alice):
    person_id = make_situation(alice, **IDENTITY).person_id
    last_name, first_name = sealed(Person, person_id, "last_name"), sealed(Person, person_id, "first_name")
    Person.objects.filter(pk=person_id).update(last_name=first_name, first_name=last_name)

    with pytest.raises(DecryptionError):
        Person.objects.get(pk=person_id).last_name  # noqa: B018


def test_reading_with_a_wrong_master_key_raises(alice, master_keys):
    person_id = make_situation(alice, **IDENTITY).person_id
    master_keys(f"1:{new_key()}")

    with pytest.raises(DecryptionError):
        Person.objects.get(pk=person_id).last_name  # noqa: B018


def test_reading_without_the_master_key_version_raises(alice, master_keys):
    person_id = make_situation(alice, **IDENTITY).person_id
    master_keys(f"2:{new_key()}")

    with pytest.raises(KeyringError, match="version 1 is not loaded"):
        Person.objects.get(pk=person_id).last_name  # noqa: B018


def test_destroyed_data_key_makes_values_unreadable(alice):
    situation = make_situation(alice, **IDENTITY)
    situation.data_key.destroy()

    with pytest.raises(DataKeyDestroyed):
        Person.objects.get(pk=situation.person_id).last_name  # noqa: B018


def test_destroyed_data_key_keeps_nothing_to_unwrap(alice):
    situation = make_situation(alice)
    situation.data_key.destroy()

    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM access_datakey WHERE wrapped IS NOT NULL")
        assert cursor.fetchone()[0] == 0


def test_loaded_value_prints_as_chiffre_until_read(alice):
    person_id = make_situation(alice, **IDENTITY).person_id

    value = Person.objects.values_list("last_name", flat=True).get(pk=person_id)

    assert isinstance(value, Sealed)
    assert str(value) == repr(value) == "[chiffré]"


def test_plaintext_cannot_be_written_around_encryption(alice):
    person_id = make_situation(alice, **IDENTITY).person_id

    with pytest.raises(TypeError, match="plaintext"):
        Person.objects.filter(pk=person_id).update(last_name="Kowalczyk")
