"""Backups that restore: a PostgreSQL dump plus a manifest of the keys it needs, never the keys.

The dump holds only ciphertext and wrapped data keys (invariant 1): it is worth nothing without the
master keys that wrapped them, which live in the vault. So the manifest names, for each key the
backup needs, its version and a fingerprint (an HMAC of a fixed label under the key: it tells two
keys apart and reveals nothing of either), and a restore first checks that the keys loaded now are
those very keys, before it touches the database. After loading the dump it proves the result: every
data key unwraps, and both audit chains verify with the loaded audit key.
"""

import hashlib
import hmac
import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from access.models import DataKey
from audit import chain
from core.keyring import load_audit_key, load_blind_index_key, load_master_keys
from core.refusal import Refusal

MANIFEST = "manifest.json"
DUMP = "parcours.dump"
FORMAT = 1


def fingerprint(key: bytes) -> str:
    return hmac.new(key, b"parcours key fingerprint", hashlib.sha256).hexdigest()[:16]


def _loaded_keys() -> tuple[dict[int, bytes], bytes, bytes]:
    key_dir = settings.PARCOURS_KEY_DIR
    return (
        load_master_keys(settings.PARCOURS_MASTER_KEYS, key_dir),
        load_blind_index_key(settings.PARCOURS_BLIND_INDEX_KEY, key_dir),
        load_audit_key(settings.PARCOURS_AUDIT_KEY, key_dir),
    )


def _postgres_command(program: str) -> tuple[list[str], dict[str, str]]:
    """The client's connection arguments, with the password in its environment rather than its argv."""
    if connection.vendor != "postgresql":
        raise Refusal(
            "Sauvegarde et restauration concernent PostgreSQL (la production) ; la base SQLite de "
            "démonstration se copie comme un fichier."
        )
    found = shutil.which(program)
    if found is None:
        raise Refusal(f"{program} est introuvable : installez le paquet postgresql-client.")
    db = settings.DATABASES["default"]
    args = [found, "--no-password", "--dbname", db["NAME"]]
    for option, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            args += [option, str(db[key])]
    env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
    return args, env


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def backup_make(*, directory: Path) -> dict:
    """Dump the database into `directory` (created, must be empty) and write its manifest."""
    directory.mkdir(parents=True, exist_ok=True)
    if any(directory.iterdir()):
        raise Refusal(f"Le dossier {directory} n'est pas vide : une sauvegarde va dans un dossier à elle.")
    masters, blind_index_key, audit_key = _loaded_keys()
    needed = sorted(
        set(DataKey.objects.filter(destroyed_at__isnull=True).values_list("master_version", flat=True).distinct())
    )
    args, env = _postgres_command("pg_dump")
    dump = directory / DUMP
    subprocess.run([*args, "--format=custom", "--no-owner", "--file", str(dump)], env=env, check=True)
    recorder = MigrationRecorder(connection)
    migrations: dict[str, str] = {}
    for app, name in recorder.migration_qs.order_by("app", "name").values_list("app", "name"):
        migrations[app] = name
    manifest = {
        "format": FORMAT,
        "made_at": timezone.now().isoformat(timespec="seconds"),
        "dump": DUMP,
        "dump_sha256": _sha256(dump),
        "master_key_versions_needed": needed,
        "key_fingerprints": {
            "master": {str(version): fingerprint(masters[version]) for version in needed if version in masters},
            "blind_index": fingerprint(blind_index_key),
            "audit": fingerprint(audit_key),
        },
        "migrations": migrations,
    }
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    return manifest


def key_problems(manifest: dict) -> list[str]:
    """What is missing or different among the loaded keys, for this backup (empty: all there)."""
    masters, blind_index_key, audit_key = _loaded_keys()
    problems = []
    expected = manifest["key_fingerprints"]
    for version in manifest["master_key_versions_needed"]:
        if version not in masters:
            problems.append(
                f"la clé maîtresse v{version} n'est pas chargée : ajoutez-la (depuis le coffre) à "
                f"PARCOURS_MASTER_KEYS à côté des autres"
            )
        elif fingerprint(masters[version]) != expected["master"].get(str(version)):
            problems.append(f"la clé maîtresse v{version} chargée n'est pas celle de la sauvegarde")
    if fingerprint(blind_index_key) != expected["blind_index"]:
        problems.append("la clé d'index aveugle chargée n'est pas celle de la sauvegarde")
    if fingerprint(audit_key) != expected["audit"]:
        problems.append("la clé du journal chargée n'est pas celle de la sauvegarde : la chaîne ne se vérifierait pas")
    return problems


@dataclass
class Restored:
    data_keys: int
    audit_entries: int


def backup_restore(*, directory: Path) -> Restored:
    """Load a backup into the configured, empty database, then prove it decrypts and its trail holds."""
    manifest = json.loads((directory / MANIFEST).read_text())
    if manifest.get("format") != FORMAT:
        raise Refusal("Ce manifeste n'est pas d'un format connu de cette version de Parcours.")
    dump = directory / manifest["dump"]
    if _sha256(dump) != manifest["dump_sha256"]:
        raise Refusal("Le fichier de sauvegarde ne correspond pas à son manifeste (copie incomplète ou altérée).")
    problems = key_problems(manifest)
    if problems:
        raise Refusal("Restauration refusée, les clés ne conviennent pas : " + " ; ".join(problems) + ".")
    if connection.introspection.table_names():
        raise Refusal("La base cible n'est pas vide : restaurez dans une base neuve (createdb), jamais par-dessus.")
    args, env = _postgres_command("pg_restore")
    subprocess.run([*args, "--no-owner", "--exit-on-error", str(dump)], env=env, check=True)
    connection.close()
    unwrapped = 0
    for key in DataKey.objects.filter(destroyed_at__isnull=True).iterator(chunk_size=1000):
        key.plaintext()
        unwrapped += 1
    checked = 0
    for report in chain.verify_all():
        if not report.intact:
            raise Refusal(f"La base restaurée a un journal d'audit altéré : {report.broken}")
        checked += report.checked
    return Restored(data_keys=unwrapped, audit_entries=checked)
