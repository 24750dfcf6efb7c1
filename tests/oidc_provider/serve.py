"""Start the test provider: `python -m tests.oidc_provider.serve PORT CONFIG.json`.

CONFIG holds the client (id, secret, redirect and post-logout URIs) and the agents (username,
password, e-mail, names, strong). The database is a fresh SQLite file beside CONFIG.

`python -m tests.oidc_provider.serve PORT --demo FOLDER APP_URL` writes such a CONFIG into FOLDER for
`make run-proconnect`: the client `parcours-demo` returning to APP_URL, and two agents matching demo
accounts of Parcours (DEMO_AGENTS below).
"""

import json
import os
import sys
from pathlib import Path

DEMO_CLIENT = {"id": "parcours-demo", "secret": "parcours-demo-secret-not-for-production"}
DEMO_PASSWORD = "agent-demo-2026"  # noqa: S105 - the local demonstration provider's agents only
DEMO_AGENTS = [
    # A demo account of Parcours (Club de prévention Azimuts), signing in with a multi-factor method.
    {"username": "agent-azimuts", "email": "azimuts1@demo.invalid", "first_name": "Yannick", "strong": True},
    # Police municipale, a password only at the provider: Parcours asks for its own second factor.
    {"username": "agent-pm", "email": "pm1@demo.invalid", "first_name": "Julien", "strong": False},
    # Nobody in Parcours has this address: refused, no account is created.
    {"username": "agent-inconnu", "email": "inconnu@demo.invalid", "first_name": "Inconnu", "strong": True},
]


def demo_config(folder: Path, app_url: str) -> Path:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    folder.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    app_url = app_url.rstrip("/")
    config = {
        "rsa_key": pem.decode(),
        "client": {
            **DEMO_CLIENT,
            "redirect_uri": f"{app_url}/connexion/proconnect/retour/",
            "post_logout_redirect_uri": f"{app_url}/connexion/",
        },
        "agents": [{**agent, "password": DEMO_PASSWORD} for agent in DEMO_AGENTS],
    }
    path = folder / "provider.json"
    path.write_text(json.dumps(config))
    path.with_suffix(".sqlite3").unlink(missing_ok=True)
    return path


def main() -> None:
    port = int(sys.argv[1])
    config_path = demo_config(Path(sys.argv[3]), sys.argv[4]) if sys.argv[2] == "--demo" else Path(sys.argv[2])
    config = json.loads(config_path.read_text())
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc_provider.settings"
    os.environ["OIDC_PROVIDER_DB"] = str(config_path.with_suffix(".sqlite3"))
    os.environ["OIDC_PROVIDER_RSA_KEY"] = config["rsa_key"]
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    client = config["client"]
    Application.objects.create(
        name="Parcours",
        client_id=client["id"],
        client_secret=client["secret"],
        hash_client_secret=False,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=client["redirect_uri"],
        post_logout_redirect_uris=client["post_logout_redirect_uri"],
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    for agent in config["agents"]:
        get_user_model().objects.create_user(
            username=agent["username"],
            password=agent["password"],
            email=agent["email"],
            first_name=agent.get("first_name", ""),
            last_name=agent.get("last_name", ""),
            is_staff=agent.get("strong", False),
        )
    call_command("runserver", f"127.0.0.1:{port}", use_reloader=False, use_threading=True, skip_checks=True)


if __name__ == "__main__":
    main()
