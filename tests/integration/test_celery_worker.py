"""A real Celery worker, fed through Redis, rewraps data keys (run by `make test-integration`).

The worker runs in a thread of the test process, so it shares the test database, the overridden
settings and the keyring; the data it needs must be committed, hence transactional tests.
"""

import base64
import os

import pytest

from access.models import DataKey
from access.tasks import rotate_master_key
from tests.factories import make_situation
from tests.integration.conftest import BROKER_URL

OLD = os.environ["PARCOURS_MASTER_KEYS"]
NEW = "2:" + base64.b64encode(b"integration-test-master-key-2-01").decode()

pytestmark = [
    pytest.mark.celery_integration,
    pytest.mark.skipif(not BROKER_URL, reason="needs a Redis broker in CELERY_BROKER_URL"),
]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_worker_rewraps_data_keys_enqueued_through_redis(alice, master_keys, finished_tasks, redis_worker):
    make_situation(alice)
    make_situation(alice, anonymous=True)
    master_keys(f"{OLD},{NEW}")
    finished, done = finished_tasks

    rotate_master_key.delay()

    assert done.wait(timeout=60), "the worker did not run the task"
    assert finished["access.rotate_master_key"] == {
        "state": "SUCCESS",
        "result": 2,
        "from_broker": True,
        "in_worker_thread": True,
    }
    assert set(DataKey.objects.values_list("master_version", flat=True)) == {2}
