"""The .ics of a séance: a calendar event with the date, time and place, nothing personal."""

import datetime

import pytest
import time_machine

from seances import services
from tests.factories import make_situation
from tests.seances.helpers import make_seance

pytestmark = pytest.mark.django_db


def _ics(client, seance):
    return client.get(f"/seances/{seance.pk}/seance.ics")


def test_an_invitee_downloads_a_calendar_event(alice, bob, charlie, client_for):
    seance = make_seance(charlie, days_ahead=7)
    services.invitation_create(seance_id=seance.pk, user=bob, by=charlie)

    response = _ics(client_for(bob), seance)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert f"UID:seance-{seance.pk}@parcours\r\n" in body
    assert "\r\nDTSTAMP:" in body
    assert "SUMMARY:Séance du GSN\r\n" in body
    assert "LOCATION:Hôtel de ville\\, salle du conseil\r\n" in body


def test_the_start_is_the_paris_time_written_in_utc(charlie, client_for):
    with time_machine.travel(datetime.datetime(2026, 6, 1, 9, 0, tzinfo=datetime.UTC)):
        seance = make_seance(charlie, days_ahead=14)  # 15 June 2026 at 14:00 in Paris (UTC+2)

        body = _ics(client_for(charlie), seance).content.decode()

    assert "DTSTART:20260615T120000Z\r\n" in body
    assert "DTEND:20260615T140000Z\r\n" in body
    assert "DTSTAMP:20260601T090000Z\r\n" in body


def test_the_event_carries_no_agenda_nor_reference(alice, bob, charlie, client_for):
    situation = make_situation(alice, last_name="Fictif-Roussel")
    seance = make_seance(charlie)
    services.agenda_item_add(seance_id=seance.pk, situation=situation, by=charlie)
    services.invitation_create(seance_id=seance.pk, user=bob, by=charlie)

    body = _ics(client_for(bob), seance).content.decode()

    assert situation.reference not in body
    assert "roussel" not in body.lower()
    assert "DESCRIPTION" not in body


def test_someone_not_invited_gets_404(alice, bob, charlie, client_for):
    seance = make_seance(charlie)

    assert _ics(client_for(bob), seance).status_code == 404


def test_the_seance_page_links_to_its_calendar_file(bob, charlie, client_for):
    seance = make_seance(charlie)
    services.invitation_create(seance_id=seance.pk, user=bob, by=charlie)

    content = client_for(bob).get(f"/seances/{seance.pk}/").content.decode()

    assert f"/seances/{seance.pk}/seance.ics" in content
