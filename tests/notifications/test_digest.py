"""Each person chooses, kind by kind, to receive notifications at once or in one daily digest."""

import pytest
from django.core import mail

from notifications.delivery import notification_digest_send
from notifications.models import Notification, Preference
from notifications.services import notification_queue, preferences_of
from notifications.tasks import notification_flush

pytestmark = pytest.mark.django_db
Kind = Notification.Kind


def queue(user, kind, key):
    return notification_queue(recipient=user, kind=kind, link="/seances/actions/", dedupe_key=key)


def test_immediate_is_the_default(alice, django_capture_on_commit_callbacks):
    assert preferences_of(alice)[Kind.STEP_OVERDUE] == Preference.Mode.IMMEDIATE
    with django_capture_on_commit_callbacks(execute=True):
        queue(alice, Kind.STEP_OVERDUE, "a")
    assert len(mail.outbox) == 1


def test_a_digest_kind_waits_for_the_daily_digest_and_goes_once(alice, django_capture_on_commit_callbacks):
    Preference.objects.create(user=alice, kind=Kind.STEP_OVERDUE, mode=Preference.Mode.DAILY)
    with django_capture_on_commit_callbacks(execute=True):
        queue(alice, Kind.STEP_OVERDUE, "a")
        queue(alice, Kind.STEP_OVERDUE, "b")
        queue(alice, Kind.SEANCE_ACTION, "c")
    assert [m.subject for m in mail.outbox] == ["Parcours : le groupe demande une action à votre partenaire"]
    Notification.objects.update(created_at=Notification.objects.first().created_at.replace(year=2020))
    assert notification_flush() == 0

    assert notification_digest_send() == 1
    assert notification_digest_send() == 0
    digest = mail.outbox[-1]
    assert digest.subject == "Parcours : votre récapitulatif du jour (2)"
    assert digest.body.count("Une action demandée a dépassé son échéance") == 2
    assert not Notification.objects.filter(sent_at=None).exists()


def test_security_alerts_cannot_be_deferred(alice, client_for):
    client_for(alice).post("/notifications/preferences/", {Kind.BREAK_GLASS_OPENED: Preference.Mode.DAILY})
    assert not Preference.objects.filter(kind=Kind.BREAK_GLASS_OPENED).exists()


def test_the_preferences_page_records_the_choice(alice, client_for):
    client = client_for(alice)
    page = client.get("/notifications/preferences/")
    assert page.status_code == 200
    assert "Une action demandée a dépassé son échéance" in page.content.decode()
    client.post("/notifications/preferences/", {Kind.STEP_OVERDUE: Preference.Mode.DAILY})
    assert preferences_of(alice)[Kind.STEP_OVERDUE] == Preference.Mode.DAILY
