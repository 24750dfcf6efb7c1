"""Celery beat's step reminder task, run by a real worker through Redis, e-mails the responsible
partner and the coordination about an overdue « action demandée » (run by `make test-integration`)."""

import datetime
import time

import pytest
from django.core import mail
from django.utils import timezone

from notifications.models import Notification
from seances import services
from seances.models import Step
from seances.tasks import send_step_reminders
from tests.factories import make_situation
from tests.integration.conftest import BROKER_URL

pytestmark = [
    pytest.mark.celery_integration,
    pytest.mark.skipif(not BROKER_URL, reason="needs a Redis broker in CELERY_BROKER_URL"),
]


def wait_until(condition, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_worker_reminds_the_partner_and_the_coordination_of_an_overdue_step(alice, bob, charlie, redis_worker):
    situation = make_situation(alice, last_name="Martinez", first_name="Inès")
    step = services.step_add(
        situation_id=situation.pk,
        by=charlie,
        partner=bob.membership.partner,
        label="Appeler la famille Martinez",
        due_on=timezone.localdate(),
    )
    assert wait_until(lambda: not Notification.objects.filter(sent_at=None).exists()), "the step notice went out"
    Step.objects.filter(pk=step.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=2))
    mail.outbox.clear()

    send_step_reminders.delay()

    reminders = Notification.objects.filter(kind=Notification.Kind.STEP_OVERDUE)
    assert wait_until(lambda: reminders.count() == 2 and not reminders.filter(sent_at=None).exists())
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("bob@example.org", "Parcours : une action demandée a dépassé son échéance"),
        ("charlie@example.org", "Parcours : une action demandée a dépassé son échéance"),
    ]
    for message in mail.outbox:
        assert "Martinez" not in message.body and situation.reference not in message.body
    assert Step.objects.get().reminder_count == 1
