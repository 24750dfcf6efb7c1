"""Access (art. 15) and erasure (art. 17) requests: four eyes, exactly the person's data, recorded."""

import datetime
import io
import json
import re

import pytest
from django.db import connection
from pypdf import PdfReader

from access.models import Membership, Role
from audit.models import Event, Kind
from casework.models import Person, Situation
from casework.services import note_create
from core.refusal import Refusal
from dpo.execution import erasure_execute
from dpo.models import RightsRequest, SubjectAccessFile
from dpo.services import rights_request_confirm, subject_access_download
from dpo.subject_access import access_export_build
from tests.dpo.helpers import access_request, confirm, done_access_request
from tests.factories import make_situation

pytestmark = pytest.mark.django_db


def values(section: dict) -> list[str]:
    return [field["value"] for record in section["records"] for field in record["fields"]]


def exported(client, request) -> dict:
    response = client.get(f"/donnees/demandes/{request.pk}/dossier.json")
    assert response.status_code == 200
    return {section["key"]: section for section in json.loads(response.content)["sections"]}


def test_export_contains_exactly_the_persons_data_and_access_history(client_for, alice, bob, charlie, dora):
    mine = make_situation(alice)
    note_create(situation=mine, by=alice, body="Rendez-vous honoré avec Léa", visibility="groupe")
    other = make_situation(bob, last_name="Martin", first_name="Hugo")
    note_create(situation=other, by=bob, body="Note sur Hugo", visibility="groupe")
    client_for(alice).get(f"/situations/{mine.pk}/")
    client_for(bob).get(f"/situations/{other.pk}/")

    sections = exported(client_for(dora), done_access_request(mine))

    assert {"Durand", "Léa", "04/03/2011"} <= set(values(sections["identite"]))
    assert "Rendez-vous honoré avec Léa" in values(sections["notes"])
    everything = json.dumps(sections, ensure_ascii=False)
    assert "Martin" not in everything and "Hugo" not in everything and other.reference not in everything
    history = sections["consultations"]["records"]
    assert {record["title"].split(" — ")[0] for record in history} == {mine.reference}
    readers = {field["value"] for record in history for field in record["fields"] if field["label"] == "Utilisateur"}
    assert "Alice Test" in readers and "Bob Test" not in readers


def test_third_party_data_is_marked_for_redaction(client_for, alice, charlie, dora):
    situation = make_situation(alice, legal_representatives="Mme Durand (mère)")
    note_create(situation=situation, by=alice, body="Vu avec sa tante", visibility="groupe")

    sections = exported(client_for(dora), done_access_request(situation))

    marks = {
        field["label"]: field["redaction"]
        for section in sections.values()
        for record in section["records"]
        for field in record["fields"]
    }
    assert marks["Représentants légaux"] == "tiers"
    assert marks["Auteur"] == "tiers"
    assert marks["Texte"] == "a_relire"
    assert marks["Nom"] == ""


def test_the_pdf_holds_the_data_and_the_redaction_marks(client_for, alice, charlie, dora):
    situation = make_situation(alice)
    request = done_access_request(situation)

    response = client_for(dora).get(f"/donnees/demandes/{request.pk}/dossier.pdf")

    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Durand" in text and situation.reference in text and "TIERS" in text


def test_export_is_refused_without_the_second_confirmation(client_for, alice, charlie, dora):
    situation = make_situation(alice)
    request = access_request(situation)

    response = client_for(dora).get(f"/donnees/demandes/{request.pk}/dossier.json")

    assert response.status_code == 302
    with pytest.raises(Refusal):
        access_export_build(request_id=request.pk)
    with pytest.raises(Refusal):
        subject_access_download(request_id=request.pk, by=dora, fmt="json")
    assert not SubjectAccessFile.objects.exists()


def test_the_requester_cannot_confirm_their_own_request(alice, charlie, dora):
    request = access_request(make_situation(alice))
    # Even if the DPO later became a coordinator, the second pair of eyes must be someone else.
    Membership.objects.filter(user=dora).update(role=Role.COORDINATOR)
    dora.refresh_from_db()

    with pytest.raises(Refusal, match="elle-même"):
        rights_request_confirm(request_id=request.pk, by=dora)


@pytest.mark.parametrize("who", ["alice", "dora"])
def test_only_a_coordinator_confirms(who, request, alice, charlie, dora):
    rights_request = access_request(make_situation(alice))

    with pytest.raises(Refusal):
        rights_request_confirm(request_id=rights_request.pk, by=request.getfixturevalue(who))


def test_a_second_confirmation_is_refused(alice, charlie, dora):
    request = done_access_request(make_situation(alice))

    with pytest.raises(Refusal, match="n'attend plus"):
        rights_request_confirm(request_id=request.pk, by=charlie)


def test_a_double_submitted_confirmation_builds_one_file(client_for, alice, charlie, dora):
    request = access_request(make_situation(alice))
    client = client_for(charlie)

    first = client.post(f"/donnees/demandes/{request.pk}/confirmer/")
    second = client.post(f"/donnees/demandes/{request.pk}/confirmer/", follow=True)

    assert first.status_code == 302
    assert "n&#x27;attend plus de confirmation" in second.content.decode()
    assert Event.objects.filter(kind=Kind.RIGHTS_CONFIRMED).count() == 1


def test_each_download_is_recorded_for_each_reference(client_for, alice, charlie, dora):
    request = done_access_request(make_situation(alice))

    client_for(dora).get(f"/donnees/demandes/{request.pk}/dossier.pdf")

    event = Event.objects.get(kind=Kind.SUBJECT_ACCESS_DOWNLOAD)
    assert (event.user, event.situation_reference) == (dora, request.references)
    assert Event.objects.filter(kind=Kind.READ, screen="dpo:rights_download").count() == 1


def test_the_file_is_stored_encrypted(alice, charlie, dora):
    done_access_request(make_situation(alice, last_name="Zéphyrin"))

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT pdf, json FROM {SubjectAccessFile._meta.db_table}")
        [(pdf, stored_json)] = cursor.fetchall()
    assert "Zéphyrin".encode() not in bytes(stored_json) and b"%PDF" not in bytes(pdf)


def test_the_file_dies_with_the_person(alice, charlie, dora):
    situation = make_situation(alice)
    done_access_request(situation)
    request = access_request(situation, kind=RightsRequest.Kind.ERASURE)

    confirm(request)

    assert not SubjectAccessFile.objects.exists()


def test_erasure_purges_every_situation_of_the_person(alice, bob, charlie, dora):
    first = make_situation(alice)
    second = make_situation(bob)
    Situation.objects.filter(pk=second.pk).update(person=first.person, data_key=first.data_key)
    kept = make_situation(bob, last_name="Martin")
    request = access_request(first, kind=RightsRequest.Kind.ERASURE)

    confirm(request)

    assert list(Situation.objects.all()) == [kept]
    assert not Person.objects.filter(pk=first.person_id).exists()
    assert Person.objects.filter(pk=kept.person_id).exists()
    assert request.status == RightsRequest.Status.DONE
    assert request.outcome == "2 situations effacées"
    assert Event.objects.filter(kind=Kind.PURGE, detail__startswith="effacement sur demande").count() == 2


def test_erasure_is_refused_without_confirmation(alice, dora):
    request = access_request(make_situation(alice), kind=RightsRequest.Kind.ERASURE)

    with pytest.raises(Refusal):
        erasure_execute(request_id=request.pk)
    assert Situation.objects.count() == 1


RIGHTS = "/donnees/demandes/"


def test_the_dpo_finds_the_person_by_identity_without_storing_it(client_for, alice, dora):
    situation = make_situation(alice)
    client = client_for(dora)
    typed = {"kind": "acces", "last_name": "DURAND", "first_name": "lea", "birth_date": "2011-03-04"}

    listed = client.post(RIGHTS, typed).content.decode()
    assert situation.reference in listed and not RightsRequest.objects.exists()
    response = client.post(RIGHTS, {**typed, "candidate": str(situation.person.pk)})

    request = RightsRequest.objects.get()
    assert response.status_code == 302
    assert (request.person, request.references) == (situation.person, situation.reference)
    assert "Durand" not in str(list(RightsRequest.objects.values()))


def test_a_spelling_variant_of_the_identity_lists_the_person_as_a_candidate(client_for, alice, bob, dora):
    variant = make_situation(alice, last_name="Mouchevalle", first_name="Lucas", birth_date=datetime.date(2012, 5, 9))
    exact = make_situation(bob, last_name="Moucheval", first_name="Lucas", birth_date=datetime.date(2012, 5, 9))
    stranger = make_situation(bob, last_name="Moucheval", first_name="Emma", birth_date=datetime.date(2012, 5, 9))

    page = (
        client_for(dora)
        .post(
            RIGHTS, {"kind": "effacement", "last_name": "Moucheval", "first_name": "Lucas", "birth_date": "2012-05-09"}
        )
        .content.decode()
    )

    assert "Identité identique" in page and "Identité approchante" in page
    assert page.index(exact.reference) < page.index(variant.reference)
    assert stranger.reference not in page
    assert "Lucas" not in page.replace('value="Lucas"', "")


def test_a_person_who_is_not_a_candidate_cannot_be_confirmed(client_for, alice, bob, dora):
    make_situation(alice, last_name="Moucheval", first_name="Lucas", birth_date=datetime.date(2012, 5, 9))
    other = make_situation(bob, last_name="Petit", first_name="Hugo")

    page = (
        client_for(dora)
        .post(
            RIGHTS,
            {
                "kind": "acces",
                "last_name": "Moucheval",
                "first_name": "Lucas",
                "birth_date": "2012-05-09",
                "candidate": str(other.person.pk),
            },
        )
        .content.decode()
    )

    assert "Choisissez la personne parmi celles qui correspondent" in page
    assert not RightsRequest.objects.exists()


def test_an_unknown_identity_is_said_so(client_for, dora):
    response = client_for(dora).post(
        "/donnees/demandes/", {"kind": "acces", "last_name": "Inconnu", "first_name": "X", "birth_date": "2010-01-01"}
    )

    assert "Aucune personne ne correspond" in response.content.decode()
    assert not RightsRequest.objects.exists()


def test_a_coordinator_cannot_record_a_request(client_for, alice, charlie):
    situation = make_situation(alice)

    client_for(charlie).post("/donnees/demandes/", {"kind": "acces", "reference": situation.reference})

    assert not RightsRequest.objects.exists()


@pytest.mark.parametrize("who", ["alice", "adam"])
def test_other_roles_get_403_on_the_data_protection_pages(who, request, client_for):
    client = client_for(request.getfixturevalue(who))
    for url in ("/donnees/demandes/", "/donnees/conservation/", "/donnees/inventaire/", "/donnees/violation/"):
        assert client.get(url).status_code == 403


def test_a_coordinator_declines_a_request(client_for, alice, charlie, dora):
    request = access_request(make_situation(alice))

    client_for(charlie).post(f"/donnees/demandes/{request.pk}/annuler/")

    request.refresh_from_db()
    assert (request.status, request.cancelled_by) == (RightsRequest.Status.CANCELLED, charlie)
    with pytest.raises(Refusal):
        rights_request_confirm(request_id=request.pk, by=charlie)


def test_the_requests_page_has_no_duplicate_ids(client_for, dora):
    page = client_for(dora).get("/donnees/demandes/").content.decode()
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    assert 'for="id_restriction_reference"' in page
