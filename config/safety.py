"""Refuse to start in production with settings that would expose personal data (privacy invariant 9)."""

from django.core.exceptions import ImproperlyConfigured

from core.keyring import KeyringError, load_audit_key, load_blind_index_key, load_master_keys


def insecure_settings(values: dict) -> list[str]:
    """Return the reasons why these settings are unfit for production (empty when fit)."""
    problems = []
    if not values.get("SECRET_KEY") or len(values["SECRET_KEY"]) < 40:
        problems.append("DJANGO_SECRET_KEY must be set to a random value of at least 40 characters.")
    if values.get("DEMO_MODE"):
        problems.append("PARCOURS_DEMO relaxes MFA and is refused when DJANGO_DEBUG is off.")
    if not values.get("ALLOWED_HOSTS"):
        problems.append("DJANGO_ALLOWED_HOSTS must list the host names served.")
    if not values.get("SESSION_COOKIE_SECURE") or not values.get("CSRF_COOKIE_SECURE"):
        problems.append("Session and CSRF cookies must be Secure (DJANGO_SECURE_COOKIES=1).")
    if values.get("SECURE_HSTS_SECONDS", 0) < 31536000:
        problems.append("PARCOURS_HSTS_SECONDS must be at least 31536000 (one year).")
    try:
        load_master_keys(values.get("PARCOURS_MASTER_KEYS", ""), values.get("PARCOURS_KEY_DIR", ""))
    except KeyringError as exc:
        problems.append(f"Master keys: {exc}")
    try:
        load_blind_index_key(values.get("PARCOURS_BLIND_INDEX_KEY", ""), values.get("PARCOURS_KEY_DIR", ""))
    except KeyringError as exc:
        problems.append(f"Blind-index key: {exc}")
    try:
        load_audit_key(values.get("PARCOURS_AUDIT_KEY", ""), values.get("PARCOURS_KEY_DIR", ""))
    except KeyringError as exc:
        problems.append(f"Audit-chain key: {exc}")
    return problems


def refuse_insecure_settings(values: dict) -> None:
    problems = insecure_settings(values)
    if problems:
        raise ImproperlyConfigured("Parcours refuses to start with DJANGO_DEBUG off:\n- " + "\n- ".join(problems))
