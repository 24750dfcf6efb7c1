"""The print view of a situation: the detail without menu nor form, marked confidential, recorded."""

import pytest
from django.urls import reverse

from audit.models import Event, Kind
from casework import services
from tests.factories import make_situation

pytestmark = pytest.mark.django_db


@pytest.fixture
def situation(alice):
    return make_situation(alice, last_name="Martinez", first_name="Inès")


def print_url(situation):
    return reverse("casework:situation_print", args=[situation.pk])


def test_it_shows_the_situation_marked_confidential_with_who_printed_it(client_for, alice, situation):
    alice.first_name, alice.last_name = "Alice", "Aubert"
    alice.save()

    content = client_for(alice).get(print_url(situation)).content.decode()

    assert "MARTINEZ Inès" in content
    assert situation.reference in content
    assert "Confidentiel — secret partagé" in content
    assert "Imprimé par Alice Aubert (alice) le " in content


def test_it_has_no_menu_and_no_form(client_for, alice, situation):
    content = client_for(alice).get(print_url(situation)).content.decode()

    assert "<form" not in content
    assert 'id="nav"' not in content
    assert "Se déconnecter" not in content
    assert "parcours/print.css" in content


def test_it_shows_the_notes(client_for, alice, situation):
    services.note_create(situation=situation, by=alice, body="Rendez-vous pris avec la famille.", visibility="groupe")

    content = client_for(alice).get(print_url(situation)).content.decode()

    assert "Rendez-vous pris avec la famille." in content


def test_it_is_recorded_as_a_read_of_the_print_screen(client_for, alice, situation):
    client_for(alice).get(print_url(situation))

    event = Event.objects.get(kind=Kind.READ, screen="situation_print", object_id=str(situation.pk))
    assert event.user == alice
    assert event.situation_reference == situation.reference


def test_other_partner_gets_404(client_for, bob, situation):
    response = client_for(bob).get(print_url(situation))

    assert response.status_code == 404
    assert "Martinez" not in response.content.decode()
    assert not Event.objects.filter(screen="situation_print").exists()


def test_the_detail_page_links_to_it(client_for, alice, situation):
    content = client_for(alice).get(reverse("casework:situation_detail", args=[situation.pk])).content.decode()

    assert print_url(situation) in content
