"""Form errors the way French public services show them: a summary linking each error to its field,
« Erreur : » in the title, groups of checkboxes as fieldsets tied to their error, optional fields named."""

from django.urls import reverse


def _empty_intake(client):
    return client.post(reverse("casework:situation_create"), {"motif_details": ""}).content.decode()


def test_the_title_says_erreur_after_a_failed_submit(client_for, alice):
    page = _empty_intake(client_for(alice))
    assert "<title>Erreur : Nouvelle saisine — Parcours</title>" in page


def test_the_title_is_plain_before_any_submit(client_for, alice):
    page = client_for(alice).get(reverse("casework:situation_create")).content.decode()
    assert "<title>Nouvelle saisine — Parcours</title>" in page


def test_the_summary_links_each_error_to_its_field(client_for, alice):
    page = _empty_intake(client_for(alice))
    assert 'id="form-errors" tabindex="-1"' in page
    assert '<a href="#id_identity-last_name">Nom : Ce champ est obligatoire.</a>' in page
    assert '<a href="#id_motifs_0">' in page


def test_the_motifs_group_is_a_fieldset_described_by_its_error(client_for, alice):
    page = _empty_intake(client_for(alice))
    assert '<fieldset class="mb-3" id="id_motifs_group" aria-describedby="id_motifs_error' in page
    assert '<div id="id_motifs_error"' in page


def test_the_form_says_every_field_is_required_unless_marked(client_for, alice):
    page = client_for(alice).get(reverse("casework:situation_create")).content.decode()
    assert "Sauf mention contraire, tous les champs sont obligatoires." in page
    assert "(facultatif)" in page


def test_the_source_of_a_saisine_starts_empty(client_for, alice):
    page = client_for(alice).get(reverse("casework:situation_create")).content.decode()
    assert '<option value="" selected>— Choisir la source —</option>' in page
