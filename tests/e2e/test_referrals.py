"""The group proposes and sends a referral; the operator finds it in « Mes orientations » and accepts it."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from referrals.models import Referral
from tests.factories import PASSWORD, make_scheme, make_situation

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def sign_in(browser, live_server, user):
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
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


def test_the_group_proposes_and_the_operator_accepts(live_server, browser, alice, maya, mission_locale):
    situation = make_situation(alice, last_name="Fictif-Roussel", motifs=("neet",))
    make_scheme(mission_locale, "Contrat d'engagement jeune", min_age=12, max_age=25, motifs=("neet",))
    make_scheme(mission_locale, "Garantie jeunes adultes", min_age=18)

    context, page = sign_in(browser, live_server, alice)
    page.goto(f"{live_server.url}/situations/{situation.pk}/")
    page.get_by_role("link", name="Orientations", exact=True).click()
    page.get_by_label("Contrat d'engagement jeune").check()
    page.screenshot(path=_artifact("referral-propose"), full_page=True)
    page.get_by_role("button", name="Proposer l'orientation").click()
    page.get_by_role("button", name="Envoyer à Mission locale").click()
    assert "L'orientation est envoyée au partenaire." in page.get_by_role("status").first.inner_text()
    context.close()

    context, page = sign_in(browser, live_server, maya)
    assert page.get_by_role("link", name="Notifications 1 non lues", exact=True).is_visible()
    page.get_by_role("button", name="Orientations").click()
    page.get_by_role("link", name="Mes orientations", exact=True).click()
    row = page.get_by_role("row").filter(has_text=situation.reference)
    assert row.get_by_text("FICTIF-ROUSSEL Léa").is_visible()
    row.get_by_role("link", name="Répondre").click()
    page.get_by_role("button", name="Accepter l'orientation").click()
    assert "L'orientation est acceptée." in page.get_by_role("status").first.inner_text()
    page.screenshot(path=_artifact("referral-accepted"), full_page=True)
    context.close()

    assert Referral.objects.get().state == Referral.State.ACCEPTED


def _artifact(name: str) -> str:
    from tests.e2e.conftest import ARTIFACTS

    ARTIFACTS.mkdir(exist_ok=True)
    return str(ARTIFACTS / f"{name}.png")
