import datetime

import pytest

from casework.models import Motif, Situation, Source
from tests.factories import make_situation

URL = "/situations/nouvelle/"


def form_data(**overrides):
    data = {
        "source": Source.objects.get(code="education-nationale").pk,
        "received_on": "2026-10-02",
        "motifs": [Motif.objects.get(code="decrochage-scolaire").pk],
        "motif_details": "",
        "identity-last_name": "Moreau",
        "identity-first_name": "Noé",
        "identity-birth_date": "2010-05-17",
        "identity-gender": "M",
    }
    data.update(overrides)
    return data


def test_it_creates_a_situation_and_opens_it(client_for, alice):
    response = client_for(alice).post(URL, form_data())
    situation = Situation.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/situations/{situation.pk}/"
    assert situation.person.last_name == "Moreau"
    assert situation.reference.startswith("GSN-2026-")


def test_new_situation_is_visible_to_its_author(client_for, alice):
    client = client_for(alice)
    client.post(URL, form_data())
    assert "MOREAU" in client.get("/situations/").content.decode()


def test_it_creates_an_anonymous_situation(client_for, alice):
    client_for(alice).post(URL, form_data(anonymous="on", **{"identity-last_name": ""}))
    situation = Situation.objects.get()
    assert situation.person is None and situation.is_anonymous


def test_it_requires_a_motif(client_for, alice):
    response = client_for(alice).post(URL, form_data(motifs=[]))
    assert "Cochez au moins un motif" in response.content.decode()
    assert not Situation.objects.exists()


def test_forged_motif_id_is_refused(client_for, alice):
    response = client_for(alice).post(URL, form_data(motifs=[999999]))
    assert response.status_code == 200
    assert not Situation.objects.exists()


def test_birth_date_in_1900_is_refused(client_for, alice):
    response = client_for(alice).post(URL, form_data(**{"identity-birth_date": "1900-01-01"}))
    assert "vérifiez la date de naissance" in response.content.decode()
    assert not Situation.objects.exists()


def test_received_date_in_the_future_is_refused(client_for, alice):
    tomorrow = datetime.date.today() + datetime.timedelta(days=2)
    response = client_for(alice).post(URL, form_data(received_on=tomorrow.isoformat()))
    assert "ne peut pas être dans le futur" in response.content.decode()


def test_free_text_over_the_cap_is_refused_with_a_message(client_for, alice, settings):
    response = client_for(alice).post(URL, form_data(motif_details="x" * 1001))
    assert response.status_code == 200
    assert "1000" in response.content.decode()
    assert not Situation.objects.exists()


def test_ten_megabyte_text_is_rejected(client_for, alice):
    response = client_for(alice).post(URL, form_data(motif_details="x" * 10_000_000))
    assert response.status_code == 400
    assert not Situation.objects.exists()


def test_the_form_warns_against_copying_police_files(client_for, alice):
    assert "procès-verbal" in client_for(alice).get(URL).content.decode()


def test_duplicate_warning_on_same_person_with_other_case_and_accents(client_for, alice):
    existing = make_situation(alice, last_name="Lefèvre", first_name="Éloïse", birth_date=datetime.date(2010, 5, 17))
    response = client_for(alice).post(
        URL, form_data(**{"identity-last_name": "LEFEVRE", "identity-first_name": " eloise "})
    )
    page = response.content.decode()
    assert "Une situation existe peut-être déjà" in page
    assert existing.reference in page
    assert Situation.objects.count() == 1


def test_duplicate_hidden_from_user_reveals_nothing_but_contact_the_coordinator(client_for, alice, bob):
    existing = make_situation(alice, last_name="Lefèvre", first_name="Éloïse", birth_date=datetime.date(2010, 5, 17))
    response = client_for(bob).post(
        URL, form_data(**{"identity-last_name": "Lefevre", "identity-first_name": "Eloise"})
    )
    page = response.content.decode()
    assert "contactez le coordonnateur" in page
    assert existing.reference not in page
    assert str(existing.pk) not in page


def test_confirmed_duplicate_is_created(client_for, alice):
    make_situation(alice, last_name="Lefèvre", first_name="Éloïse", birth_date=datetime.date(2010, 5, 17))
    client_for(alice).post(
        URL, form_data(confirm_new="on", **{"identity-last_name": "Lefevre", "identity-first_name": "Eloise"})
    )
    assert Situation.objects.count() == 2


@pytest.mark.parametrize("role_user", ["dora", "adam"])
def test_dpo_and_admin_cannot_create(db, client_for, role_user, request):
    response = client_for(request.getfixturevalue(role_user)).post(URL, form_data())
    assert response.status_code == 403
    assert not Situation.objects.exists()
