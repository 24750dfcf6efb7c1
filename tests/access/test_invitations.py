"""Accounts start from a single-use invitation: password and second factor in one flow, one session."""

import base64
import datetime
import re
from urllib.parse import urlsplit

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from access import accounts
from access.models import AccountInvitation
from audit.models import Event, Kind

pytestmark = pytest.mark.django_db
PASSWORD = "Un-mot-de-passe-solide-2026"


@pytest.fixture
def newcomer(azimuts):
    user = get_user_model().objects.create(username="nina", email="nina@example.org")
    user.set_unusable_password()
    user.save()
    return user


def invite(user, by=None) -> str:
    _invitation, token = accounts.invitation_create(user=user, by=by)
    return f"/invitation/{token}/"


def code_for(client, url) -> str:
    """The current code of the secret this client's session was shown."""
    secret = client.get(url).context["secret"].replace(" ", "")
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    return f"{TOTP(key).token():06d}"


def complete(client, url, code, password=PASSWORD):
    return client.post(url, {"new_password1": password, "new_password2": password, "token": code})


def test_it_sets_the_password_enrols_the_app_and_shows_recovery_codes_once(newcomer):
    client, url = Client(), invite(newcomer)

    response = complete(client, url, code_for(client, url))

    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == 10 and all(code in response.content.decode() for code in codes)
    newcomer.refresh_from_db()
    assert newcomer.check_password(PASSWORD)
    device = TOTPDevice.objects.get(user=newcomer, confirmed=True)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert StaticDevice.objects.get(user=newcomer).token_set.count() == 10
    assert Event.objects.filter(kind=Kind.ACCOUNT_ACTIVATED, user=newcomer).exists()


def test_a_second_session_never_sees_the_first_sessions_secret(newcomer):
    url = invite(newcomer)
    attacker, person = Client(), Client()

    copied = attacker.get(url).context["secret"]
    own = person.get(url).context["secret"]

    assert copied != own
    assert person.get(url).context["secret"] == own  # the same session keeps its secret
    assert not TOTPDevice.objects.filter(user=newcomer).exists()


def test_a_code_from_a_copied_secret_is_refused(newcomer):
    url = invite(newcomer)
    attacker, person = Client(), Client()
    stolen = code_for(attacker, url)
    person.get(url)

    response = complete(person, url, stolen)

    assert "Ce code ne correspond pas" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=newcomer).exists()
    newcomer.refresh_from_db()
    assert not newcomer.has_usable_password()


def test_the_copied_secret_is_worthless_once_the_person_enrolled(newcomer):
    url = invite(newcomer)
    attacker, person = Client(), Client()
    stolen_secret = attacker.get(url).context["secret"]
    complete(person, url, code_for(person, url))

    device = TOTPDevice.objects.get(user=newcomer)
    assert base64.b32encode(device.bin_key).decode().rstrip("=") != stolen_secret.replace(" ", "")
    assert complete(attacker, url, "123456").status_code == 410


def test_a_used_link_is_refused(newcomer):
    client, url = Client(), invite(newcomer)
    complete(client, url, code_for(client, url))

    assert Client().get(url).status_code == 410


def test_an_expired_link_is_refused(newcomer, settings):
    url = invite(newcomer)
    later = timezone.now() + datetime.timedelta(hours=settings.PARCOURS_INVITATION_HOURS, seconds=1)

    with time_machine.travel(later, tick=False):
        assert Client().get(url).status_code == 410


def test_a_forged_token_is_refused(newcomer):
    invite(newcomer)
    assert Client().get("/invitation/forged-token-0123456789/").status_code == 404


def test_a_new_invitation_revokes_the_previous_one(newcomer):
    first = invite(newcomer)
    invite(newcomer)
    assert Client().get(first).status_code == 410


def test_the_token_itself_is_never_stored(newcomer):
    url = invite(newcomer)
    token = url.split("/")[2]
    assert not AccountInvitation.objects.filter(token_hash=token).exists()
    assert token not in str(list(AccountInvitation.objects.values()))


def test_a_weak_password_is_refused_and_nothing_is_saved(newcomer):
    client, url = Client(), invite(newcomer)

    response = complete(client, url, code_for(client, url), password="azerty")

    assert response.status_code == 200 and "codes" not in response.context
    assert not TOTPDevice.objects.filter(user=newcomer).exists()


def test_a_recovery_code_works_once(newcomer):
    client, url = Client(), invite(newcomer)
    codes = complete(client, url, code_for(client, url)).context["codes"]
    other = Client()
    other.post("/connexion/", {"username": "nina", "password": PASSWORD})

    first = other.post("/mfa/secours/", {"code": codes[0], "next": "/situations/"})
    assert first.status_code == 302
    again = Client()
    again.post("/connexion/", {"username": "nina", "password": PASSWORD})
    second = again.post("/mfa/secours/", {"code": codes[0]})
    assert "n&#x27;est pas valable" in second.content.decode()
    assert Event.objects.filter(kind=Kind.RECOVERY_CODE_USED, user=newcomer).count() == 1


def test_the_invitation_is_emailed_to_the_person_not_shown_to_the_administrator(
    newcomer, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        accounts.invitation_send(user=newcomer, by=None)

    [message] = mail.outbox
    assert message.to == ["nina@example.org"]
    link = re.search(r"https?://\S+/invitation/\S+/", message.body).group(0)
    assert Client().get(urlsplit(link).path).status_code == 200


def test_the_command_line_invites_the_first_administrator(capsys):
    call_command("invite", "premier-admin", "--email", "admin@example.org")

    out = capsys.readouterr().out
    assert Client().get(urlsplit(out.strip().splitlines()[-1]).path).status_code == 200
    assert not get_user_model().objects.get(username="premier-admin").has_usable_password()


def test_the_person_stays_signed_in_after_activation(newcomer):
    client, url = Client(), invite(newcomer)
    complete(client, url, code_for(client, url))

    response = client.get("/situations/")

    # Signed in and verified: the next gate is the charter, not the sign-in page.
    assert response.status_code == 302 and response.url.startswith("/charte/")


def test_the_command_line_makes_the_first_technical_administrator(capsys):
    from access.models import Role

    call_command("invite", "root", "--email", "root@example.org", "--administrator", "--partner", "Ville de Lomme")

    root = get_user_model().objects.get(username="root")
    assert root.is_staff and root.is_superuser and not root.has_usable_password()
    assert (root.membership.partner.name, root.membership.role) == ("Ville de Lomme", Role.ADMIN)
    assert Client().get(urlsplit(capsys.readouterr().out.strip().splitlines()[-1]).path).status_code == 200


def test_the_command_line_invites_a_person_with_their_role_at_an_existing_partner(capsys, azimuts):
    from access.models import Role

    call_command("invite", "nina", "--email", "nina@example.org", "--role", "intervenant", "--partner", azimuts.name)

    nina = get_user_model().objects.get(username="nina")
    assert (nina.membership.partner, nina.membership.role) == (azimuts, Role.STAFF)
    assert not nina.is_staff and not nina.is_superuser
    assert Client().get(urlsplit(capsys.readouterr().out.strip().splitlines()[-1]).path).status_code == 200


def test_the_command_line_refuses_a_role_at_an_unknown_partner(db):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Aucun partenaire"):
        call_command("invite", "nina", "--email", "nina@example.org", "--role", "intervenant", "--partner", "Inconnu")
    assert not get_user_model().objects.filter(username="nina").exists()
