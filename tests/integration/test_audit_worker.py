"""The sealer runs on a real Celery worker: rows written by requests are chained by the `audit.seal`
task sent through Redis, and the chain verifies (run by `make test-integration`)."""

import pytest

from audit import chain
from audit.models import Event
from audit.tasks import audit_seal
from tests.factories import make_situation
from tests.integration.conftest import BROKER_URL

pytestmark = [
    pytest.mark.celery_integration,
    pytest.mark.skipif(not BROKER_URL, reason="needs a Redis broker in CELERY_BROKER_URL"),
]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_worker_seals_the_audit_trail(client_for, alice, finished_tasks, redis_worker):
    situation = make_situation(alice)
    client_for(alice).get(f"/situations/{situation.pk}/")
    pending = Event.objects.filter(seq__isnull=True).count()
    assert pending > 0, "with a broker, requests leave the sealing to the worker"
    finished, done = finished_tasks

    audit_seal.delay()

    assert done.wait(timeout=60), "the worker did not run the task"
    assert finished["audit.seal"]["from_broker"] and finished["audit.seal"]["state"] == "SUCCESS"
    assert finished["audit.seal"]["result"]["audit.event"] == pending
    assert all(report.intact and report.pending == 0 for report in chain.verify_all())
