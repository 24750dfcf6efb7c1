"""A real Celery worker fed through Redis, in a thread of the test process (see test_celery_worker.py)."""

import os

import pytest
from celery.contrib.testing.worker import start_worker

from config.celery import app

BROKER_URL = os.environ.get("CELERY_BROKER_URL", "")


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
