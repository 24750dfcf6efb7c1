"""Rotating the blind-index key: every lookup keeps working before, during and after, and the
command can be interrupted and resumed."""

import base64
import datetime
import io
import os

import pytest
from django.core.management import call_command

from casework import selectors, services
from casework.matching import PersonCriteria, TypedIdentity
from casework.models import Person, Situation
from core.keyring import get_keyring
from tests.factories import make_situation

OLD = os.environ["PARCOURS_BLIND_INDEX_KEY"]
NEW = base64.b64encode(b"rotation-test-blind-index-key-02").decode()
BORN = datetime.date(2012, 5, 9)


@pytest.fixture
def blind_index_keys(settings):
    """Load other blind-index keys for one test; get_keyring() is cached, so clear it on both sides."""

    def use(current: str, following: str = "") -> None:
        settings.PARCOURS_BLIND_INDEX_KEY = current
        settings.PARCOURS_BLIND_INDEX_KEY_NEXT = following
        get_keyring.cache_clear()

    yield use
    get_keyring.cache_clear()


@pytest.fixture
def people(alice):
    return [
        make_situation(alice, last_name="Moucheval", first_name="Lucas", birth_date=BORN),
        make_situation(alice, last_name="Benali", first_name="Yanis", birth_date=datetime.date(2010, 1, 20)),
        make_situation(alice, last_name="Le Goff", first_name="Maëlys", birth_date=datetime.date(2011, 7, 2)),
    ]


def _every_lookup_works(alice, situations) -> None:
    moucheval, benali, legoff = situations
    typed = TypedIdentity.of("Mouchevalle", "Lucas", BORN)
    assert [s.pk for s in selectors.possible_duplicates(alice, typed)[0]] == [moucheval.pk]
    exact = TypedIdentity.of("BENALI", "yanis", datetime.date(2010, 1, 20))
    assert [level for _p, level, _s in selectors.matching_people(exact)] == ["exacte"]
    by_first_name = PersonCriteria(first_name="Maelys", birth_year=2011)
    assert list(selectors.situation_list(alice, person=by_first_name)) == [legoff]
    by_sound = PersonCriteria(last_name="Legof", last_name_approximate=True)
    assert list(selectors.situation_list(alice, person=by_sound)) == [legoff]


def test_every_lookup_keeps_working_before_during_and_after_the_rotation(alice, people, blind_index_keys):
    old = OLD
    blind_index_keys(old)
    _every_lookup_works(alice, people)

    blind_index_keys(old, NEW)
    _every_lookup_works(alice, people)  # nothing rotated yet: rows still under the old key
    # A person recorded during the rotation is written under the new key and found too.
    newcomer = make_situation(alice, last_name="Durand", first_name="Léa", birth_date=datetime.date(2011, 3, 4))
    assert Person.objects.get(pk=newcomer.person_id).index_key == get_keyring().index_key.fingerprint
    assert services.match_keys_rotate() == 3
    _every_lookup_works(alice, people)

    blind_index_keys(NEW)
    _every_lookup_works(alice, people)
    found = selectors.matching_people(TypedIdentity.of("Durant", "Lea", datetime.date(2011, 3, 4)))
    assert [p.pk for p, _level, _score in found] == [newcomer.person_id]
    assert services.match_keys_rotate() == 0


def test_the_rotation_can_be_interrupted_and_resumed(alice, people, blind_index_keys, monkeypatch):
    old = OLD
    blind_index_keys(old, NEW)
    calls = []

    def fail_after_first_batch(done, total):
        calls.append((done, total))
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        services.match_keys_rotate(batch_size=1, progress=fail_after_first_batch)
    assert calls == [(1, 3)]
    fingerprint = get_keyring().index_key.fingerprint
    assert Person.objects.filter(index_key=fingerprint).count() == 1
    _every_lookup_works(alice, people)  # half rotated: both kinds of rows are found

    out, err = io.StringIO(), io.StringIO()
    call_command("rotate_blind_index_key", "--batch-size", "1", stdout=out, stderr=err)
    assert "2 jeunes" in out.getvalue() and "2/2" in err.getvalue()
    assert Person.objects.exclude(index_key=fingerprint).count() == 0

    blind_index_keys(NEW)
    _every_lookup_works(alice, people)


def test_rotation_changes_no_ciphertext(alice, people, blind_index_keys):
    old = OLD
    before = list(Person.objects.order_by("pk").values_list("last_name", "first_name", "birth_date", "identity_index"))
    blind_index_keys(old, NEW)
    services.match_keys_rotate()
    after = list(Person.objects.order_by("pk").values_list("last_name", "first_name", "birth_date", "identity_index"))
    assert [row[:3] for row in after] == [row[:3] for row in before]
    assert all(a[3] != b[3] for a, b in zip(after, before, strict=True))
    assert Situation.objects.count() == 3
