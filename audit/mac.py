"""The MACs of the audit chain (privacy invariant 6), made with the audit key, which lives outside
the database: a row's `mac` over its canonical content, written with the row by `audit.models`, and
the `chain` and head MACs the sealer (`audit.chain`) writes. The models import this module and the
chain imports both, so the three stay out of a circle."""

import datetime
import hashlib
import hmac
import json
import uuid
from decimal import Decimal
from functools import cache

from django.conf import settings

from core.keyring import load_audit_key


@cache
def audit_key() -> bytes:
    return load_audit_key(settings.PARCOURS_AUDIT_KEY, settings.PARCOURS_KEY_DIR)


def _canon(value):
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")
    if isinstance(value, datetime.date | uuid.UUID | Decimal):
        return str(value)
    return value


def content_fields(model) -> list:
    return [field for field in model._meta.concrete_fields if field.attname not in model.CHAIN_COLUMNS]


def canonical(obj) -> bytes:
    """The row's content as the database will give it back: each value goes through its field's
    `to_python`, so that an int written to a text column (django-auditlog's `object_pk`) reads
    the same before and after a round trip."""
    content = {
        field.attname: _canon(field.to_python(getattr(obj, field.attname))) for field in content_fields(type(obj))
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), default=str).encode()


def _mac(*parts) -> str:
    message = b"|".join(part if isinstance(part, bytes) else str(part).encode() for part in parts)
    return hmac.new(audit_key(), message, hashlib.sha256).hexdigest()


def content_mac(obj) -> str:
    return _mac(b"content", obj._meta.label_lower, canonical(obj))


def chain_mac(label: str, seq: int, row_id: int, mac: str, previous: str) -> str:
    return _mac(b"chain", label, seq, row_id, mac, previous)


def head_mac(head) -> str:
    return _mac(b"head", head.table, head.seq, head.chain, head.floor_seq, head.floor_chain)
