"""With DEBUG off, Parcours refuses to start unless production settings are safe (invariant 9)."""

import base64
import os
import subprocess
import sys
from pathlib import Path

import pytest

from config.safety import insecure_settings
from core.keyring import generate_key_files

ROOT = Path(__file__).resolve().parent.parent
KEY = base64.b64encode(b"production-safety-test-key-01234").decode()
BLIND_INDEX_KEY = base64.b64encode(b"production-safety-blind-index-01").decode()
AUDIT_KEY = base64.b64encode(b"production-safety-audit-chain-01").decode()
SAFE = {
    "SECRET_KEY": "a-production-secret-key-of-at-least-forty-characters",
    "DEMO_MODE": False,
    "ALLOWED_HOSTS": ["parcours.example.org"],
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
    "SECURE_HSTS_SECONDS": 31536000,
    "PARCOURS_MASTER_KEYS": f"1:{KEY}",
    "PARCOURS_BLIND_INDEX_KEY": BLIND_INDEX_KEY,
    "PARCOURS_AUDIT_KEY": AUDIT_KEY,
    "PARCOURS_KEY_DIR": "",
}
KEY_VARIABLES = ("PARCOURS_MASTER_KEYS", "PARCOURS_BLIND_INDEX_KEY", "PARCOURS_AUDIT_KEY", "PARCOURS_KEY_DIR")


def test_safe_settings_raise_no_problem():
    assert insecure_settings(SAFE) == []


def test_keys_may_come_from_a_key_directory(tmp_path):
    generate_key_files(tmp_path)
    values = {
        **SAFE,
        "PARCOURS_MASTER_KEYS": "",
        "PARCOURS_BLIND_INDEX_KEY": "",
        "PARCOURS_AUDIT_KEY": "",
        "PARCOURS_KEY_DIR": str(tmp_path),
    }

    assert insecure_settings(values) == []


@pytest.mark.parametrize(
    ("change", "named"),
    [
        ({"SECRET_KEY": ""}, "DJANGO_SECRET_KEY"),
        ({"SECRET_KEY": "too-short-secret"}, "DJANGO_SECRET_KEY"),
        ({"SECRET_KEY": "a-random-looking-secret-of-45-characters-xyz0"}, "DJANGO_SECRET_KEY"),
        ({"SECRET_KEY": "ab" * 40}, "DJANGO_SECRET_KEY"),
        ({"SECRET_KEY": "django-insecure-" + "k3y-generated-by-startproject-0123456789"}, "DJANGO_SECRET_KEY"),
        ({"DEMO_MODE": True}, "PARCOURS_DEMO"),
        ({"ALLOWED_HOSTS": []}, "DJANGO_ALLOWED_HOSTS"),
        ({"ALLOWED_HOSTS": ["*"]}, "DJANGO_ALLOWED_HOSTS"),
        ({"ALLOWED_HOSTS": ["parcours.example.org", "*"]}, "DJANGO_ALLOWED_HOSTS"),
        ({"ALLOWED_HOSTS": ["*.example.org"]}, "DJANGO_ALLOWED_HOSTS"),
        ({"ALLOWED_HOSTS": ["."]}, "DJANGO_ALLOWED_HOSTS"),
        ({"ALLOWED_HOSTS": [".org"]}, "DJANGO_ALLOWED_HOSTS"),
        ({"SESSION_COOKIE_SECURE": False}, "DJANGO_SECURE_COOKIES"),
        ({"CSRF_COOKIE_SECURE": False}, "DJANGO_SECURE_COOKIES"),
        ({"SECURE_HSTS_SECONDS": 0}, "PARCOURS_HSTS_SECONDS"),
        ({"SECURE_HSTS_SECONDS": 3600}, "PARCOURS_HSTS_SECONDS"),
        ({"PARCOURS_MASTER_KEYS": ""}, "Master keys"),
        ({"PARCOURS_MASTER_KEYS": "1:not-base64!"}, "Master keys"),
        ({"PARCOURS_MASTER_KEYS": "1:" + base64.b64encode(b"16-byte-key-only").decode()}, "Master keys"),
        ({"PARCOURS_BLIND_INDEX_KEY": ""}, "Blind-index key"),
        ({"PARCOURS_AUDIT_KEY": ""}, "Audit-chain key"),
        ({"PARCOURS_BLIND_INDEX_KEY": KEY}, "Clés identiques"),
        ({"PARCOURS_AUDIT_KEY": KEY}, "Clés identiques"),
        ({"PARCOURS_AUDIT_KEY": BLIND_INDEX_KEY}, "Clés identiques"),
        ({"PARCOURS_MASTER_KEYS": f"1:{KEY},2:{KEY}"}, "Clés identiques"),
    ],
    ids=lambda value: "-".join(f"{k}={v!r}" for k, v in value.items()) if isinstance(value, dict) else None,
)
def test_each_insecure_setting_is_flagged(change, named):
    problems = insecure_settings({**SAFE, **change})

    assert len(problems) == 1
    assert named in problems[0]


def test_a_pattern_for_a_domain_and_its_subdomains_is_accepted():
    assert insecure_settings({**SAFE, "ALLOWED_HOSTS": [".example.org", "parcours.example.org"]}) == []


def test_a_key_written_differently_but_decoding_to_the_same_bytes_is_identical():
    """Keys are compared once decoded: surrounding spaces do not make a key different."""
    problems = insecure_settings({**SAFE, "PARCOURS_AUDIT_KEY": f"  {KEY}\n"})

    assert len(problems) == 1 and "la clé maîtresse 1" in problems[0] and "la clé du journal" in problems[0]


def test_identical_keys_in_a_key_directory_are_refused(tmp_path):
    generate_key_files(tmp_path)
    (tmp_path / "audit.key").write_text((tmp_path / "blind-index.key").read_text())
    values = {**SAFE, "PARCOURS_MASTER_KEYS": "", "PARCOURS_BLIND_INDEX_KEY": "", "PARCOURS_AUDIT_KEY": ""}

    problems = insecure_settings({**values, "PARCOURS_KEY_DIR": str(tmp_path)})

    assert len(problems) == 1 and "Clés identiques" in problems[0] and "la clé d'index aveugle" in problems[0]


def test_three_identical_keys_make_one_problem_naming_the_three():
    problems = insecure_settings({**SAFE, "PARCOURS_BLIND_INDEX_KEY": KEY, "PARCOURS_AUDIT_KEY": KEY})

    assert len(problems) == 1
    assert all(name in problems[0] for name in ("maîtresse 1", "index aveugle", "journal"))


def test_the_identical_keys_message_does_not_echo_key_material():
    [problem] = insecure_settings({**SAFE, "PARCOURS_AUDIT_KEY": KEY})

    assert KEY not in problem and "production-safety-test-key" not in problem


def test_the_secret_key_message_does_not_echo_the_secret():
    secret = "short-but-secret-value"

    [problem] = insecure_settings({**SAFE, "SECRET_KEY": secret})

    assert secret not in problem


def test_every_problem_is_listed_with_the_others():
    weak = {**SAFE, "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": ["*"], "PARCOURS_AUDIT_KEY": KEY}

    problems = insecure_settings(weak)

    assert len(problems) == 3
    assert any("DJANGO_SECRET_KEY" in problem for problem in problems)
    assert any("DJANGO_ALLOWED_HOSTS" in problem for problem in problems)
    assert any("Clés identiques" in problem for problem in problems)


def start_django(**env) -> subprocess.CompletedProcess:
    """Import the real settings in a fresh interpreter, as gunicorn or a worker would."""
    environ = {k: v for k, v in os.environ.items() if k not in KEY_VARIABLES and k != "DJANGO_SETTINGS_MODULE"}
    environ.update(env)
    code = "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; django.setup()"
    return subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=60
    )


PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "PARCOURS_DEMO": "0",
    "DJANGO_SECRET_KEY": SAFE["SECRET_KEY"],
    "DJANGO_ALLOWED_HOSTS": "parcours.example.org",
    "DJANGO_SECURE_COOKIES": "1",
    "PARCOURS_HSTS_SECONDS": "31536000",
    "PARCOURS_MASTER_KEYS": f"1:{KEY}",
    "PARCOURS_BLIND_INDEX_KEY": BLIND_INDEX_KEY,
    "PARCOURS_AUDIT_KEY": AUDIT_KEY,
}


def test_production_settings_start():
    result = start_django(**PRODUCTION)

    assert result.returncode == 0, result.stderr


def test_production_without_keys_refuses_to_start():
    without_keys = {k: v for k, v in PRODUCTION.items() if k not in KEY_VARIABLES}

    result = start_django(**without_keys)

    assert result.returncode != 0
    assert "Parcours refuses to start with DJANGO_DEBUG off" in result.stderr
    assert "no master key found" in result.stderr


def test_demo_mode_without_debug_refuses_to_start():
    result = start_django(**{**PRODUCTION, "PARCOURS_DEMO": "1"})

    assert result.returncode != 0
    assert "Parcours refuses to start with DJANGO_DEBUG off" in result.stderr
    assert "PARCOURS_DEMO relaxes MFA" in result.stderr


def test_a_wildcard_host_refuses_to_start():
    result = start_django(**{**PRODUCTION, "DJANGO_ALLOWED_HOSTS": "*"})

    assert result.returncode != 0
    assert "Parcours refuses to start with DJANGO_DEBUG off" in result.stderr
    assert "DJANGO_ALLOWED_HOSTS accepte n'importe quel hôte" in result.stderr


def test_identical_keys_refuse_to_start_without_echoing_them():
    result = start_django(**{**PRODUCTION, "PARCOURS_AUDIT_KEY": KEY})

    assert result.returncode != 0
    assert "Clés identiques" in result.stderr
    assert KEY not in result.stderr


def test_refusal_message_does_not_echo_key_material():
    short_key = base64.b64encode(b"16-byte-key-only").decode()

    result = start_django(**{**PRODUCTION, "PARCOURS_MASTER_KEYS": f"1:{short_key}"})

    assert "master key 1 must be 32 bytes" in result.stderr
    assert short_key not in result.stderr
