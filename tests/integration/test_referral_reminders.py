"""Celery beat's reminder task, run by a real worker through Redis, e-mails the operator of an overdue
referral (run by `make test-integration`)."""

import datetime
import time

import pytest
from django.core import mail
from django.utils import timezone

from notifications.models import Notification
from referrals import services
from referrals.models import Referral
from referrals.tasks import send_reminders
from tests.factories import make_scheme, make_situation
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
def test_worker_reminds_the_operator_of_an_overdue_referral(alice, maya, charlie, mission_locale, redis_worker):
    situation = make_situation(alice)
    referral = services.referral_propose(situation=situation, scheme=make_scheme(mission_locale), by=alice)
    services.referral_send(referral_id=referral.pk, by=alice)
    assert wait_until(lambda: not Notification.objects.filter(sent_at=None).exists()), "the sent notice went out"
    Referral.objects.filter(pk=referral.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=2))
    mail.outbox.clear()

    send_reminders.delay()

    reminders = Notification.objects.filter(kind__in=("orientation_relance", "orientation_en_retard"))
    assert wait_until(lambda: reminders.count() == 2 and not reminders.filter(sent_at=None).exists())
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("charlie@example.org", "Parcours : une orientation est en retard"),
        ("maya@example.org", "Parcours : une orientation attend toujours votre réponse"),
    ]
    assert Referral.objects.get().reminder_count == 1
