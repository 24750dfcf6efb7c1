"""Celery tasks of the access app: thin wrappers around services, with ids and counts in and out only."""

import logging

from celery import shared_task

from access import ledger
from access.rotation import master_key_rotate

logger = logging.getLogger(__name__)


@shared_task(name="access.rotate_master_key")
def rotate_master_key(batch_size: int = 500) -> int:
    """Rewrap stale data keys under the current master key; return how many were rewrapped."""
    return master_key_rotate(batch_size=batch_size)


@shared_task(name="access.grants_expire")
def grants_expire() -> dict[str, int]:
    """Tidy the grant ledger (access never waits for it: reads check expiry themselves)."""
    expired = ledger.expire()
    return {"rows": expired.rows, "break_glass": expired.break_glass}
