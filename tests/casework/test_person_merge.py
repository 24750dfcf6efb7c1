"""Merging two records of the same young person (coordinator): situations move, the merged person's
data key is destroyed, the match keys are recomputed, the trail records it in both references."""

import datetime
import json

import pytest
from django.urls import reverse

from access.models import DataKey
from audit.models import Event, Kind
from casework import selectors, services
from casework.matching import TypedIdentity, person_match_fields
from casework.models import Note, Person, Situation
from core.keyring import DataKeyDestroyed, Keyring, get_keyring
from core.refusal import Refusal
from tests.dpo.helpers import done_access_request
from tests.factories import make_situation

BORN = datetime.date(2012, 5, 9)


@pytest.fixture
def two_records(alice, bob):
    kept = make_situation(alice, last_name="Moucheval", first_name="Lucas", birth_date=BORN)
    merged = make_situation(bob, last_name="Mouchevalle", first_name="Lucas", birth_date=BORN, address="3 rue Pasteur")
    services.note_create(situation=merged, by=bob, body="Rencontre avec Lucas au collège", visibility="groupe")
    return kept, merged


def test_the_kept_person_holds_both_situations(two_records, charlie):
    kept, merged = two_records
    services.person_merge(kept_id=kept.person_id, merged_id=merged.person_id, by=charlie)
    merged.refresh_from_db()
    assert merged.person_id == kept.person_id
    assert set(Situation.objects.filter(person=kept.person_id)) == {kept, merged}
    assert Person.objects.count() == 1


def test_the_merged_persons_key_is_destroyed_and_its_old_ciphertext_cannot_be_decrypted(two_records, charlie):
    kept, merged = two_records
    old_key = DataKey.objects.get(pk=merged.data_key_id)
    old_plain = old_key.plaintext()
    note = Note.objects.get(situation=merged)
    old_token = Note.objects.filter(pk=note.pk).values_list("body", flat=True).get().token

    services.person_merge(kept_id=kept.person_id, merged_id=merged.person_id, by=charlie)

    old_key.refresh_from_db()
    assert old_key.wrapped is None and old_key.destroyed_at is not None
    with pytest.raises(DataKeyDestroyed):
        get_keyring().unwrap(str(old_key.pk), old_key.wrapped, old_key.master_version)
    aad = f"casework.note.body|{note.pk}"
    # The old copy was genuine: only the destroyed key opens it.
    assert Keyring.decrypt(old_plain, old_token, aad) == "Rencontre avec Lucas au collège"
    note = Note.objects.get(pk=note.pk)
    assert note.data_key_id == kept.data_key_id
    assert note.body == "Rencontre avec Lucas au collège"
    assert Note.objects.filter(pk=note.pk).values_list("body", flat=True).get().token != old_token
    assert Situation.objects.get(pk=merged.pk).motif_details == "Absences répétées depuis la rentrée"


def test_no_row_is_left_under_the_destroyed_key(two_records, charlie):
    kept, merged = two_records
    old_key_id = merged.data_key_id
    services.person_merge(kept_id=kept.person_id, merged_id=merged.person_id, by=charlie)
    for _model, _field, _encrypted, rows in services._rows_under_key(DataKey.objects.get(pk=old_key_id)):
        assert not rows.exists()


def test_indexes_are_recomputed_and_the_merged_identity_no_longer_matches_alone(two_records, charlie):
    kept, merged = two_records
    services.person_merge(kept_id=kept.person_id, merged_id=merged.person_id, by=charlie)
    person = Person.objects.get()
    expected = person_match_fields("Moucheval", "Lucas", BORN)
    assert {field: getattr(person, field) for field in expected} == expected
    found = selectors.matching_people(TypedIdentity.of("Mouchevalle", "Lucas", BORN))
    assert [(p.pk, level) for p, level, _score in found] == [(person.pk, "approchante")]


def test_the_subject_access_file_of_the_kept_person_contains_both_situations(two_records, charlie, dora, client_for):
    kept, merged = two_records
    services.person_merge(kept_id=kept.person_id, merged_id=merged.person_id, by=charlie)
    request = done_access_request(Situation.objects.get(pk=kept.pk))
    assert set(request.references.split()) == {kept.reference, merged.reference}
    content = client_for(dora).get(f"/donnees/demandes/{request.pk}/dossier.json").content.decode()
    assert "Rencontre avec Lucas au collège" in json.dumps(json.loads(content), ensure_ascii=False)


def test_the_merge_is_in_the_trail_of_both_references(two_records, charlie):
    kept, merged = two_records
    services.person_merge(kept_id=kept.person_id, merged_id=merged.person_id, by=charlie)
    events = Event.objects.filter(kind=Kind.PERSON_MERGE)
    assert {event.situation_reference for event in events} == {kept.reference, merged.reference}
    assert all(event.user == charlie for event in events)
    assert "Moucheval" not in str(list(events.values()))


def test_only_the_coordinator_merges(two_records, alice):
    kept, merged = two_records
    with pytest.raises(Refusal):
        services.person_merge(kept_id=kept.person_id, merged_id=merged.person_id, by=alice)
    assert Person.objects.count() == 2


def test_a_staff_member_gets_404_on_the_merge_page(two_records, client_for, alice):
    kept, _merged = two_records
    assert client_for(alice).get(f"/situations/{kept.pk}/fusion/").status_code == 404


def test_the_confirmation_shows_both_records_and_says_it_cannot_be_undone(two_records, client_for, charlie):
    kept, merged = two_records
    page = (
        client_for(charlie)
        .post(f"/situations/{kept.pk}/fusion/", {"other_reference": merged.reference, "keep": "cette-fiche"})
        .content.decode()
    )
    assert "ne peut pas être annulée" in page
    assert "MOUCHEVAL" in page.upper() and "Mouchevalle" in page and "3 rue Pasteur" in page
    assert page.index("Fiche conservée") < page.index("Fiche fusionnée")
    assert Person.objects.count() == 2


def test_without_the_confirmation_box_nothing_is_merged(two_records, client_for, charlie):
    kept, merged = two_records
    page = (
        client_for(charlie)
        .post(
            f"/situations/{kept.pk}/fusion/",
            {"other_reference": merged.reference, "keep": "cette-fiche", "merge": "1"},
        )
        .content.decode()
    )
    assert "Cochez la confirmation" in page
    assert Person.objects.count() == 2


def test_the_coordinator_merges_through_the_page_keeping_the_other_record(two_records, client_for, charlie):
    kept, merged = two_records
    response = client_for(charlie).post(
        f"/situations/{kept.pk}/fusion/",
        {"other_reference": merged.reference.lower(), "keep": "autre-fiche", "merge": "1", "confirm": "on"},
    )
    assert response.status_code == 302
    person = Person.objects.get()
    assert person.last_name == "Mouchevalle" and person.address == "3 rue Pasteur"
    assert Situation.objects.filter(person=person).count() == 2


def test_the_dpo_sees_the_merge_in_the_history_of_both_references(two_records, charlie, client_for, dora):
    kept, merged = two_records
    services.person_merge(kept_id=kept.person_id, merged_id=merged.person_id, by=charlie)
    client = client_for(dora)
    for reference in (kept.reference, merged.reference):
        page = client.get(reverse("dpo:situation", args=[reference])).content.decode()
        assert "Fusion de deux fiches" in page
