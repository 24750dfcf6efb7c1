"""Suspend the append-only triggers, for tests only: the test runner's flush between transactional
tests, and tampering scenarios that must get past the triggers to prove the chain catches them."""

from contextlib import contextmanager

from django.db import connection

from audit import triggers
from audit.models import ChangeEntry, Event

AUDIT_MODELS = (Event, ChangeEntry)


@contextmanager
def triggers_suspended():
    vendor = connection.vendor
    with connection.cursor() as cursor:
        if vendor == "postgresql":
            # A session in replica mode fires no ordinary trigger (needs a superuser, as in the tests).
            cursor.execute("SET session_replication_role = replica")
        for model in AUDIT_MODELS if vendor == "sqlite" else ():
            cursor.execute(f"DROP TRIGGER IF EXISTS {model._meta.db_table}_no_update")
            cursor.execute(f"DROP TRIGGER IF EXISTS {model._meta.db_table}_no_delete")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            if vendor == "postgresql":
                cursor.execute("SET session_replication_role = origin")
            for model in AUDIT_MODELS if vendor == "sqlite" else ():
                for sql in triggers.statements(vendor, model):
                    cursor.execute(sql)
