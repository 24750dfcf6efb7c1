"""CSV export of a DPO search: streamed, filtered like the search, and itself recorded."""

import csv
import io

from audit.models import Event, Kind
from tests.factories import make_situation, make_user


def _rows(response):
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body), delimiter=";"))


def test_export_streams_the_rows_of_the_search(client_for, alice, bob, dora):
    mine, theirs = make_situation(alice), make_situation(bob)
    client_for(alice).get(f"/situations/{mine.pk}/")
    client_for(bob).get(f"/situations/{theirs.pk}/")
    response = client_for(dora).get("/audit/export.csv", {"username": "alice", "kind": Kind.READ})
    assert response.streaming and response["Content-Type"].startswith("text/csv")
    rows = _rows(response)
    assert rows[0][0] == "date"
    assert {row[5] for row in rows[1:]} == {mine.reference}


def test_export_is_recorded(client_for, alice, dora):
    situation = make_situation(alice)
    _rows(client_for(dora).get("/audit/export.csv", {"reference": situation.reference}))
    event = Event.objects.get(kind=Kind.AUDIT_EXPORT)
    assert event.user == dora and event.situation_reference == situation.reference


def test_export_carries_no_identity(client_for, alice, dora):
    situation = make_situation(alice, last_name="Roussel")
    client_for(alice).get(f"/situations/{situation.pk}/")
    body = str(_rows(client_for(dora).get("/audit/export.csv", {"reference": situation.reference})))
    assert "Roussel" not in body and "ROUSSEL" not in body


def test_invalid_export_search_is_refused(client_for, dora):
    response = client_for(dora).get("/audit/export.csv", {"start": "1900-01-01"})
    assert response.status_code == 400
    assert not Event.objects.filter(kind=Kind.AUDIT_EXPORT).exists()


FORMULA = '=HYPERLINK("http://x","y")'


def test_a_formula_typed_as_a_login_identifier_is_exported_as_inert_text(client, client_for, azimuts, dora):
    """Such an identifier reaches the trail when it names an account (one made outside the admin's
    username rules, or an entry older than the « identifiant inconnu » rule). The CSV cell starts with a
    single quote, which spreadsheets show as text and never evaluate."""
    make_user(FORMULA, azimuts)
    client.post("/connexion/", {"username": FORMULA, "password": "Wrong-password-42"})

    rows = _rows(client_for(dora).get("/audit/export.csv", {"kind": Kind.LOGIN_FAILED}))

    [row] = rows[1:]
    typed = row[3]
    assert typed == "'" + FORMULA
    assert not [cell for cell in row if cell.startswith(("=", "+", "-", "@", "\t", "\r"))]
