"""A real Celery worker, fed through Redis, tidies the grant ledger (run by `make test-integration`).

The access itself never waited for it: the read checks the grant's end (tests/access/test_ledger.py).
"""

import datetime
import time

import pytest
from django.utils import timezone

from access import ledger
from access.models import Reason, SituationUserGrant
from access.tasks import grants_expire
from tests.factories import make_situation
from tests.integration.conftest import BROKER_URL

pytestmark = [
    pytest.mark.celery_integration,
    pytest.mark.skipif(not BROKER_URL, reason="needs a Redis broker in CELERY_BROKER_URL"),
]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_worker_marks_expired_grants_as_ended(alice, bob, charlie, finished_tasks, redis_worker):
    situation = make_situation(alice)
    past = timezone.now() - datetime.timedelta(minutes=1)
    ledger.grant(situation, user=bob, reason=Reason.SEANCE, by=charlie, expires_at=past)
    assert not ledger.holds(bob, situation)
    finished, done = finished_tasks

    grants_expire.delay()

    # Other tasks may finish first (the new saisine's notification to the coordination, say): wait for this one.
    deadline = time.monotonic() + 60
    while "access.grants_expire" not in finished and time.monotonic() < deadline:
        done.wait(timeout=1)
        done.clear()
    assert "access.grants_expire" in finished, "the worker did not run the task"
    assert finished["access.grants_expire"]["state"] == "SUCCESS"
    assert finished["access.grants_expire"]["result"] == {"rows": 1, "break_glass": 0}
    assert SituationUserGrant.objects.get(user=bob).ended_at == past
