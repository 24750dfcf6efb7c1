import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from audit.models import Event, Kind
from casework import services
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


HIDDEN_NAME = {"identity-last_name": "Lefevre", "identity-first_name": "Eloise"}
HIDDEN_SAYS_IT = "Une situation à laquelle vous n'avez pas accès pourrait concerner ce jeune"
CONTACT_ONLY = "Contactez le coordonnateur du groupe avant d'enregistrer cette situation"


def _hidden_from(owner):
    return make_situation(owner, last_name="Lefèvre", first_name="Éloïse", birth_date=datetime.date(2010, 5, 17))


def test_it_records_a_hidden_duplicate_notice_as_a_security_event_without_the_situation(client_for, alice, bob):
    existing = _hidden_from(alice)

    client_for(bob).post(URL, form_data(**HIDDEN_NAME))

    event = Event.objects.get(kind=Kind.HIDDEN_DUPLICATE)
    assert (event.user, event.partner, event.screen) == (bob, bob.membership.partner, "casework:situation_create")
    assert existing.reference not in str(Event.objects.filter(kind=Kind.HIDDEN_DUPLICATE).values())
    assert event.situation_reference == "" and event.object_id == ""


def test_it_records_no_hidden_duplicate_event_for_a_duplicate_the_user_sees(client_for, alice):
    _hidden_from(alice)

    client_for(alice).post(URL, form_data(**HIDDEN_NAME))

    assert not Event.objects.filter(kind=Kind.HIDDEN_DUPLICATE).exists()


def test_beyond_the_daily_limit_the_notice_no_longer_says_a_situation_exists(client_for, alice, bob, settings):
    settings.PARCOURS_HIDDEN_DUPLICATE_NOTICES_PER_DAY = 2
    _hidden_from(alice)
    client = client_for(bob)
    pages = [client.post(URL, form_data(**HIDDEN_NAME)).content.decode() for _ in range(3)]

    assert [HIDDEN_SAYS_IT in page for page in pages] == [True, True, False]
    assert CONTACT_ONLY in pages[2] and "Une situation existe peut-être déjà" not in pages[2]


def test_beyond_the_daily_limit_each_notice_is_still_recorded(client_for, alice, bob, settings):
    settings.PARCOURS_HIDDEN_DUPLICATE_NOTICES_PER_DAY = 2
    _hidden_from(alice)
    client = client_for(bob)
    for _ in range(3):
        client.post(URL, form_data(**HIDDEN_NAME))

    details = list(Event.objects.filter(kind=Kind.HIDDEN_DUPLICATE).order_by("id").values_list("detail", flat=True))
    assert details == ["", "", "au-delà de la limite quotidienne"]


def test_beyond_the_daily_limit_an_unknown_young_person_gets_the_same_notice(client_for, alice, bob, settings):
    """Otherwise the notice itself would still tell whether a situation exists."""
    settings.PARCOURS_HIDDEN_DUPLICATE_NOTICES_PER_DAY = 1
    _hidden_from(alice)
    client = client_for(bob)
    client.post(URL, form_data(**HIDDEN_NAME))

    page = client.post(URL, form_data()).content.decode()

    assert CONTACT_ONLY in page and HIDDEN_SAYS_IT not in page
    assert Situation.objects.count() == 1
    assert Event.objects.filter(kind=Kind.HIDDEN_DUPLICATE).count() == 1


def test_the_daily_limit_starts_again_at_local_midnight(bob, settings):
    settings.PARCOURS_HIDDEN_DUPLICATE_NOTICES_PER_DAY = 1
    paris = ZoneInfo("Europe/Paris")
    late, next_morning = (
        datetime.datetime(2026, 11, 17, 23, 30, tzinfo=paris),
        datetime.datetime(2026, 11, 18, 0, 30, tzinfo=paris),
    )
    with time_machine.travel(late, tick=False):
        notices = [services.hidden_duplicate_notice(by=bob, hidden_exists=True) for _ in range(2)]
    with time_machine.travel(next_morning, tick=False):
        notices.append(services.hidden_duplicate_notice(by=bob, hidden_exists=True))

    assert notices == [services.HIDDEN_NOTICE, services.LIMIT_NOTICE, services.HIDDEN_NOTICE]


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
