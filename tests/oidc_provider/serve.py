"""Start the test provider: `python -m tests.oidc_provider.serve PORT CONFIG.json`.

CONFIG holds the client (id, secret, redirect and post-logout URIs) and the agents (username,
password, e-mail, names, strong). The database is a fresh SQLite file beside CONFIG.
"""

import json
import os
import sys
from pathlib import Path


def main() -> None:
    port, config_path = int(sys.argv[1]), Path(sys.argv[2])
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
