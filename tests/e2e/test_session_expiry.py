"""Nothing typed is lost: a note typed while the session ends is given back after signing in again,
and a warning offers to stay signed in before the idle timeout. Checked by axe-core."""

import pytest
from django.conf import settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from casework.models import Note
from tests.e2e.conftest import axe_violations
from tests.factories import PASSWORD, make_situation

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NOTE = "Entretien avec la mère le 12 : le jeune a repris les cours, à revoir dans un mois."


def _sign_in(page, user):
    """Password, then the authenticator's current code. The device's replay guard and drift are reset
    first, as after a while away: a second sign-in within the same 30 seconds may not reuse a code, and
    a first check slowed across a 30-second boundary records a drift of -1 that would refuse the next
    window's code (django-otp's OTP_TOTP_SYNC)."""
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="téléphone", defaults={"confirmed": True})
    TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, drift=0)
    page.get_by_label("Identifiant").fill(user.username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_label("Code à 6 chiffres").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Valider").click()


def test_a_note_typed_when_the_session_ends_is_given_back_after_signing_in(live_server, browser, alice):
    situation = make_situation(alice)
    detail = f"{live_server.url}/situations/{situation.pk}/"
    context = browser.new_context(locale="fr-FR", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto(detail)
    _sign_in(page, alice)
    page.wait_for_url(detail)

    page.get_by_label("Nouvelle note").fill(NOTE)
    # The session ends (as after the idle timeout): the browser loses it, the CSRF cookie stays.
    kept = [cookie for cookie in context.cookies() if cookie["name"] != settings.SESSION_COOKIE_NAME]
    context.clear_cookies()
    context.add_cookies(kept)
    page.get_by_role("button", name="Ajouter la note").click()

    page.wait_for_url("**/connexion/**")
    notice = page.locator("#session-expired")
    expected = "Votre session a expiré, reconnectez-vous. Votre saisie a été conservée sur cet appareil."
    assert " ".join(notice.inner_text().split()) == expected
    assert axe_violations(page) == []
    assert not Note.objects.exists()

    _sign_in(page, alice)
    # Back on the situation's page, not on the POST-only address of the note (a blank 405).
    page.wait_for_url(detail)
    assert page.get_by_label("Nouvelle note").input_value() == NOTE
    assert "Votre saisie a été conservée sur cet appareil" in page.locator(".draft-restored").inner_text()
    assert axe_violations(page) == []

    page.get_by_role("button", name="Ajouter la note").click()
    page.wait_for_url(detail)
    assert Note.objects.get().body == NOTE
    # Sent: the draft is gone from the browser, and the form is empty.
    assert page.evaluate("() => Object.keys(sessionStorage).filter(k => k.startsWith('parcours-draft:'))") == []
    assert page.get_by_label("Nouvelle note").input_value() == ""
    context.close()


def test_the_idle_warning_offers_to_stay_signed_in(live_server, browser, alice, settings):
    # An idle timeout of 75 s: the page counts 15 s (one minute less, the refresh margin) and warns at 10 s.
    settings.SESSION_COOKIE_AGE = 75
    context = browser.new_context(locale="fr-FR", viewport={"width": 390, "height": 800})
    page = context.new_page()
    page.goto(f"{live_server.url}/situations/")
    _sign_in(page, alice)
    page.wait_for_url("**/situations/")

    dialog = page.get_by_role("alertdialog", name="Votre session va bientôt expirer")
    dialog.wait_for(timeout=20000)
    assert "vous serez déconnecté·e dans quelques minutes" in dialog.inner_text()
    with page.expect_response("**/session/prolonger/") as answer:
        dialog.get_by_role("button", name="Rester connecté").click()
    assert answer.value.status == 204
    assert dialog.is_hidden()

    # Left alone again until the end: the warning says so and offers to sign in again.
    page.get_by_role("link", name="Se reconnecter").wait_for(timeout=25000)
    assert "Votre session a expiré" in dialog.inner_text()
    assert axe_violations(page) == []
    context.close()
