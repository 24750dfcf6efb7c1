"""A real Celery worker, fed through Redis, rewraps data keys (run by `make test-integration`).

The worker runs in a thread of the test process, so it shares the test database, the overridden
settings and the keyring; the data it needs must be committed, hence transactional tests.
"""

import base64
import os
import threading

import pytest
from celery.signals import task_postrun
from django.db import connections

from access.models import DataKey
from access.tasks import rotate_master_key
from tests.factories import make_situation

BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")
OLD = os.environ["PARCOURS_MASTER_KEYS"]
NEW = "2:" + base64.b64encode(b"integration-test-master-key-2-01").decode()

pytestmark = [
    pytest.mark.celery_integration,
    pytest.mark.skipif(not BROKER_URL, reason="needs a Redis broker in CELERY_BROKER_URL"),
]


@pytest.fixture
def finished_tasks():
    """Task name → how it ended, recorded after each task by the thread that ran it."""
    finished = {}
    done = threading.Event()

    def record(sender=None, retval=None, state=None, **kwargs):
        # The worker thread opened its own database connections; close them so that the test
        # database can be flushed or dropped afterwards.
        connections.close_all()
        finished[sender.name] = {
            "state": state,
            "result": retval,
            "from_broker": not sender.request.is_eager,
            "in_worker_thread": threading.current_thread() is not threading.main_thread(),
        }
        done.set()

    task_postrun.connect(record, weak=False)
    yield finished, done
    task_postrun.disconnect(record)


@pytest.mark.django_db(transaction=True)
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
