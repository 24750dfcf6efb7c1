"""The DPO's pages ask the database the same number of questions whatever the number of events,
readers, situations and accounts they show (issue 20): more rows, not more queries."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import Event, Kind, Purpose
from audit.services import security_record
from tests.factories import make_situation, make_user


def _read(client_for, user, situation):
    assert client_for(user).get(f"/situations/{situation.pk}/").status_code == 200


def _trail(client_for, partner, situation, n: int, first: int) -> None:
    """`n` more readers of `situation`, each also reading a situation of their own, each named by
    number in a security event's detail: distinct users, references and details on every page."""
    for number in range(first, first + n):
        reader = make_user(f"reader{number}", partner)
        _read(client_for, reader, situation)
        _read(client_for, reader, make_situation(reader))
        security_record(Kind.ROLE_CHANGED, user=reader, detail=f"rôle modifié par n° {reader.pk}")


def _queries(client, url, data=None) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, data)
    assert response.status_code == 200
    return len(captured)


def _pages(dora, alice, situation) -> dict:
    today = timezone.localdate()
    month = {"start": (today - datetime.timedelta(days=30)).isoformat(), "end": today.isoformat()}
    return {
        "console by reference": ("/audit/", {"reference": situation.reference, "rechercher": "1"}),
        "console by user": ("/audit/", {"username": "reader", "rechercher": "1"}),
        "console by nature": ("/audit/", {"kind": Kind.ROLE_CHANGED, "purpose": "", "rechercher": "1"}),
        "history": (f"/audit/situation/{situation.reference}/", None),
        "user report": (f"/audit/utilisateur/{alice.pk}/", month),
        "accounts": ("/audit/comptes/", None),
    }


@pytest.mark.django_db
def test_dpo_pages_make_as_many_queries_for_many_rows_as_for_few(client_for, alice, dora, azimuts):
    situation = make_situation(alice)
    _read(client_for, alice, situation)
    _trail(client_for, azimuts, situation, 2, first=1)
    dpo = client_for(dora)
    assert dpo.get("/audit/").status_code == 200  # the session's first request does more
    pages = _pages(dora, alice, situation)
    few = {name: _queries(dpo, url, data) for name, (url, data) in pages.items()}
    _trail(client_for, azimuts, situation, 8, first=3)
    for _ in range(5):
        _read(client_for, alice, make_situation(alice))
    assert Event.objects.filter(situation_reference=situation.reference, purpose=Purpose.ROUTINE).count() >= 11
    many = {name: _queries(dpo, url, data) for name, (url, data) in pages.items()}
    assert many == few


def test_the_rows_made_in_python_link_and_date_as_the_templates_did(client_for, alice, dora, azimuts):
    situation = make_situation(alice)
    _read(client_for, alice, situation)
    dpo = client_for(dora)
    today = timezone.localdate().strftime("%d/%m/%Y")
    situation_link = f'href="/audit/situation/{situation.reference}/"'
    alice_link = f'href="/audit/utilisateur/{alice.pk}/"'
    history = dpo.get(f"/audit/situation/{situation.reference}/").content.decode()
    assert alice_link in history and "Alice Test (alice)" in history and today in history
    report = dpo.get(f"/audit/utilisateur/{alice.pk}/").content.decode()
    assert situation_link in report and today in report
    console = dpo.get("/audit/", {"reference": situation.reference, "rechercher": "1"}).content.decode()
    assert situation_link in console and alice_link in console and "fiche de la situation" in console
