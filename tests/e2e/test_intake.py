"""A partner's social worker logs in with MFA, records a saisine, and finds it in the list."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_social_worker_logs_in_with_mfa_and_records_a_situation(live_server, alice, bob, page, screenshot):
    device = TOTPDevice.objects.create(user=alice, name="téléphone", confirmed=True)

    page.goto(f"{live_server.url}/situations/")
    page.get_by_label("Identifiant").fill("alice")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()

    page.get_by_label("Code à 6 chiffres").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Valider").click()
    page.wait_for_url("**/situations/")

    page.get_by_role("link", name="Nouvelle saisine").first.click()
    page.fill("#id_identity-last_name", "Fictif-Durand")
    page.fill("#id_identity-first_name", "Léonie")
    page.fill("#id_identity-birth_date", "2011-04-12")
    page.select_option("#id_source", label="Prévention spécialisée")
    page.get_by_label("Décrochage scolaire").check()
    page.get_by_label("Fugue / errance").check()
    screenshot("intake-form")
    page.get_by_role("button", name="Enregistrer").click()

    page.wait_for_url("**/situations/*/")
    assert "est enregistrée" in page.get_by_role("status").first.inner_text()
    reference = page.locator("h1 .reference").inner_text()
    screenshot("situation-detail")

    page.get_by_role("link", name="Situations", exact=True).first.click()
    row = page.get_by_role("row").filter(has_text=reference)
    assert row.get_by_text("FICTIF-DURAND Léonie").is_visible()
    screenshot("situation-list")
