"""A new person opens their invitation, chooses a password, enrols their authenticator from the QR
code's secret, notes their recovery codes and lands in Parcours; the used link is then refused.
Pages checked by axe-core at 1366 px and 390 px, under the Content-Security-Policy."""

import base64

import pytest
from django.contrib.auth import get_user_model
from django_otp.oath import TOTP

from access import accounts
from access.models import Membership, Role
from tests.e2e.conftest import ARTIFACTS, axe_violations

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PASSWORD = "Un-mot-de-passe-solide-2026"


def look(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(ARTIFACTS / f"{name}-{width}.png"), full_page=True)
        assert axe_violations(page) == [], f"{name} at {width} px"


def test_a_new_person_activates_their_account_from_the_invitation(live_server, browser, azimuts):
    nina = get_user_model().objects.create(username="nina", email="nina@example.org", first_name="Nina")
    nina.set_unusable_password()
    nina.save()
    Membership.objects.create(user=nina, partner=azimuts, role=Role.STAFF)
    _invitation, token = accounts.invitation_create(user=nina, by=None)
    url = f"{live_server.url}/invitation/{token}/"

    context = browser.new_context(locale="fr-FR", viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.goto(url)
    assert page.locator(".qr-code svg").count() == 1
    look(page, "invitation")
    secret = page.locator("#secret").inner_text().replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    page.locator("#id_new_password1").fill(PASSWORD)
    page.locator("#id_new_password2").fill(PASSWORD)
    page.locator("#id_token").fill("000000")
    page.get_by_role("button", name="Activer mon compte").click()
    # A wrong code keeps the person on the page, with the same secret and an error summary.
    assert "Ce code ne correspond pas" in page.locator("#form-errors").inner_text()
    assert page.locator("#secret").inner_text().replace(" ", "") == secret
    page.locator("#id_new_password1").fill(PASSWORD)
    page.locator("#id_new_password2").fill(PASSWORD)
    page.locator("#id_token").fill(f"{TOTP(key).token():06d}")
    page.get_by_role("button", name="Activer mon compte").click()

    codes = page.get_by_role("list", name="Codes de secours").locator("li").all_inner_texts()
    assert len(codes) == 10
    look(page, "invitation-recovery-codes")
    page.get_by_role("link", name="J'ai noté mes codes, continuer").click()
    page.wait_for_load_state()
    assert "/charte/" in page.url, page.url

    other = browser.new_context(locale="fr-FR").new_page()
    assert other.goto(url).status == 410
    assert "déjà servi" in other.locator("main").inner_text()
    context.close()
