from audit.models import AccessEvent
from tests.factories import make_situation

URL = "/audit/acces/"


def test_dpo_sees_who_read_a_situation(client_for, alice, dora):
    situation = make_situation(alice, last_name="Roussel")
    client_for(alice).get(f"/situations/{situation.pk}/")
    page = client_for(dora).get(URL, {"reference": situation.reference}).content.decode()
    assert "alice" in page
    assert "situation_detail" in page


def test_dpo_page_shows_no_identity(client_for, alice, dora):
    situation = make_situation(alice, last_name="Roussel", first_name="Maëlys")
    client_for(alice).get(f"/situations/{situation.pk}/")
    page = client_for(dora).get(URL, {"reference": situation.reference}).content.decode()
    assert "Roussel" not in page and "ROUSSEL" not in page and "Maëlys" not in page


def test_dpo_reading_the_trail_reads_no_case(client_for, alice, dora):
    situation = make_situation(alice)
    client_for(dora).get(URL, {"reference": situation.reference})
    assert not AccessEvent.objects.filter(user=dora).exists()


def test_malformed_reference_gets_a_french_message(client_for, dora):
    page = client_for(dora).get(URL, {"reference": "DROP TABLE"}).content.decode()
    assert "GSN-2026-0042" in page


def test_unknown_reference_shows_an_empty_state(client_for, dora):
    assert "Aucun accès enregistré" in client_for(dora).get(URL, {"reference": "GSN-2026-9999"}).content.decode()


def test_staff_cannot_read_the_trail(client_for, alice):
    assert client_for(alice).get(URL).status_code == 403


def test_coordinator_cannot_read_the_trail(client_for, charlie):
    assert client_for(charlie).get(URL).status_code == 403


def test_it_paginates_with_the_reference_kept(client_for, alice, dora):
    situation = make_situation(alice)
    AccessEvent.objects.bulk_create(
        AccessEvent(
            user=alice,
            object_type="casework.situation",
            object_id=str(situation.pk),
            situation_reference=situation.reference,
            screen="situation_detail",
        )
        for _ in range(51)
    )
    page = client_for(dora).get(URL, {"reference": situation.reference}).content.decode()
    assert f"?reference={situation.reference}&amp;page=2" in page
