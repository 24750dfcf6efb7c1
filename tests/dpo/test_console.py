"""The DPO console answers who read what, when and why, without showing identity or content."""

import datetime

from django.utils import timezone

from audit.models import Event, Kind, Purpose
from tests.factories import make_situation, make_user

URL = "/audit/"


def _read(client_for, user, situation):
    client_for(user).get(f"/situations/{situation.pk}/")


def test_dpo_finds_who_read_a_situation(client_for, alice, bob, dora):
    situation = make_situation(alice, last_name="Roussel")
    _read(client_for, alice, situation)
    page = client_for(dora).get(URL, {"reference": situation.reference}).content.decode()
    assert "alice" in page and "fiche de la situation" in page and "Suivi courant" in page
    assert "situation_detail" not in page


def test_console_shows_no_identity(client_for, alice, dora):
    situation = make_situation(alice, last_name="Roussel", first_name="Maëlys")
    _read(client_for, alice, situation)
    for url in (URL + f"?reference={situation.reference}", f"/audit/situation/{situation.reference}/"):
        page = client_for(dora).get(url).content.decode()
        assert "Roussel" not in page and "ROUSSEL" not in page and "Maëlys" not in page
        assert "Absences répétées" not in page


def test_reference_search_is_case_insensitive(client_for, alice, dora):
    situation = make_situation(alice)
    _read(client_for, alice, situation)
    page = client_for(dora).get(URL, {"reference": situation.reference.lower()}).content.decode()
    assert "fiche de la situation" in page


def test_search_by_user_keeps_only_their_events(client_for, alice, bob, dora):
    mine, theirs = make_situation(alice), make_situation(bob)
    _read(client_for, alice, mine)
    _read(client_for, bob, theirs)
    page = client_for(dora).get(URL, {"username": "bob", "kind": Kind.READ}).content.decode()
    assert theirs.reference in page and mine.reference not in page


def test_search_by_partner(client_for, alice, bob, dora, rabelais):
    mine, theirs = make_situation(alice), make_situation(bob)
    _read(client_for, alice, mine)
    _read(client_for, bob, theirs)
    page = client_for(dora).get(URL, {"partner": rabelais.pk, "kind": Kind.READ}).content.decode()
    assert theirs.reference in page and mine.reference not in page


def test_search_by_period_excludes_older_events(client_for, alice, dora):
    situation = make_situation(alice)
    _read(client_for, alice, situation)
    last_week = timezone.localdate() - datetime.timedelta(days=7)
    page = client_for(dora).get(URL, {"reference": situation.reference, "end": last_week.isoformat()})
    assert "Aucun événement ne correspond" in page.content.decode()


def test_search_by_kind_finds_failed_logins(client, client_for, alice, dora):
    client.post("/connexion/", {"username": "alice", "password": "Wrong-password-42"})
    page = client_for(dora).get(URL, {"kind": Kind.LOGIN_FAILED}).content.decode()
    assert "Échec de connexion" in page and "alice" in page


def test_unknown_username_gets_a_french_message(client_for, dora):
    page = client_for(dora).get(URL, {"username": "personne"}).content.decode()
    assert "Aucun utilisateur n&#x27;a ce nom, ce prénom ou cet identifiant." in page


def test_malformed_reference_gets_a_french_message(client_for, dora):
    assert "GSN-2026-0042" in client_for(dora).get(URL, {"reference": "DROP TABLE"}).content.decode()


def test_reversed_period_is_refused(client_for, dora):
    page = client_for(dora).get(URL, {"start": "2026-10-10", "end": "2026-10-01"}).content.decode()
    assert "La fin de la période précède son début." in page


def test_a_date_in_1900_is_refused(client_for, dora):
    page = client_for(dora).get(URL, {"start": "1900-01-01"}).content.decode()
    assert "Choisissez une date entre le 01/01/2000 et aujourd&#x27;hui." in page


def test_console_without_search_shows_the_questions_it_answers(client_for, dora):
    assert "Questions fréquentes" in client_for(dora).get(URL).content.decode()


def test_results_paginate_with_the_search_kept(client_for, alice, dora):
    situation = make_situation(alice)
    for _ in range(3):
        client_for(alice).get("/situations/")  # one read event per row shown
    Event.objects.bulk_create(
        Event(user=alice, kind=Kind.READ, situation_reference=situation.reference, screen="x", mac="m")
        for _ in range(55)
    )
    page = client_for(dora).get(URL, {"reference": situation.reference}).content.decode()
    assert f"reference={situation.reference}&amp;page=2" in page


def test_dpo_reading_the_trail_reads_no_case(client_for, alice, dora):
    situation = make_situation(alice)
    client_for(dora).get(URL, {"reference": situation.reference})
    client_for(dora).get(f"/audit/situation/{situation.reference}/")
    assert not Event.objects.filter(user=dora, kind=Kind.READ).exists()


def test_situation_history_sums_up_readers_and_changes(client_for, alice, bob, dora):
    situation = make_situation(alice)
    _read(client_for, alice, situation)
    _read(client_for, alice, situation)
    page = client_for(dora).get(f"/audit/situation/{situation.reference}/").content.decode()
    assert "Qui l" in page and "alice" in page
    assert "— création</li>" in page


def test_situation_history_refuses_a_malformed_reference(client_for, dora):
    assert client_for(dora).get("/audit/situation/x' OR 1=1/").status_code == 404


def test_user_report_lists_the_situations_read_over_a_month(client_for, alice, dora):
    first, second = make_situation(alice), make_situation(alice)
    _read(client_for, alice, first)
    _read(client_for, alice, second)
    page = client_for(dora).get(f"/audit/utilisateur/{alice.pk}/").content.decode()
    assert first.reference in page and second.reference in page
    assert "2 fiches ouvertes sur la période" in page


def test_user_report_of_an_unknown_user_is_404(client_for, dora):
    assert client_for(dora).get("/audit/utilisateur/999999/").status_code == 404


def test_break_glass_reads_are_highlighted(client_for, alice, dora):
    situation = make_situation(alice)
    Event.objects.create(
        user=alice, kind=Kind.READ, situation_reference=situation.reference, purpose=Purpose.BREAK_GLASS
    )
    page = client_for(dora).get(URL, {"reference": situation.reference}).content.decode()
    assert 'class="table-warning"' in page


def test_only_the_dpo_reaches_the_console(client_for, alice, charlie, adam):
    for user in (alice, charlie, adam):
        for url in (URL, "/audit/anomalies/", "/audit/acces-exceptionnels/", "/audit/export.csv"):
            assert client_for(user).get(url).status_code == 403, (user, url)


def test_user_report_never_writes_de_before_a_vowel(client_for, alice, dora, azimuts):
    ines = make_user("ines", azimuts)
    ines.first_name = "Inès"
    ines.save()

    page = client_for(dora).get(f"/audit/utilisateur/{ines.pk}/").content.decode()

    assert "de Inès" not in page
    assert "Inès" in page
