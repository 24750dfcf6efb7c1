"""A person signed in with their authenticator app adds a passkey from « Clés d'accès », then signs in
again with the password and the passkey instead of a code. Chromium's virtual authenticator (CDP)
stands in for the computer's; the pages are checked by axe-core, under the Content-Security-Policy."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from audit.models import Event, Kind
from tests.e2e.conftest import axe_violations
from tests.factories import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _password(page, base_url, username):
    page.goto(f"{base_url}/situations/")
    page.get_by_label("Identifiant").fill(username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url("**/mfa/**")


def test_a_person_adds_a_passkey_then_signs_in_with_it(live_server, browser, alice, settings):
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = [live_server.url]
    assert live_server.url.startswith("http://localhost:")
    device = TOTPDevice.objects.create(user=alice, name="téléphone", confirmed=True)

    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    client = context.new_cdp_session(page)
    client.send("WebAuthn.enable")
    client.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
            }
        },
    )

    _password(page, live_server.url, "alice")
    # No passkey yet: the app's code is the only way.
    assert page.get_by_role("button", name="Utiliser une clé d'accès").count() == 0
    page.get_by_label("Code à 6 chiffres").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Valider").click()
    page.wait_for_url("**/situations/")

    page.goto(f"{live_server.url}/mfa/cles/")
    assert "Vous n'avez pas encore de clé d'accès." in page.locator("main, body").first.inner_text()
    assert axe_violations(page) == []
    page.get_by_role("button", name="Ajouter une clé d'accès").click()
    # The script reloads the page once the passkey is saved.
    page.get_by_role("cell", name="Clé d'accès ajoutée le").first.wait_for()
    assert WebAuthnCredential.objects.filter(user=alice).count() == 1
    assert Event.objects.filter(kind=Kind.MFA_ENROLLED, user=alice).exists()
    assert axe_violations(page) == []

    # A new sign-in in the same browser (the authenticator keeps its passkey).
    context.clear_cookies()
    _password(page, live_server.url, "alice")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Utiliser une clé d'accès").click()
    page.wait_for_url("**/situations/")
    assert Event.objects.filter(kind=Kind.PASSKEY_USED, user=alice).count() == 1
    context.close()
