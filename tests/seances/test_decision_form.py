"""The decision form of a point: an empty decision is refused with a message tied to its group."""

from django.urls import reverse

from seances.models import Decision
from tests.factories import make_situation
from tests.seances.helpers import item_of, running_seance


def _item_url(seance, situation):
    return reverse("seances:seance_item", args=[seance.pk, item_of(seance, situation).pk])


def test_a_decision_with_nothing_ticked_comes_back_with_an_error(client_for, alice, charlie):
    situation = make_situation(alice)
    seance = running_seance(charlie, [situation])
    response = client_for(charlie).post(_item_url(seance, situation), {})
    page = response.content.decode()
    assert response.status_code == 400
    assert "Choisissez la décision prise pour ce point." in page
    assert not Decision.objects.exists()


def test_the_decision_error_is_tied_to_the_group_of_choices(client_for, alice, charlie):
    situation = make_situation(alice)
    seance = running_seance(charlie, [situation])
    page = client_for(charlie).post(_item_url(seance, situation), {}).content.decode()
    assert '<fieldset class="mb-3" id="id_decision-kind_group" aria-describedby="id_decision-kind_error">' in page
    assert '<div id="id_decision-kind_error"' in page
    assert '<a href="#id_decision-kind_0">Décision : Choisissez la décision prise pour ce point.</a>' in page
    assert "<title>Erreur : " in page


def test_a_summary_alone_still_saves_without_a_decision(client_for, alice, charlie):
    situation = make_situation(alice)
    seance = running_seance(charlie, [situation])
    response = client_for(charlie).post(_item_url(seance, situation), {"synthese-summary": "Point fait."})
    assert response.status_code == 302
    assert not Decision.objects.exists()


def test_a_decision_taken_in_mode_seance_comes_back_to_the_projected_point(client_for, alice, charlie):
    first, second = make_situation(alice), make_situation(alice, last_name="Martin")
    seance = running_seance(charlie, [first, second])
    response = client_for(charlie).post(
        f"{_item_url(seance, second)}?retour=mode", {"decision-kind": Decision.Kind.EXAMINED}
    )
    assert response.status_code == 302
    assert response.url == f"{reverse('seances:seance_mode', args=[seance.pk])}?point=2"
    assert Decision.objects.get().kind == Decision.Kind.EXAMINED


def test_mode_seance_lists_every_point_to_jump_to_and_holds_the_decision_form(client_for, alice, charlie):
    first, second = make_situation(alice), make_situation(alice, last_name="Martin")
    seance = running_seance(charlie, [first, second])
    page = client_for(charlie).get(reverse("seances:seance_mode", args=[seance.pk]), {"point": 2}).content.decode()
    assert f'<option value="1">1 — {first.reference}</option>' in page
    assert f'<option value="2" selected>2 — {second.reference}</option>' in page
    assert f'action="{_item_url(seance, second)}?retour=mode"' in page


def test_an_empty_decision_in_mode_seance_is_refused_without_leaving_the_projected_point(client_for, alice, charlie):
    first, second = make_situation(alice), make_situation(alice, last_name="Martin")
    seance = running_seance(charlie, [first, second])
    response = client_for(charlie).post(f"{_item_url(seance, second)}?retour=mode", {})
    page = response.content.decode()
    assert response.status_code == 400
    assert "<title>Erreur : Mode séance — " in page
    assert "Choisissez la décision prise pour ce point." in page
    # Still point 2 of the projected view, and the corrected decision goes back there.
    assert f'<option value="2" selected>2 — {second.reference}</option>' in page
    assert f'action="{_item_url(seance, second)}?retour=mode"' in page
    assert not Decision.objects.exists()
