import pytest

from casework import services
from casework.models import ClosureReason, Motif, Situation, Source
from tests.factories import make_situation


@pytest.fixture
def situation(alice):
    return make_situation(alice, last_name="Garcia", first_name="Yanis")


def edit_url(situation):
    return f"/situations/{situation.pk}/modifier/"


def edit_data(situation, **overrides):
    data = {
        "source": Source.objects.get(code="education-nationale").pk,
        "received_on": "2026-10-01",
        "motifs": [Motif.objects.get(code="absenteisme-scolaire").pk],
        "motif_details": "",
        "status": "examinee",
        "referent": "",
        "next_review_on": "2026-12-15",
        "version": situation.version,
        "identity-last_name": "Garcia",
        "identity-first_name": "Yanis",
        "identity-birth_date": "2011-03-04",
    }
    data.update(overrides)
    return data


def test_it_saves_changes_and_bumps_the_version(client_for, alice, situation):
    response = client_for(alice).post(edit_url(situation), edit_data(situation))
    situation.refresh_from_db()
    assert response.status_code == 302
    assert situation.status == "examinee" and situation.version == 2


def test_edit_form_shows_decrypted_identity(client_for, alice, situation):
    assert 'value="Garcia"' in client_for(alice).get(edit_url(situation)).content.decode()


def test_stale_form_gets_a_conflict_and_overwrites_nothing(client_for, alice, charlie, situation):
    stale = edit_data(situation, **{"identity-last_name": "Écrasé"})
    client_for(charlie).post(edit_url(situation), edit_data(situation, next_review_on="2027-01-10"))
    response = client_for(alice).post(edit_url(situation), stale)
    situation.refresh_from_db()
    assert response.status_code == 409
    assert "Conflit de modification" in response.content.decode()
    assert situation.person.last_name == "Garcia"
    assert str(situation.next_review_on) == "2027-01-10"


def test_illegal_status_transition_is_refused(client_for, alice, situation):
    response = client_for(alice).post(edit_url(situation), edit_data(situation, status="cloturee"))
    situation.refresh_from_db()
    assert response.status_code == 200
    assert situation.status == "recue"


def test_service_refuses_illegal_transition_too(alice, situation):
    with pytest.raises(ValueError):
        services.situation_update(
            situation_id=situation.pk, by=alice, expected_version=1, changes={"status": "cloturee"}
        )


def test_closed_situation_is_read_only(client_for, alice, situation):
    Situation.objects.filter(pk=situation.pk).update(status="cloturee", closure_reason=ClosureReason.objects.first())
    response = client_for(alice).post(edit_url(situation), edit_data(situation))
    situation.refresh_from_db()
    assert response.status_code == 302
    assert situation.version == 1


def test_closed_situation_refuses_notes(client_for, alice, situation):
    Situation.objects.filter(pk=situation.pk).update(status="cloturee")
    client_for(alice).post(f"/situations/{situation.pk}/notes/", {"body": "tard", "visibility": "groupe"})
    assert not situation.notes.exists()


def test_other_partner_cannot_edit(client_for, bob, situation):
    response = client_for(bob).post(edit_url(situation), edit_data(situation, **{"identity-last_name": "X"}))
    situation.refresh_from_db()
    assert response.status_code == 404
    assert situation.person.last_name == "Garcia"


def test_identity_change_updates_the_blind_index(client_for, alice, situation):
    before = situation.person.identity_index
    client_for(alice).post(edit_url(situation), edit_data(situation, **{"identity-last_name": "Garcia-Ruiz"}))
    situation.person.refresh_from_db()
    assert situation.person.identity_index != before


def test_adding_a_note(client_for, alice, situation):
    response = client_for(alice).post(
        f"/situations/{situation.pk}/notes/", {"body": "Rencontre avec la CPE", "visibility": "groupe"}
    )
    assert response.status_code == 302
    assert situation.notes.get().body == "Rencontre avec la CPE"


def test_note_over_the_cap_is_refused(client_for, alice, situation, settings):
    response = client_for(alice).post(
        f"/situations/{situation.pk}/notes/", {"body": "x" * 4001, "visibility": "groupe"}
    )
    assert response.status_code == 400
    assert not situation.notes.exists()


def test_forged_visibility_is_refused(client_for, alice, situation):
    client_for(alice).post(f"/situations/{situation.pk}/notes/", {"body": "note", "visibility": "tous"})
    assert not situation.notes.exists()


def test_dpo_cannot_be_named_referent_by_a_forged_field(client_for, alice, dora, situation):
    response = client_for(alice).post(edit_url(situation), edit_data(situation, referent=dora.pk))
    situation.refresh_from_db()
    assert response.status_code == 200
    assert situation.referent is None and situation.version == 1


def test_forged_version_is_refused(client_for, alice, situation):
    response = client_for(alice).post(edit_url(situation), edit_data(situation, version="latest"))
    situation.refresh_from_db()
    assert response.status_code == 200
    assert situation.version == 1
