"""The history of a situation covers, by default, its whole life from the day it was recorded, and says so."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from audit.models import Event, Kind
from tests.factories import make_situation

pytestmark = pytest.mark.django_db


def test_by_default_the_history_starts_the_day_the_situation_was_recorded(client_for, alice, dora):
    recorded = timezone.localdate() - datetime.timedelta(days=40)
    with time_machine.travel(datetime.datetime.combine(recorded, datetime.time(10)).astimezone(), tick=False):
        situation = make_situation(alice)

    page = client_for(dora).get(reverse("dpo:situation", args=[situation.reference])).content.decode()

    assert (
        f"Période : depuis l'enregistrement de la situation, le {recorded:%d/%m/%Y}, "
        f"jusqu'au {timezone.localdate():%d/%m/%Y}." in page
    )
    assert "01/01/2000" not in page


def test_a_chosen_start_is_shown_as_a_period(client_for, alice, dora):
    situation = make_situation(alice)
    start = timezone.localdate() - datetime.timedelta(days=3)

    page = client_for(dora).get(reverse("dpo:situation", args=[situation.reference]), {"start": start}).content.decode()

    assert f"Période du {start:%d/%m/%Y} au {timezone.localdate():%d/%m/%Y}" in page
    assert "depuis l'enregistrement" not in page


def test_a_purged_situation_starts_at_its_first_event(client_for, dora):
    first = timezone.now() - datetime.timedelta(days=100)
    Event.objects.create(kind=Kind.READ, at=first, situation_reference="GSN-2025-0007", screen="situation_detail")

    page = client_for(dora).get(reverse("dpo:situation", args=["GSN-2025-0007"])).content.decode()

    assert f"depuis l'enregistrement de la situation, le {timezone.localdate(first):%d/%m/%Y}" in page
