"""The coordinator associates a partner with a situation; its staff read it, then lose it when the
coordinator ends the association. Pages checked by axe-core at 1366 px and 390 px."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.e2e.conftest import ARTIFACTS, axe_violations
from tests.factories import PASSWORD, make_situation

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
WIDTHS = (1366, 390)


def sign_in(browser, live_server, user, width=1366):
    context = browser.new_context(locale="fr-FR", viewport={"width": width, "height": 900})
    page = context.new_page()
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="téléphone", defaults={"confirmed": True})
    page.goto(f"{live_server.url}/")
    page.get_by_label("Identifiant").fill(user.username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_label("Code à 6 chiffres").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Valider").click()
    page.wait_for_url(f"{live_server.url}/")
    return context, page


def look(page, name: str) -> None:
    """Screenshots at both widths, and no WCAG 2.1 AA violation at either."""
    ARTIFACTS.mkdir(exist_ok=True)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
        assert axe_violations(page) == [], f"{name} at {width} px"


def test_an_associated_partner_reads_the_situation_then_loses_it(live_server, browser, alice, bob, charlie):
    situation = make_situation(alice, last_name="Fictif-Roussel", first_name="Inès")
    detail = f"{live_server.url}/situations/{situation.pk}/"

    coordination, page = sign_in(browser, live_server, charlie)
    page.goto(detail)
    page.get_by_role("link", name="Associer un partenaire").click()
    page.get_by_role("button", name="Associer ce partenaire").click()
    # Nothing typed is lost and every error links to its field.
    summary = page.locator("#form-errors")
    assert "Choisissez le partenaire à associer." in summary.inner_text()
    summary.get_by_role("link").first.click()
    look(page, "association-errors")
    page.get_by_role("combobox", name="Partenaire").select_option(label="Collège Rabelais")
    page.get_by_label("Pourquoi ce partenaire est associé").fill("Le collège suit l'assiduité en classe de 4e.")
    look(page, "association-form")
    page.get_by_role("button", name="Associer ce partenaire").click()
    assert "Collège Rabelais est associé" in page.get_by_role("status").first.inner_text()
    panel = page.locator("#partenaires-associes")
    assert "Partenaire associé par le groupe" in panel.inner_text()
    look(page, "association-detail-coordinator")

    school, reader = sign_in(browser, live_server, bob)
    reader.goto(detail)
    assert "FICTIF-ROUSSEL" in reader.locator("main").inner_text()
    reader.get_by_role("textbox", name="Nouvelle note").fill("Vue au collège ce matin, présente en cours.")
    reader.get_by_role("button", name="Ajouter la note").click()
    assert "La note est ajoutée." in reader.get_by_role("status").first.inner_text()
    look(reader, "association-detail-partner")

    page.goto(detail)
    page.get_by_role("link", name="Mettre fin à cet accès").click()
    look(page, "association-end")
    page.get_by_label("Je confirme").check()
    page.get_by_role("button", name="Mettre fin à l'accès").click()
    assert "ne lit plus la situation" in page.get_by_role("status").first.inner_text()

    response = reader.goto(detail)
    assert response.status == 404
    coordination.close()
    school.close()
