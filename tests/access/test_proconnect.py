"""ProConnect sign-in against a real OpenID Connect provider running locally (tests/oidc_provider:
django-oauth-toolkit, discovery, JWKS, RS256-signed ID tokens, PKCE, nonce), never a mock."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.test import Client

from access.models import ProConnectIdentity
from audit.models import Event, Kind

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]
CLIENT_ID, CLIENT_SECRET = "parcours-test", "parcours-test-secret-0123456789"
AGENTS = [
    # `strong`: signed in with a multi-factor method at the identity provider (acr eidas2).
    {"username": "agent-alice", "password": "pw-alice", "email": "alice@example.org", "strong": True},
    {"username": "agent-inconnu", "password": "pw-inconnu", "email": "personne@example.org", "strong": True},
    {"username": "agent-bob", "password": "pw-bob", "email": "bob@example.org", "strong": False},
]


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def provider(tmp_path_factory):
    folder = tmp_path_factory.mktemp("oidc-provider")
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    config = folder / "provider.json"
    config.write_text(
        json.dumps(
            {
                "rsa_key": pem,
                "client": {
                    "id": CLIENT_ID,
                    "secret": CLIENT_SECRET,
                    "redirect_uri": "http://testserver/connexion/proconnect/retour/",
                    "post_logout_redirect_uri": "http://testserver/connexion/",
                },
                "agents": AGENTS,
            }
        )
    )
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PARCOURS_", "DATABASE_"))}
    log = (folder / "provider.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.oidc_provider.serve", str(port), str(config)],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    discovery = f"{base}/o/.well-known/openid-configuration"
    deadline = time.monotonic() + 90
    while True:
        try:
            if requests.get(discovery, timeout=2).status_code == 200:
                break
        except requests.ConnectionError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail("the test OpenID Connect provider did not start: " + (folder / "provider.log").read_text())
        time.sleep(0.3)
    yield base
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def proconnect(settings, provider):
    settings.PARCOURS_PROCONNECT_ENABLED = True
    settings.PARCOURS_PROCONNECT_DISCOVERY_URL = f"{provider}/o/.well-known/openid-configuration"
    settings.PARCOURS_PROCONNECT_CLIENT_ID = CLIENT_ID
    settings.PARCOURS_PROCONNECT_CLIENT_SECRET = CLIENT_SECRET
    settings.PARCOURS_PROCONNECT_SCOPES = "openid email given_name usual_name"
    settings.PARCOURS_PROCONNECT_MFA_ACR = ["eidas2"]
    settings.PARCOURS_PROCONNECT_MFA_AMR = []
    return provider


def agent_session(provider: str, username: str) -> requests.Session:
    """A browser signed in at the identity provider."""
    agent = next(a for a in AGENTS if a["username"] == username)
    session = requests.Session()
    session.get(f"{provider}/login/")
    response = session.post(
        f"{provider}/login/",
        data={
            "username": username,
            "password": agent["password"],
            "csrfmiddlewaretoken": session.cookies["provider_csrftoken"],
        },
        allow_redirects=False,
    )
    assert response.status_code == 302, "the agent could not sign in at the provider"
    return session


def to_provider_and_back(client: Client, agent: requests.Session) -> str:
    """Parcours sends the browser to the provider, which sends it back with a code: the callback URL."""
    start = client.get("/connexion/proconnect/?next=/situations/")
    assert start.status_code == 302
    authorize = urlsplit(start.url)
    query = parse_qs(authorize.query)
    assert query["code_challenge_method"] == ["S256"] and query["nonce"] and query["state"]
    back = agent.get(start.url, allow_redirects=False)
    assert back.status_code == 302, back.text[:300]
    callback = urlsplit(back.headers["Location"])
    return f"{callback.path}?{callback.query}"


def sign_in(client: Client, agent: requests.Session):
    return client.get(to_provider_and_back(client, agent))


def signed_in_as(client: Client):
    return client.session.get("_auth_user_id")


def test_the_first_sign_in_links_the_invited_account_by_e_mail(proconnect, alice):
    client = Client()

    response = sign_in(client, agent_session(proconnect, "agent-alice"))

    assert response.status_code == 302 and response.url == "/situations/"
    assert signed_in_as(client) == str(alice.pk)
    identity = ProConnectIdentity.objects.get(user=alice)
    assert identity.issuer == f"{proconnect}/o" and identity.subject
    assert Event.objects.filter(kind=Kind.ACCOUNT_ACTIVATED, user=alice, detail="Identité ProConnect liée").exists()
    # An accepted acr (eidas2) stands for the second factor: straight to the situations.
    assert client.get("/situations/").status_code == 200


def test_a_returning_sign_in_follows_the_link_not_the_e_mail(proconnect, alice):
    agent = agent_session(proconnect, "agent-alice")
    sign_in(Client(), agent)
    alice.email = "alice.nouvelle@example.org"
    alice.save()
    client = Client()

    sign_in(client, agent)

    assert signed_in_as(client) == str(alice.pk)
    assert ProConnectIdentity.objects.count() == 1


def test_an_unknown_e_mail_is_refused_and_no_account_is_created(proconnect, alice, django_user_model):
    client = Client()
    accounts = django_user_model.objects.count()

    response = sign_in(client, agent_session(proconnect, "agent-inconnu"))

    assert response.status_code == 302 and response.url == "/connexion/"
    assert signed_in_as(client) is None
    assert django_user_model.objects.count() == accounts
    assert "Aucun compte Parcours" in client.get("/connexion/").content.decode()
    assert Event.objects.filter(kind=Kind.LOGIN_FAILED, detail="ProConnect").exists()


def test_a_deactivated_account_is_refused(proconnect, alice):
    alice.is_active = False
    alice.save()
    client = Client()

    sign_in(client, agent_session(proconnect, "agent-alice"))

    assert signed_in_as(client) is None
    assert "désactivé" in client.get("/connexion/").content.decode()
    assert not ProConnectIdentity.objects.exists()


def test_a_level_without_mfa_leads_to_the_local_second_factor(proconnect, bob):
    client = Client()

    sign_in(client, agent_session(proconnect, "agent-bob"))

    assert signed_in_as(client) == str(bob.pk)
    response = client.get("/situations/")
    assert response.status_code == 302 and response.url.startswith("/mfa/")


def test_the_amr_accepted_by_the_deployment_also_waives_the_factor(proconnect, settings, alice):
    settings.PARCOURS_PROCONNECT_MFA_ACR = []
    settings.PARCOURS_PROCONNECT_MFA_AMR = ["otp"]
    client = Client()

    sign_in(client, agent_session(proconnect, "agent-alice"))

    assert client.get("/situations/").status_code == 200


def test_a_tampered_id_token_is_refused(proconnect, alice, monkeypatch):
    from authlib.integrations.django_client.apps import DjangoOAuth2App

    fetch = DjangoOAuth2App.fetch_access_token

    def tampered(self, *args, **kwargs):
        token = fetch(self, *args, **kwargs)
        header, payload, signature = token["id_token"].split(".")
        token["id_token"] = ".".join(
            [header, payload, signature[:-4] + ("AAAA" if signature[-4:] != "AAAA" else "BBBB")]
        )
        return token

    monkeypatch.setattr(DjangoOAuth2App, "fetch_access_token", tampered)
    client = Client()

    sign_in(client, agent_session(proconnect, "agent-alice"))

    assert signed_in_as(client) is None
    assert "a échoué" in client.get("/connexion/").content.decode()
    assert not ProConnectIdentity.objects.exists()


def test_a_wrong_state_is_refused(proconnect, alice):
    client = Client()
    callback = to_provider_and_back(client, agent_session(proconnect, "agent-alice"))
    path, query = callback.split("?", 1)
    params = parse_qs(query)

    client.get(path, {"code": params["code"][0], "state": "un-autre-etat"})

    assert signed_in_as(client) is None


def test_a_wrong_nonce_is_refused(proconnect, alice):
    client = Client()
    callback = to_provider_and_back(client, agent_session(proconnect, "agent-alice"))
    session = client.session
    key = next(name for name, _value in session.items() if name.startswith("_state_proconnect_"))
    stored = session[key]
    stored["data"]["nonce"] = "un-autre-nonce"
    session[key] = stored
    session.save()

    client.get(callback)

    assert signed_in_as(client) is None
    assert not ProConnectIdentity.objects.exists()


def test_signing_out_ends_both_sessions(proconnect, alice):
    client = Client()
    agent = agent_session(proconnect, "agent-alice")
    sign_in(client, agent)

    response = client.post("/deconnexion/")

    assert signed_in_as(client) is None
    end_session = urlsplit(response.url)
    assert f"{end_session.scheme}://{end_session.netloc}" == proconnect
    assert parse_qs(end_session.query)["id_token_hint"]
    back = agent.get(response.url, allow_redirects=False)
    assert back.status_code == 302 and back.headers["Location"].startswith("http://testserver/connexion/")
    # Signed out at the provider too: a new authorization asks for the agent's password again.
    again = agent.get(client.get("/connexion/proconnect/").url, allow_redirects=False)
    assert urlsplit(again.headers["Location"]).path == "/login/"


def test_it_is_off_by_default(client):
    assert client.get("/connexion/proconnect/").status_code == 404
    assert "ProConnect" not in client.get("/connexion/").content.decode()


def test_an_unreachable_provider_is_a_refusal_not_an_error(settings, alice):
    settings.PARCOURS_PROCONNECT_ENABLED = True
    settings.PARCOURS_PROCONNECT_DISCOVERY_URL = f"http://127.0.0.1:{_free_port()}/o/.well-known/openid-configuration"
    settings.PARCOURS_PROCONNECT_CLIENT_ID = CLIENT_ID
    settings.PARCOURS_PROCONNECT_CLIENT_SECRET = CLIENT_SECRET
    client = Client()

    response = client.get("/connexion/proconnect/")

    assert response.status_code == 302 and response.url == "/connexion/"
    assert "ProConnect ne répond pas" in client.get("/connexion/").content.decode()
