"""A real Celery worker in a thread of the test process, fed through the Redis broker in
CELERY_BROKER_URL; tasks it runs share the test database, so their data must be committed."""

import os
import threading

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import connections

from config.celery import app

BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")


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


@pytest.fixture
def redis_worker():
    previous = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}
    app.conf.update(broker_url=BROKER_URL, task_always_eager=False)
    # Left-overs of an interrupted run would be consumed first.
    app.control.purge()
    try:
        with start_worker(app, perform_ping_check=False, shutdown_timeout=30) as worker:
            yield worker
    finally:
        app.conf.update(previous)
