"""Celery application. Tasks receive ids only, never personal data (privacy invariant 3)."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("parcours")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
