"""Refuse to start in production with settings that would expose personal data (privacy invariant 9).

Every problem is listed, none stops the search for the others, and no message quotes a secret or a
key: only the variable's name and what is wrong with it.
"""

# Django's own test of a weak SECRET_KEY (check security.W009: 50 characters, 5 distinct ones, not
# the `django-insecure-` prefix of a generated development key), reused rather than copied.
from django.core.checks.security.base import (
    SECRET_KEY_INSECURE_PREFIX,
    SECRET_KEY_MIN_LENGTH,
    SECRET_KEY_MIN_UNIQUE_CHARACTERS,
    _check_secret_key,
)
from django.core.exceptions import ImproperlyConfigured

from core.keyring import (
    KeyringError,
    load_audit_key,
    load_blind_index_key,
    load_master_keys,
    load_next_blind_index_key,
)


def host_too_broad(pattern: str) -> bool:
    """A DJANGO_ALLOWED_HOSTS entry that lets any host name through, or a whole top-level domain.

    Django reads `*` as every host and `.example.org` as the domain and its subdomains; it has no
    other wildcard, so `*.example.org` is a mistake for `.example.org` and is refused too.
    """
    pattern = pattern.strip().lower()
    if pattern.startswith("*"):
        return True
    return pattern.startswith(".") and len([label for label in pattern.split(".") if label]) < 2


def _secret_key_problem(secret_key) -> str | None:
    if secret_key and _check_secret_key(secret_key):
        return None
    return (
        f"DJANGO_SECRET_KEY est absente ou faible pour Django : il faut une valeur aléatoire d'au moins "
        f"{SECRET_KEY_MIN_LENGTH} caractères, dont {SECRET_KEY_MIN_UNIQUE_CHARACTERS} différents, qui ne "
        f"commence pas par « {SECRET_KEY_INSECURE_PREFIX} »."
    )


def _shared_key_problems(keys: dict[str, bytes]) -> list[str]:
    """One problem per value found under two names or more (decoded bytes compared, never shown)."""
    names_by_value: dict[bytes, list[str]] = {}
    for name, value in keys.items():
        names_by_value.setdefault(value, []).append(name)
    return [
        f"Clés identiques : {', '.join(names[:-1])} et {names[-1]} ont la même valeur. Chaque clé doit être "
        f"tirée au hasard séparément (32 octets aléatoires), sans quoi en connaître une revient à les connaître "
        f"toutes."
        for names in names_by_value.values()
        if len(names) > 1
    ]


def insecure_settings(values: dict) -> list[str]:
    """Return the reasons why these settings are unfit for production (empty when fit)."""
    problems = []
    secret_key_problem = _secret_key_problem(values.get("SECRET_KEY"))
    if secret_key_problem:
        problems.append(secret_key_problem)
    if values.get("DEMO_MODE"):
        problems.append("PARCOURS_DEMO relaxes MFA and is refused when DJANGO_DEBUG is off.")
    hosts = values.get("ALLOWED_HOSTS") or []
    if not hosts:
        problems.append("DJANGO_ALLOWED_HOSTS must list the host names served.")
    broad = [host for host in hosts if host_too_broad(host)]
    if broad:
        problems.append(
            "DJANGO_ALLOWED_HOSTS accepte n'importe quel hôte ou tout un domaine de premier niveau ("
            + ", ".join(f"« {host} »" for host in broad)
            + ") : indiquez les noms servis, par exemple « parcours.example.org » ou « .example.org »."
        )
    if not values.get("SESSION_COOKIE_SECURE") or not values.get("CSRF_COOKIE_SECURE"):
        problems.append("Session and CSRF cookies must be Secure (DJANGO_SECURE_COOKIES=1).")
    if values.get("SECURE_HSTS_SECONDS", 0) < 31536000:
        problems.append("PARCOURS_HSTS_SECONDS must be at least 31536000 (one year).")
    key_dir = values.get("PARCOURS_KEY_DIR", "")
    keys: dict[str, bytes] = {}
    try:
        for version, key in sorted(load_master_keys(values.get("PARCOURS_MASTER_KEYS", ""), key_dir).items()):
            keys[f"la clé maîtresse {version} (PARCOURS_MASTER_KEYS)"] = key
    except KeyringError as exc:
        problems.append(f"Master keys: {exc}")
    try:
        blind_index_key = load_blind_index_key(values.get("PARCOURS_BLIND_INDEX_KEY", ""), key_dir)
        keys["la clé d'index aveugle (PARCOURS_BLIND_INDEX_KEY)"] = blind_index_key
    except KeyringError as exc:
        problems.append(f"Blind-index key: {exc}")
    try:
        next_key = load_next_blind_index_key(values.get("PARCOURS_BLIND_INDEX_KEY_NEXT", ""), key_dir)
        if next_key is not None:
            keys["la nouvelle clé d'index aveugle (PARCOURS_BLIND_INDEX_KEY_NEXT)"] = next_key
    except KeyringError as exc:
        problems.append(f"Next blind-index key: {exc}")
    try:
        keys["la clé du journal (PARCOURS_AUDIT_KEY)"] = load_audit_key(values.get("PARCOURS_AUDIT_KEY", ""), key_dir)
    except KeyringError as exc:
        problems.append(f"Audit-chain key: {exc}")
    problems.extend(_shared_key_problems(keys))
    return problems


def refuse_insecure_settings(values: dict) -> None:
    problems = insecure_settings(values)
    if problems:
        raise ImproperlyConfigured("Parcours refuses to start with DJANGO_DEBUG off:\n- " + "\n- ".join(problems))
