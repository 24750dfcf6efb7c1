"""Person search: any combination of names and birth date or year, exact or « approchant », by POST,
over the situations the user may read only; each row shown is a recorded read."""

import datetime

from audit.models import Event, Kind
from tests.factories import make_situation

LIST = "/situations/"


def _search(client, **fields):
    return client.post(LIST, {f"person-{name}": value for name, value in fields.items()}).content.decode()


def test_a_worker_finds_their_situation_by_first_name_and_birth_year(client_for, alice):
    mine = make_situation(alice, last_name="Moucheval", first_name="Lucas", birth_date=datetime.date(2012, 5, 9))
    other_year = make_situation(alice, last_name="Petit", first_name="Lucas", birth_date=datetime.date(2010, 5, 9))
    page = _search(client_for(alice), first_name="lucas", birth_year="2012")
    assert mine.reference in page
    assert other_year.reference not in page


def test_a_situation_the_worker_cannot_read_is_never_listed(client_for, alice, bob):
    theirs = make_situation(bob, last_name="Moucheval", first_name="Lucas", birth_date=datetime.date(2012, 5, 9))
    page = _search(client_for(alice), first_name="Lucas", birth_year="2012")
    assert theirs.reference not in page
    assert "MOUCHEVAL" not in page


def test_an_approximate_surname_finds_a_spelling_variant_and_an_exact_one_does_not(client_for, alice):
    situation = make_situation(alice, last_name="Moucheval", first_name="Lucas")
    client = client_for(alice)
    assert situation.reference not in _search(client, last_name="Mouchevalle")
    assert situation.reference in _search(client, last_name="Mouchevalle", last_name_approximate="on")


def test_an_approximate_birth_date_finds_a_one_day_slip(client_for, alice):
    situation = make_situation(alice, first_name="Inès", birth_date=datetime.date(2011, 3, 4))
    client = client_for(alice)
    assert situation.reference not in _search(client, first_name="Ines", birth_date="2011-03-05")
    assert situation.reference in _search(client, first_name="Ines", birth_date="2011-03-05", birth_approximate="on")


def test_particles_hyphens_and_accents_do_not_count_in_an_exact_search(client_for, alice):
    situation = make_situation(alice, last_name="de La Fontaine", first_name="Jean-Pierre")
    page = _search(client_for(alice), last_name="LAFONTAINE", first_name="jean pierre")
    assert situation.reference in page


def test_each_row_found_is_recorded_as_a_read(client_for, alice):
    situation = make_situation(alice, first_name="Lucas", birth_date=datetime.date(2012, 5, 9))
    _search(client_for(alice), first_name="Lucas")
    assert Event.objects.filter(
        kind=Kind.READ, user=alice, situation_reference=situation.reference, screen="situation_list"
    ).exists()


def test_a_birth_year_that_contradicts_the_date_is_refused(client_for, alice):
    page = _search(client_for(alice), birth_date="2011-03-04", birth_year="2012")
    assert "L&#x27;année ne correspond pas à la date de naissance indiquée." in page
    assert "Aucune situation ne correspond" not in page
