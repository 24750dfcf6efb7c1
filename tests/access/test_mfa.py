from django.test import override_settings
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

VERIFY = "/mfa/"
ENROL = "/mfa/enrolement/"


def _token(device) -> str:
    return f"{totp(device.bin_key):06d}"


def _wrong_token(device) -> str:
    return f"{(totp(device.bin_key) + 1) % 1_000_000:06d}"


def _phone(user) -> TOTPDevice:
    return TOTPDevice.objects.create(user=user, name="téléphone", confirmed=True)


def test_an_unverified_user_is_sent_to_the_second_factor(client, alice):
    client.force_login(alice)
    response = client.get("/situations/")
    assert response.status_code == 302
    assert response.url == "/mfa/?next=%2Fsituations%2F"


def test_signing_in_with_the_password_leads_to_the_second_factor(client, alice):
    response = client.post("/connexion/", {"username": "alice", "password": "Correct-horse-battery-9"}, follow=True)
    assert response.redirect_chain[-1][0].startswith(ENROL)


def test_the_verify_page_sends_a_user_without_device_to_enrolment(client, alice):
    client.force_login(alice)
    response = client.get(VERIFY, {"next": "/situations/"})
    assert response.url == "/mfa/enrolement/?next=%2Fsituations%2F"


def test_an_account_without_device_cannot_enrol_on_its_password_alone(client, alice):
    client.force_login(alice)
    response = client.get(ENROL)
    assert response.status_code == 403
    assert "nouvelle invitation" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=alice).exists()


def test_enrolment_is_closed_once_a_device_is_confirmed(client, alice):
    _phone(alice)
    client.force_login(alice)
    response = client.get(ENROL)
    assert response.url.startswith(VERIFY)


def test_verify_accepts_a_valid_code(client, alice):
    device = _phone(alice)
    client.force_login(alice)
    response = client.post(VERIFY, {"token": _token(device), "next": "/situations/"})
    assert response.url == "/situations/"
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


def test_verify_refuses_a_wrong_code(client, alice):
    device = _phone(alice)
    client.force_login(alice)
    response = client.post(VERIFY, {"token": _wrong_token(device)})
    assert response.status_code == 200
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_verify_links_the_error_to_the_field(client, alice):
    device = _phone(alice)
    client.force_login(alice)
    content = client.post(VERIFY, {"token": _wrong_token(device)}).content.decode()
    assert 'aria-describedby="id_token_helptext id_token_error"' in content
    assert 'id="id_token_error"' in content


def test_verify_refuses_a_code_used_twice(client, alice):
    device = _phone(alice)
    client.force_login(alice)
    token = _token(device)
    client.post(VERIFY, {"token": token})
    client.logout()
    client.force_login(alice)
    client.post(VERIFY, {"token": token})
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_verify_ignores_a_next_pointing_elsewhere(client, alice):
    device = _phone(alice)
    client.force_login(alice)
    response = client.post(VERIFY, {"token": _token(device), "next": "https://evil.example/"})
    assert response.url == "/"


def test_logout_is_possible_before_the_second_factor(client, alice):
    client.force_login(alice)
    response = client.post("/deconnexion/")
    assert response.url == "/connexion/"


def test_an_htmx_request_is_told_to_reload_the_page(client, alice):
    client.force_login(alice)
    response = client.get("/situations/", headers={"HX-Request": "true"})
    assert response["HX-Redirect"].startswith(VERIFY)


@override_settings(DEMO_MODE=True)
def test_demonstration_mode_lets_an_unverified_user_through(client, alice):
    client.force_login(alice)
    response = client.get("/situations/")
    assert response.status_code == 200


def test_verify_accepts_a_code_typed_with_a_space(client, alice):
    device = _phone(alice)
    client.force_login(alice)
    token = _token(device)
    client.post(VERIFY, {"token": f"{token[:3]} {token[3:]}"})
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id


def test_verify_makes_the_user_wait_after_a_wrong_code(client, alice):
    device = _phone(alice)
    client.force_login(alice)
    client.post(VERIFY, {"token": _wrong_token(device)})
    response = client.post(VERIFY, {"token": _token(device)})
    assert "Trop de codes erronés" in response.content.decode()
