"""The keyring fails closed, and blind indexes ignore how a name is typed (invariants 1 and 2)."""

import base64
import datetime
import io
import os

import pytest
from django.core.management import CommandError, call_command
from hypothesis import given
from hypothesis import strategies as st

from casework.matching import identity_index
from core.keyring import (
    DataKeyDestroyed,
    DecryptionError,
    Keyring,
    KeyringError,
    load_blind_index_key,
    load_master_keys,
)


def random_key() -> bytes:
    return os.urandom(32)


def b64(key: bytes) -> str:
    return base64.b64encode(key).decode()


@pytest.fixture
def keyring():
    return Keyring({1: random_key()}, random_key())


def test_unwrap_with_a_missing_master_key_version_raises(keyring):
    wrapped, _version = keyring.wrap("key-a", random_key())

    with pytest.raises(KeyringError, match="version 2 is not loaded"):
        keyring.unwrap("key-a", wrapped, 2)


def test_unwrap_with_a_wrong_master_key_raises(keyring):
    wrapped, version = keyring.wrap("key-a", random_key())
    impostor = Keyring({1: random_key()}, random_key())

    with pytest.raises(DecryptionError):
        impostor.unwrap("key-a", wrapped, version)


def test_wrapped_key_copied_to_another_key_id_does_not_unwrap(keyring):
    wrapped, version = keyring.wrap("key-a", random_key())

    with pytest.raises(DecryptionError):
        keyring.unwrap("key-b", wrapped, version)


def test_unwrap_of_a_destroyed_key_raises_data_key_destroyed(keyring):
    with pytest.raises(DataKeyDestroyed):
        keyring.unwrap("key-a", None, 1)


def test_tampered_ciphertext_does_not_decrypt():
    data_key = random_key()
    token = bytearray(Keyring.encrypt(data_key, "Durand", "casework.person.last_name|1"))
    token[-1] ^= 1

    with pytest.raises(DecryptionError):
        Keyring.decrypt(data_key, bytes(token), "casework.person.last_name|1")


def test_same_value_encrypts_differently_each_time():
    data_key = random_key()

    first = Keyring.encrypt(data_key, "Durand", "casework.person.last_name|1")
    second = Keyring.encrypt(data_key, "Durand", "casework.person.last_name|1")

    assert first != second


def test_no_master_key_at_all_raises(tmp_path):
    with pytest.raises(KeyringError, match="no master key"):
        load_master_keys("", str(tmp_path))


def test_malformed_master_key_raises():
    with pytest.raises(KeyringError, match="32 bytes"):
        load_master_keys("1:" + b64(b"too short"), "")


def test_no_blind_index_key_raises(tmp_path):
    with pytest.raises(KeyringError, match="no blind-index key"):
        load_blind_index_key("", str(tmp_path))


def test_current_version_is_the_highest_loaded():
    keys = load_master_keys(f"1:{b64(random_key())},3:{b64(random_key())}", "")

    assert Keyring(keys, random_key()).current_version == 3


# --- blind indexes -----------------------------------------------------------------------------------

ACCENTED = {"a": "àâä", "c": "ç", "e": "éèêë", "i": "îï", "o": "ôö", "u": "ùûü", "y": "ÿ"}
words = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=10)
name_parts = st.lists(words, min_size=1, max_size=3)
separators = st.sampled_from([" ", "-", "  ", " - ", "\t", "--"])
padding = st.sampled_from(["", " ", "  ", "-"])
birth_dates = st.dates(min_value=datetime.date(1990, 1, 1), max_value=datetime.date(2025, 12, 31))
two_birth_dates = st.lists(birth_dates, min_size=2, max_size=2, unique=True)


@st.composite
def typed_as(draw, parts: list[str]) -> str:
    """The same name as someone might type it: any case, with or without accents, any separator."""
    words = []
    for part in parts:
        letters = []
        for letter in part:
            if letter in ACCENTED and draw(st.booleans()):
                letter = draw(st.sampled_from(ACCENTED[letter]))
            letters.append(letter.upper() if draw(st.booleans()) else letter)
        words.append("".join(letters))
    text = words[0]
    for word in words[1:]:
        text += draw(separators) + word
    return draw(padding) + text + draw(padding)


@st.composite
def two_typings(draw):
    last, first = draw(name_parts), draw(name_parts)
    return (draw(typed_as(last)), draw(typed_as(first))), (draw(typed_as(last)), draw(typed_as(first)))


@given(typings=two_typings(), born=birth_dates)
def test_blind_index_ignores_case_accents_spaces_and_hyphens(typings, born):
    (last_a, first_a), (last_b, first_b) = typings

    assert identity_index(last_a, first_a, born) == identity_index(last_b, first_b, born)


@given(names=st.tuples(name_parts, name_parts), born=two_birth_dates)
def test_blind_index_differs_for_different_birth_dates(names, born):
    last, first = (" ".join(parts) for parts in names)

    assert identity_index(last, first, born[0]) != identity_index(last, first, born[1])


def test_blind_index_differs_for_different_names():
    born = datetime.date(2011, 3, 4)

    assert identity_index("Durand", "Léa", born) != identity_index("Durant", "Léa", born)


def test_blind_index_depends_on_its_own_key():
    first = Keyring({1: random_key()}, random_key()).blind_index("durand", "lea", "2011-03-04")
    second = Keyring({1: random_key()}, random_key()).blind_index("durand", "lea", "2011-03-04")

    assert first != second


# --- development keys ----------------------------------------------------------------------------------


def test_generate_dev_keys_refuses_without_debug(settings, tmp_path):
    settings.DEBUG = False
    settings.PARCOURS_KEY_DIR = str(tmp_path / "keys")

    with pytest.raises(CommandError, match="DJANGO_DEBUG=1"):
        call_command("generate_dev_keys")
    assert not (tmp_path / "keys").exists()


def test_generate_dev_keys_writes_loadable_keys(settings, tmp_path):
    settings.DEBUG = True
    settings.PARCOURS_KEY_DIR = str(tmp_path / "keys")

    call_command("generate_dev_keys", stdout=io.StringIO())

    assert set(load_master_keys("", settings.PARCOURS_KEY_DIR)) == {1}
    assert len(load_blind_index_key("", settings.PARCOURS_KEY_DIR)) == 32


def test_generate_dev_keys_keeps_existing_keys(settings, tmp_path, capsys):
    settings.DEBUG = True
    settings.PARCOURS_KEY_DIR = str(tmp_path / "keys")
    call_command("generate_dev_keys")
    before = (tmp_path / "keys" / "master-1.key").read_text()
    capsys.readouterr()

    call_command("generate_dev_keys")

    assert (tmp_path / "keys" / "master-1.key").read_text() == before
    assert "déjà présentes" in capsys.readouterr().out
