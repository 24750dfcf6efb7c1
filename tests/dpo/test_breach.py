"""The breach helper lists the situations a partner or a user read in a period (GDPR art. 33)."""

import pytest

from tests.factories import make_situation

pytestmark = pytest.mark.django_db


def test_it_lists_the_references_read_by_a_partners_people(client_for, alice, bob, azimuts, dora):
    read = make_situation(alice)
    unread = make_situation(bob)
    client_for(alice).get(f"/situations/{read.pk}/")

    page = client_for(dora).get("/donnees/violation/", {"partner": azimuts.pk}).content.decode()

    assert read.reference in page and unread.reference not in page


def test_it_lists_the_references_read_by_one_user_as_csv(client_for, alice, bob, dora):
    read = make_situation(bob)
    client_for(bob).get(f"/situations/{read.pk}/")

    response = client_for(dora).get("/donnees/violation/", {"username": "bob", "format": "csv"})

    assert response["Content-Type"].startswith("text/csv")
    assert read.reference in response.content.decode()


def test_it_asks_for_a_partner_or_a_user(client_for, dora):
    page = client_for(dora).get("/donnees/violation/", {"start": "2026-01-01"}).content.decode()

    assert "Choisissez un partenaire ou un utilisateur" in page
