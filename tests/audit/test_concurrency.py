"""Concurrent requests write their audit rows without waiting on each other, and the chain the
sealer builds from them is whole (PostgreSQL: SQLite serialises writers anyway)."""

import threading

import pytest
from django.db import connection, connections
from django.test import Client

from audit import chain
from audit.models import Event, Kind
from tests.factories import make_partner, make_situation, make_user, verified_login

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs concurrent writers (PostgreSQL)")

THREADS = 6
REQUESTS = 8


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_requests_and_sealing_give_a_valid_chain():
    partner = make_partner("Club de prévention Azimuts")
    users = [make_user(f"worker{n}", partner) for n in range(THREADS)]
    situations = [make_situation(users[0]) for _ in range(3)]
    errors = []
    done = threading.Event()

    def reader(user):
        try:
            client = verified_login(Client(), user)
            for n in range(REQUESTS):
                situation = situations[n % len(situations)]
                assert client.get(f"/situations/{situation.pk}/").status_code == 200
                assert client.get("/situations/").status_code == 200
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    def sealer():
        try:
            while not done.is_set():
                chain.seal_all()
        except Exception as exc:
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=reader, args=(user,)) for user in users]
    sealing = threading.Thread(target=sealer)
    sealing.start()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    done.set()
    sealing.join()

    assert errors == []
    chain.seal_all()
    reports = chain.verify_all()
    assert all(report.intact and report.pending == 0 for report in reports), [r.broken for r in reports]
    reads = Event.objects.filter(kind=Kind.READ).count()
    assert reads >= THREADS * REQUESTS * 2
    assert list(Event.objects.order_by("seq").values_list("seq", flat=True)) == list(
        range(1, Event.objects.count() + 1)
    )
