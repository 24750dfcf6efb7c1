"""« Clés d'accès »: passkeys (django-otp-webauthn) added from a verified session only, removed unless they
are the last second factor, and offered at sign-in to whoever has one."""

import secrets

import pytest
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential
from webauthn.helpers import bytes_to_base64url

from access import accounts
from access.models import Membership, Role
from audit.models import Event, Kind
from tests.factories import verified_login

PAGE = "/mfa/cles/"
REGISTER_BEGIN = "/mfa/cles/api/inscription/debut/"
AUTH_BEGIN = "/mfa/cles/api/verification/debut/"


def _passkey(user, name="Ordinateur du bureau") -> WebAuthnCredential:
    return WebAuthnCredential.objects.create(
        user=user, name=name, confirmed=True, credential_id=secrets.token_bytes(32), public_key=b"cose"
    )


def _remove_url(passkey) -> str:
    return f"/mfa/cles/{passkey.pk}/retirer/"


def _verified_with(client, user, device):
    """A session that passed its second factor with `device` (no authenticator app created)."""
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def test_the_page_lists_my_passkeys_only(client, alice, bob):
    _passkey(alice, "Clé d'Alice")
    _passkey(bob, "Clé de Bob")
    content = verified_login(client, alice).get(PAGE).content.decode()
    assert "Clé d&#x27;Alice" in content
    assert "Clé de Bob" not in content
    assert 'id="passkey-register-button"' in content


def test_the_page_loads_the_package_script_as_a_static_file(client, alice):
    content = verified_login(client, alice).get(PAGE).content.decode()
    assert 'src="/static/django_otp_webauthn/otp_webauthn_register.js"' in content
    # No inline script: the configuration is JSON data, which the CSP does not run.
    assert '<script id="otp_webauthn_config" type="application/json">' in content
    assert "<script>" not in content


def test_an_unverified_session_is_sent_to_the_second_factor(client, alice):
    TOTPDevice.objects.create(user=alice, name="téléphone", confirmed=True)
    client.force_login(alice)
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response.url == "/mfa/?next=%2Fmfa%2Fcles%2F"


def test_demonstration_mode_does_not_open_the_page_on_a_password_alone(client, alice, settings):
    settings.DEMO_MODE = True
    client.force_login(alice)
    response = client.get(PAGE)
    assert response.status_code == 302
    assert response.url.startswith("/mfa/")


@pytest.mark.parametrize("has_app", [True, False])
def test_registration_is_refused_on_a_password_alone(client, alice, settings, has_app):
    # Demonstration mode lets the session past the MFA gate: the endpoint itself must refuse it, even for
    # an account without any factor (which the package alone would let register).
    settings.DEMO_MODE = True
    if has_app:
        TOTPDevice.objects.create(user=alice, name="téléphone", confirmed=True)
    client.force_login(alice)
    response = client.post(REGISTER_BEGIN)
    assert response.status_code == 403
    assert response.json()["code"] == "user_not_verified"
    assert "otp_webauthn_register_state" not in client.session


def test_registration_is_refused_by_the_gate_outside_demonstration_mode(client, alice):
    TOTPDevice.objects.create(user=alice, name="téléphone", confirmed=True)
    client.force_login(alice)
    response = client.post(REGISTER_BEGIN)
    assert response.status_code == 302
    assert "otp_webauthn_register_state" not in client.session


def test_registration_starts_for_a_verified_session(client, alice):
    response = verified_login(client, alice).post(REGISTER_BEGIN)
    assert response.status_code == 200
    options = response.json()
    assert options["rp"] == {"id": "localhost", "name": "Parcours"}
    assert "otp_webauthn_register_state" in client.session


def test_removing_a_passkey_asks_for_confirmation(client, alice):
    passkey = _passkey(alice)
    verified_login(client, alice)
    content = client.get(_remove_url(passkey)).content.decode()
    assert "Retirer la clé d'accès" in content
    assert WebAuthnCredential.objects.filter(pk=passkey.pk).exists()


def test_removing_a_passkey_when_the_app_remains(client, alice):
    passkey = _passkey(alice)
    verified_login(client, alice)
    response = client.post(_remove_url(passkey))
    assert response.url == PAGE
    assert not WebAuthnCredential.objects.filter(pk=passkey.pk).exists()
    event = Event.objects.get(kind=Kind.PASSKEY_REMOVED)
    assert event.user_id == alice.pk


def test_removing_the_last_factor_is_refused(client, alice):
    passkey = _passkey(alice)
    _verified_with(client, alice, passkey)
    assert "dernier second facteur" in client.get(_remove_url(passkey)).content.decode()
    response = client.post(_remove_url(passkey), follow=True)
    assert "dernier second facteur" in response.content.decode()
    assert WebAuthnCredential.objects.filter(pk=passkey.pk).exists()
    assert not Event.objects.filter(kind=Kind.PASSKEY_REMOVED).exists()


def test_another_persons_passkey_answers_404(client, alice, bob):
    passkey = _passkey(bob)
    verified_login(client, alice)
    assert client.get(_remove_url(passkey)).status_code == 404
    assert client.post(_remove_url(passkey)).status_code == 404
    assert WebAuthnCredential.objects.filter(pk=passkey.pk).exists()


def test_the_verify_page_offers_a_passkey_to_who_has_one(client, alice):
    TOTPDevice.objects.create(user=alice, name="téléphone", confirmed=True)
    client.force_login(alice)
    assert "Utiliser une clé d'accès" not in client.get("/mfa/").content.decode()
    _passkey(alice)
    content = client.get("/mfa/").content.decode()
    assert "Utiliser une clé d'accès" in content
    assert 'src="/static/django_otp_webauthn/otp_webauthn_auth.js"' in content


def test_passkey_sign_in_starts_before_the_second_factor(client, alice):
    TOTPDevice.objects.create(user=alice, name="téléphone", confirmed=True)
    passkey = _passkey(alice)
    client.force_login(alice)
    response = client.post(AUTH_BEGIN)
    assert response.status_code == 200
    expected = bytes_to_base64url(bytes(passkey.credential_id))
    assert [credential["id"] for credential in response.json()["allowCredentials"]] == [expected]


def test_passkey_sign_in_needs_the_password_first(client, alice):
    _passkey(alice)
    response = client.post(AUTH_BEGIN)
    assert response.status_code == 403
    assert response.json()["code"] == "not_signed_in"


def test_a_factor_reset_removes_passkeys_too(alice, adam, dora):
    Membership.objects.filter(user=dora).update(role=Role.DPO)
    _passkey(alice)
    reset = accounts.factor_reset_request(user=alice, by=adam)
    accounts.factor_reset_confirm(reset_id=reset.pk, by=dora)
    assert not WebAuthnCredential.objects.filter(user=alice).exists()


def test_the_passkey_scripts_speak_french(client, alice):
    TOTPDevice.objects.create(user=alice, name="téléphone", confirmed=True)
    client.force_login(alice)
    # Served before the second factor too: the sign-in page's script needs it.
    response = client.get("/mfa/cles/api/jsi18n/")
    assert response.status_code == 200
    assert "Ajout en cours" in response.content.decode()


def test_the_browser_may_ask_for_a_passkey_from_parcours_only(client):
    policy = client.get("/connexion/")["Permissions-Policy"]
    assert "publickey-credentials-get=(self)" in policy
    assert "camera=()" in policy
