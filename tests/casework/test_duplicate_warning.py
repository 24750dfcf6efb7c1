"""The intake duplicate warning on spelling variants: exact match first, then « possible » matches
found through keyed match keys (phonetic codes, bigram Bloom filters, near birth dates)."""

import datetime
import hashlib

import pytest

from audit.models import Event, Kind
from casework.models import Situation
from core.matching import compact, phonetic
from tests.casework.test_situation_create import URL, form_data
from tests.factories import make_situation

WARNING = "Une situation existe peut-être déjà"
BORN = datetime.date(2012, 5, 9)


def _typed(last_name, first_name, birth_date="2012-05-09", **extra):
    return form_data(
        **{"identity-last_name": last_name, "identity-first_name": first_name, "identity-birth_date": birth_date},
        **extra,
    )


def test_mouchevalle_warns_for_moucheval_with_the_same_birth_date(client_for, alice):
    existing = make_situation(alice, last_name="Moucheval", first_name="Lucas", birth_date=BORN)
    page = client_for(alice).post(URL, _typed("Mouchevalle", "Lucas")).content.decode()
    assert WARNING in page
    assert existing.reference in page
    assert "identité proche" in page
    assert Situation.objects.count() == 1


def test_a_different_young_person_with_a_similar_name_and_another_birth_year_is_not_warned(client_for, alice):
    make_situation(alice, last_name="Moucheval", first_name="Lucas", birth_date=BORN)
    response = client_for(alice).post(URL, _typed("Mouchevalle", "Luca", birth_date="2009-02-14"))
    assert response.status_code == 302
    assert Situation.objects.count() == 2


def test_a_twin_with_another_first_name_is_not_warned(client_for, alice):
    make_situation(alice, last_name="Moucheval", first_name="Lucas", birth_date=BORN)
    response = client_for(alice).post(URL, _typed("Moucheval", "Emma"))
    assert response.status_code == 302


@pytest.mark.parametrize(
    "last_name, first_name, birth_date",
    [
        ("Lucas", "Moucheval", "2012-05-09"),  # first and last name swapped
        ("MOUCHEVAL", "Lukas", "2012-05-10"),  # a one-day slip and k for c
        ("Mouchaval", "Lucas", "2012-05-09"),  # a one-letter typo
        ("Moucheval", "Lucas", "2012-09-05"),  # day and month swapped
    ],
)
def test_common_variants_are_warned(client_for, alice, last_name, first_name, birth_date):
    existing = make_situation(alice, last_name="Moucheval", first_name="Lucas", birth_date=BORN)
    page = client_for(alice).post(URL, _typed(last_name, first_name, birth_date)).content.decode()
    assert existing.reference in page


def test_exact_name_with_another_date_of_the_same_year_is_a_possible_match(client_for, alice):
    existing = make_situation(alice, last_name="Le Goff", first_name="Jean-Pierre", birth_date=BORN)
    page = client_for(alice).post(URL, _typed("Legoff", "Jean Pierre", birth_date="2012-11-23")).content.decode()
    assert existing.reference in page


def test_the_exact_match_comes_first(client_for, alice):
    variant = make_situation(alice, last_name="Mouchevalle", first_name="Lucas", birth_date=BORN)
    exact = make_situation(alice, last_name="Moucheval", first_name="Lucas", birth_date=BORN)
    page = client_for(alice).post(URL, _typed("Moucheval", "Lucas")).content.decode()
    assert page.index(exact.reference) < page.index(variant.reference)


def test_a_hidden_variant_says_only_contact_the_coordinator_and_is_recorded(client_for, alice, bob):
    existing = make_situation(alice, last_name="Moucheval", first_name="Lucas", birth_date=BORN)
    page = client_for(bob).post(URL, _typed("Mouchevalle", "Lucas")).content.decode()
    assert "contactez le coordonnateur" in page
    assert existing.reference not in page and "MOUCHEVAL" not in page
    assert Event.objects.filter(kind=Kind.HIDDEN_DUPLICATE, user=bob).count() == 1


def test_match_keys_hold_no_plaintext_nor_unkeyed_hash(alice):
    person = make_situation(alice, last_name="Moucheval", first_name="Lucas", birth_date=BORN).person
    stored = " ".join(
        str(getattr(person, field))
        for field in ("last_name_key", "last_name_phonetic", "last_name_bloom", "birth_date_key", "first_name_key")
    ).lower()
    for clear in ("moucheval", "lucas", phonetic("Moucheval").lower(), "2012-05-09"):
        assert clear not in stored
    for clear in (compact("Moucheval"), phonetic("Moucheval"), "2012-05-09"):
        assert hashlib.sha256(clear.encode()).hexdigest() not in stored
