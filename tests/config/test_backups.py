"""Backups: the manifest names the keys a dump needs without holding them, and a restore refuses
keys that are not those of the backup before touching anything. The full dump-and-restore on
PostgreSQL runs in `make prod-smoke` (deploy/smoke.py)."""

import base64

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from access.models import DataKey
from config.backups import fingerprint, key_problems
from tests.factories import make_situation

pytestmark = pytest.mark.django_db

OTHER_KEY = base64.b64encode(b"another-key-for-this-test-only!!").decode()


def manifest_for_loaded_keys(settings, needed=(1,)):
    def key(value):
        return base64.b64decode(value)

    master = dict(item.split(":", 1) for item in settings.PARCOURS_MASTER_KEYS.split(","))
    return {
        "master_key_versions_needed": list(needed),
        "key_fingerprints": {
            "master": {str(v): fingerprint(key(master[str(v)])) for v in needed if str(v) in master},
            "blind_index": fingerprint(key(settings.PARCOURS_BLIND_INDEX_KEY)),
            "audit": fingerprint(key(settings.PARCOURS_AUDIT_KEY)),
        },
    }


def test_the_loaded_keys_fit_their_own_manifest(settings):
    assert key_problems(manifest_for_loaded_keys(settings)) == []


def test_a_master_key_version_not_loaded_is_named(settings):
    manifest = manifest_for_loaded_keys(settings)
    manifest["master_key_versions_needed"] = [1, 2]

    assert key_problems(manifest) == [
        "la clé maîtresse v2 n'est pas chargée : ajoutez-la (depuis le coffre) à PARCOURS_MASTER_KEYS à côté des autres"
    ]


def test_another_audit_key_is_refused(settings):
    manifest = manifest_for_loaded_keys(settings)
    settings.PARCOURS_AUDIT_KEY = OTHER_KEY

    assert key_problems(manifest) == [
        "la clé du journal chargée n'est pas celle de la sauvegarde : la chaîne ne se vérifierait pas"
    ]


def test_another_master_key_under_the_same_version_is_refused(settings, master_keys):
    manifest = manifest_for_loaded_keys(settings)
    master_keys(f"1:{OTHER_KEY}")

    assert key_problems(manifest) == ["la clé maîtresse v1 chargée n'est pas celle de la sauvegarde"]


def test_a_fingerprint_reveals_nothing_of_the_key(settings):
    raw = base64.b64decode(settings.PARCOURS_AUDIT_KEY)
    assert raw.hex()[:16] != fingerprint(raw)
    assert len(fingerprint(raw)) == 16


def test_backup_is_for_postgresql_only(tmp_path, alice, settings):
    make_situation(by=alice)
    assert DataKey.objects.exists()
    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql"):
        pytest.skip("on PostgreSQL the backup runs for real in make prod-smoke")

    with pytest.raises(CommandError, match="PostgreSQL"):
        call_command("backup", str(tmp_path / "sauvegarde"))


def test_backup_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "autre-chose").write_text("x")

    with pytest.raises(CommandError, match="n'est pas vide"):
        call_command("backup", str(tmp_path))


def _backup_folder(tmp_path, manifest):
    import hashlib
    import json

    (tmp_path / "parcours.dump").write_bytes(b"dump")
    manifest = {"format": 1, "dump": "parcours.dump", "dump_sha256": hashlib.sha256(b"dump").hexdigest(), **manifest}
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    return tmp_path


def test_restore_refuses_other_keys_before_touching_the_database(tmp_path, settings):
    folder = _backup_folder(tmp_path, manifest_for_loaded_keys(settings))
    settings.PARCOURS_BLIND_INDEX_KEY = OTHER_KEY

    with pytest.raises(CommandError, match="les clés ne conviennent pas : la clé d'index aveugle"):
        call_command("restore", str(folder))


def test_restore_refuses_a_dump_that_does_not_match_its_manifest(tmp_path, settings):
    folder = _backup_folder(tmp_path, manifest_for_loaded_keys(settings))
    (folder / "parcours.dump").write_bytes(b"truncated")

    with pytest.raises(CommandError, match="ne correspond pas à son manifeste"):
        call_command("restore", str(folder))


def test_restore_refuses_a_database_that_is_not_empty(tmp_path, settings):
    folder = _backup_folder(tmp_path, manifest_for_loaded_keys(settings))

    with pytest.raises(CommandError, match="n'est pas vide"):
        call_command("restore", str(folder))
