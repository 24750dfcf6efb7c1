"""Master-key rotation (privacy invariant 1): rewrap data keys, never touch the rows they protect.

Procedure: load master key version N+1 next to the old ones, run `rotate_master_key`, then remove
the old version from the environment or key directory. Only the `access_datakey` table changes;
people, situations and notes keep their ciphertext byte for byte, since their data keys do not change.
"""

from collections.abc import Callable

from django.db import transaction
from django.db.models import BinaryField, Case, Value, When

from access.models import DataKey
from core.keyring import get_keyring


def _stale_keys():
    """Data keys still wrapped by an older master key (destroyed keys have nothing left to rewrap)."""
    return DataKey.objects.exclude(master_version=get_keyring().current_version).filter(wrapped__isnull=False)


def _rewrapped(keyring, key) -> bytes:
    wrapped, _version = keyring.wrap(str(key.id), keyring.unwrap(str(key.id), key.wrapped, key.master_version))
    return wrapped


def master_key_rotate(*, batch_size: int = 500, progress: Callable[[int, int], None] | None = None) -> int:
    """Rewrap every stale data key under the current master key; return how many were rewrapped.

    Each batch is its own transaction, so a long rotation can be interrupted and resumed: a rerun
    picks up the keys that are still stale. A key that does not unwrap raises (fail closed) and the
    batch in progress rolls back.
    """
    keyring = get_keyring()
    total = _stale_keys().count()
    done = 0
    last_pk = None
    while True:
        batch = _stale_keys().order_by("pk")
        if last_pk is not None:
            batch = batch.filter(pk__gt=last_pk)
        batch = list(batch.only("id", "wrapped", "master_version")[:batch_size])
        if not batch:
            break
        with transaction.atomic():
            for old_version in sorted({key.master_version for key in batch}):
                keys = [key for key in batch if key.master_version == old_version]
                rewrapped = [When(pk=key.pk, then=Value(_rewrapped(keyring, key))) for key in keys]
                # One UPDATE per batch, not one per key (100,000 keys took minutes). It stays
                # conditional: a key destroyed (or rewrapped) meanwhile must stay as it is.
                done += DataKey.objects.filter(
                    pk__in=[key.pk for key in keys], master_version=old_version, wrapped__isnull=False
                ).update(wrapped=Case(*rewrapped, output_field=BinaryField()), master_version=keyring.current_version)
        last_pk = batch[-1].pk
        if progress is not None:
            progress(done, total)
    return done
