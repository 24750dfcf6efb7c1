"""Break-glass: a coordinator opens a situation outside their grants, with a reason, for a while."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from access import ledger
from access.models import BreakGlassAccess, Reason
from access.permissions import coordination_group
from audit.models import Event, Kind, Purpose
from tests.factories import make_situation

URL = "/acces-exceptionnel/"
REASON = "Appel du commissariat ce soir : mise en danger immédiate signalée, vérifier le référent."


@pytest.fixture
def hidden(alice):
    """A situation the coordination group does not hold."""
    situation = make_situation(alice)
    ledger.end(situation, group=coordination_group(), reason=Reason.COORDINATION, by=None)
    return situation


def _open(client, situation, reason=REASON, confirm="on"):
    return client.post(URL, {"reference": situation.reference, "reason": reason, "confirm": confirm})


def test_coordinator_cannot_read_the_situation_before(client_for, charlie, hidden):
    assert client_for(charlie).get(f"/situations/{hidden.pk}/").status_code == 404


def test_coordinator_opens_it_with_a_reason(client_for, charlie, hidden):
    client = client_for(charlie)
    response = _open(client, hidden)
    assert response["Location"] == f"/situations/{hidden.pk}/"
    assert client.get(f"/situations/{hidden.pk}/").status_code == 200


def test_reads_under_break_glass_carry_that_purpose(client_for, charlie, hidden):
    client = client_for(charlie)
    _open(client, hidden)
    client.get(f"/situations/{hidden.pk}/")
    event = Event.objects.get(kind=Kind.READ, user=charlie, object_id=str(hidden.pk))
    assert event.purpose == Purpose.BREAK_GLASS


def test_opening_is_a_security_event_and_the_dpo_is_told(
    client_for, charlie, dora, hidden, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _open(client_for(charlie), hidden)
    assert Event.objects.filter(kind=Kind.BREAK_GLASS, user=charlie, situation_reference=hidden.reference).exists()
    (message,) = mail.outbox
    assert message.to == [dora.email]
    assert "accès exceptionnel" in message.subject
    assert "/audit/acces-exceptionnels/" in message.body
    assert hidden.reference not in message.body and "Durand" not in message.body


def test_reason_is_stored_encrypted(client_for, charlie, hidden):
    from django.db import connection

    _open(client_for(charlie), hidden)
    with connection.cursor() as cursor:
        cursor.execute("SELECT reason FROM access_breakglassaccess")
        (stored,) = cursor.fetchone()
    assert b"commissariat" not in bytes(stored)
    assert BreakGlassAccess.objects.get().reason == REASON


def test_a_short_reason_is_refused(client_for, charlie, hidden):
    response = _open(client_for(charlie), hidden, reason="urgent")
    assert "au moins 30 caractères" in response.content.decode()
    assert not BreakGlassAccess.objects.exists()


def test_confirmation_is_required(client_for, charlie, hidden):
    response = _open(client_for(charlie), hidden, confirm="")
    assert "Cochez la case pour confirmer." in response.content.decode()


def test_unknown_reference_gets_a_french_message(client_for, charlie, db):
    response = client_for(charlie).post(URL, {"reference": "GSN-2026-9999", "reason": REASON, "confirm": "on"})
    assert "Aucune situation ne porte cette référence." in response.content.decode()


def test_a_situation_already_held_opens_without_break_glass(client_for, charlie, alice):
    situation = make_situation(alice)
    response = _open(client_for(charlie), situation)
    assert response["Location"] == f"/situations/{situation.pk}/"
    assert not BreakGlassAccess.objects.exists()


def test_staff_cannot_break_glass(client_for, bob, hidden):
    assert _open(client_for(bob), hidden).status_code == 403


def test_dpo_cannot_break_glass(client_for, dora, hidden):
    assert _open(client_for(dora), hidden).status_code == 403


def test_an_expired_access_gives_404_the_second_it_ends_with_no_task_run(client_for, charlie, hidden):
    _open(client_for(charlie), hidden)
    ends = BreakGlassAccess.objects.get().expires_at

    with time_machine.travel(ends - datetime.timedelta(seconds=1), tick=False):
        assert client_for(charlie).get(f"/situations/{hidden.pk}/").status_code == 200
    read = Event.objects.filter(kind=Kind.READ, user=charlie, screen="situation_detail").latest("id")
    assert (read.purpose, read.grant_reason) == (Purpose.BREAK_GLASS, Reason.BREAK_GLASS)
    with time_machine.travel(ends + datetime.timedelta(seconds=1), tick=False):
        assert client_for(charlie).get(f"/situations/{hidden.pk}/").status_code == 404


def test_the_tidying_task_closes_the_access_and_records_the_end(client_for, charlie, hidden):
    _open(client_for(charlie), hidden)
    assert ledger.expire() == ledger.Expired(rows=0, break_glass=0)

    with time_machine.travel(timezone.now() + datetime.timedelta(hours=5), tick=False):
        assert ledger.expire() == ledger.Expired(rows=1, break_glass=1)

    assert not BreakGlassAccess.objects.get().is_open
    assert Event.objects.filter(kind=Kind.REVOKE, situation_reference=hidden.reference).exists()


def test_dpo_reads_the_reason_and_that_read_is_recorded(client_for, charlie, dora, hidden):
    _open(client_for(charlie), hidden)
    page = client_for(dora).get("/audit/acces-exceptionnels/").content.decode()
    assert "commissariat" in page and hidden.reference in page
    access = BreakGlassAccess.objects.get()
    assert Event.objects.filter(kind=Kind.READ, user=dora, object_id=str(access.pk)).exists()
