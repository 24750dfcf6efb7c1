"""Parcours runs under a strict Content-Security-Policy: no inline script or style, no eval. The
conftest fails every browser test on a violation; these tests walk what the others do not reach
(the admin, the DPO's polling request, the notices) and check that the behaviour moved out of the
templates still works."""

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from dpo.models import RightsRequest
from tests.dpo.helpers import access_request
from tests.e2e.test_referrals import sign_in as sign_in_to_situations
from tests.factories import PASSWORD, make_situation

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def sign_in(browser, live_server, user, landing: str):
    """Sign in on the way to `landing` (a path), and arrive there."""
    context = browser.new_context(locale="fr-FR", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    device, _ = TOTPDevice.objects.get_or_create(user=user, name="téléphone", defaults={"confirmed": True})
    page.goto(f"{live_server.url}{landing}")
    page.get_by_label("Identifiant").fill(user.username)
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_label("Code à 6 chiffres").fill(f"{totp(device.bin_key):06d}")
    page.get_by_role("button", name="Valider").click()
    page.wait_for_url(f"**{landing}")
    return context, page


def test_the_pages_are_served_with_the_policy(page, live_server):
    console = []
    page.on("console", lambda message: console.append(message.text))
    response = page.goto(f"{live_server.url}/connexion/")
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy and "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert "camera=()" in response.headers["permissions-policy"]
    # The stylesheets and scripts load from Parcours itself: Bootstrap styles the button.
    button = page.get_by_role("button", name="Se connecter")
    assert button.evaluate("element => getComputedStyle(element).borderRadius") != "0px"
    # Chromium understands every feature of the Permissions-Policy.
    assert [text for text in console if "Permissions-Policy" in text] == []


def test_the_guard_catches_a_violation(page, live_server, csp_violations):
    page.goto(f"{live_server.url}/connexion/")
    page.evaluate("document.body.setAttribute('style', 'color: red')")
    page.wait_for_function("window.__cspViolations.length > 0")
    for _ in range(40):
        if csp_violations:
            break
        page.wait_for_timeout(50)
    assert any("style-src" in violation for violation in csp_violations), csp_violations
    # Caught as it should be: not a failure of this test.
    csp_violations.clear()


def test_the_admin_works_under_the_same_policy(browser, live_server, adam, alice):
    context, page = sign_in(browser, live_server, adam, "/admin/")
    page.get_by_role("link", name="Motifs", exact=True).click()
    page.wait_for_url("**/admin/casework/motif/")
    page.goto(f"{live_server.url}/admin/access/membership/add/")
    # The user field is an autocomplete (select2, fed by the admin's JSON view).
    page.locator(".select2-selection").first.click()
    page.locator(".select2-search__field").fill("ali")
    page.get_by_role("option", name="alice").wait_for()
    page.goto(f"{live_server.url}/admin/auth/user/{alice.pk}/change/")
    assert page.get_by_role("heading", name="alice", exact=True).is_visible()
    # The sidebar's filter is script: it answers under the policy.
    page.locator("#nav-filter").fill("motif")
    assert page.get_by_role("link", name="Motifs", exact=True).is_visible()
    context.close()


def test_a_running_rights_request_draws_its_progress_and_polls_until_done(browser, live_server, alice, charlie, dora):
    request = access_request(make_situation(alice))
    RightsRequest.objects.filter(pk=request.pk).update(status=RightsRequest.Status.RUNNING, progress=40)

    context, page = sign_in(browser, live_server, dora, f"/donnees/demandes/{request.pk}/")
    bar = page.locator(".progress-bar")
    assert bar.inner_text() == "40 %"
    page.wait_for_function("document.querySelector('.progress-bar').style.width === '40%'")

    # htmx polls every two seconds and swaps the block in, without eval.
    RightsRequest.objects.filter(pk=request.pk).update(status=RightsRequest.Status.DONE, progress=100)
    page.locator("#rights-status").get_by_text("Terminée").wait_for(timeout=10_000)
    assert page.locator(".progress-bar").count() == 0
    context.close()


def test_an_anonymous_saisine_hides_the_identity_fields(browser, live_server, alice):
    context, page = sign_in_to_situations(browser, live_server, alice)
    page.get_by_role("link", name="Nouvelle saisine").first.click()
    last_name = page.locator("#id_identity-last_name")
    assert last_name.is_visible()
    page.get_by_label("Situation anonyme (sans identité)").check()
    assert last_name.is_hidden()
    page.get_by_label("Situation anonyme (sans identité)").uncheck()
    assert last_name.is_visible()
    context.close()


def test_the_information_notice_is_styled_and_prints(browser, live_server, alice):
    context, page = sign_in_to_situations(browser, live_server, alice)
    page.goto(f"{live_server.url}/donnees/notice/individuelle/")
    toolbar = page.get_by_role("navigation", name="Actions")
    assert toolbar.evaluate("element => getComputedStyle(element).display") == "flex"
    page.evaluate("window.print = () => { window.printed = true; }")
    page.get_by_role("button", name="Imprimer").click()
    assert page.evaluate("window.printed") is True
    context.close()
