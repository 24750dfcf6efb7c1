"""The DPO reads the people an event's detail names by number (« utilisateur n° 6 ») by name and login."""

import csv
import io

import pytest
from django.urls import reverse

from access import accounts
from audit.models import Event, Kind
from dpo import labels, selectors
from tests.factories import make_situation

pytestmark = pytest.mark.django_db


def _named(user, first_name, last_name):
    user.first_name, user.last_name = first_name, last_name
    user.save()
    return user


def test_the_accounts_page_names_the_invited_person(client_for, alice, dora):
    _named(alice, "Alice", "Aubert")
    accounts.invitation_create(user=alice, by=None)

    page = client_for(dora).get(reverse("dpo:accounts")).content.decode()

    assert "Alice Aubert (alice), valable jusqu" in page
    assert f"utilisateur n° {alice.pk}" not in page


def test_the_journal_search_names_who_requested_a_factor_reset(client_for, alice, adam, dora):
    _named(adam, "Adam", "Admin")
    _named(alice, "Alice", "Aubert")
    Event.objects.create(
        kind=Kind.FACTOR_RESET,
        user=adam,
        detail=f"utilisateur n° {alice.pk} : 1 élément retiré, demandé par n° {adam.pk}",
    )

    page = client_for(dora).get(reverse("dpo:console"), {"username": "adam", "rechercher": "1"}).content.decode()

    assert "Alice Aubert (alice) : 1 élément retiré, demandé par Adam Admin (adam)" in page


def test_the_history_names_the_holder_of_an_expired_grant(client_for, alice, charlie, dora):
    situation = make_situation(alice)
    _named(charlie, "Charlie", "Cordier")
    Event.objects.create(
        kind=Kind.REVOKE,
        user=None,
        situation_reference=situation.reference,
        detail=f"utilisateur n° {charlie.pk} : séance — expiré le 01/01/2026 12:00",
    )

    response = client_for(dora).get(reverse("dpo:situation", args=[situation.reference]), {"format": "csv"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")), delimiter=";"))

    assert any(row[-2] == "Charlie Cordier (charlie) : séance — expiré le 01/01/2026 12:00" for row in rows[1:])


def test_a_deleted_account_stays_a_number():
    people = selectors.people_named_in(["utilisateur n° 999999 : rôle retiré"])
    assert labels.detail_label("utilisateur n° 999999 : rôle retiré", people) == "utilisateur n° 999999 : rôle retiré"


def test_a_request_number_is_not_taken_for_an_account(alice):
    detail = f"demande n° {alice.pk} — GSN-2026-0001"
    assert labels.detail_label(detail, selectors.people_named_in([detail])) == detail
