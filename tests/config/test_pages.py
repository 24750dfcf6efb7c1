"""The pages anyone may read signed out: the accessibility statement, the legal notice, and the
footer links that lead to them from every page."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

FOOTER_LINKS = ('href="/mentions-legales/"', 'href="/donnees/notice/individuelle/"', 'href="/accessibilite/"')


def test_the_accessibility_statement_is_reachable_signed_out():
    response = Client().get("/accessibilite/")

    content = response.content.decode()
    assert response.status_code == 200
    assert "Déclaration d'accessibilité" in content
    assert "partiellement conforme" in content
    assert "Défenseur des droits" in content
    assert "mailto:" in content


def test_the_legal_notice_is_reachable_signed_out():
    response = Client().get("/mentions-legales/")

    assert response.status_code == 200
    assert "Mentions légales" in response.content.decode()


def test_the_information_notice_is_reachable_signed_out():
    assert Client().get("/donnees/notice/individuelle/").status_code == 200


@pytest.mark.parametrize("path", ["/connexion/", "/accessibilite/"])
def test_signed_out_pages_carry_the_footer_links(path):
    content = Client().get(path).content.decode()

    for link in FOOTER_LINKS:
        assert link in content


def test_signed_in_pages_carry_the_footer_links(alice, client_for):
    content = client_for(alice).get("/situations/").content.decode()

    for link in FOOTER_LINKS:
        assert link in content
