"""The signalement trace: a coded record of an information préoccupante (CRIP) or a report to the
prosecutor, one click from the « danger » alert, shown on the situation and in séance mode."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.models import Signalement
from casework.services import signalement_record, situation_update
from core.refusal import Refusal
from tests.casework.test_no_plaintext_at_rest import raw_database_text
from tests.factories import make_situation
from tests.seances.helpers import running_seance

pytestmark = pytest.mark.django_db


@pytest.fixture
def situation(alice, charlie):
    situation = make_situation(alice)
    return situation_update(
        situation_id=situation.pk, by=charlie, expected_version=situation.version, changes={"danger": True}
    )


def url(situation):
    return reverse("casework:signalement_create", args=[situation.pk])


def test_one_click_from_the_danger_alert_records_a_crip_transmission_today(situation, alice, client_for):
    page = client_for(alice).get(reverse("casework:situation_detail", args=[situation.pk])).content.decode()
    assert url(situation) in page
    response = client_for(alice).post(url(situation), {"rapide": "1"})
    assert response.status_code == 302
    signalement = Signalement.objects.get()
    assert (signalement.recipient, signalement.sent_on, signalement.recorded_by) == (
        Signalement.Recipient.CRIP,
        timezone.localdate(),
        alice,
    )


def test_the_full_form_records_a_report_to_the_prosecutor_with_an_encrypted_comment(situation, alice, client_for):
    response = client_for(alice).post(
        url(situation),
        {
            "sent_on": timezone.localdate().isoformat(),
            "recipient": "procureur",
            "mode": "messagerie",
            "comment": "Parquet des mineurs, transmis par la CPE",
        },
    )
    assert response.status_code == 302
    assert Signalement.objects.get().comment == "Parquet des mineurs, transmis par la CPE"
    assert b"parquet des mineurs" not in b"\n".join(raw_database_text())


def test_a_date_in_the_future_is_refused(situation, alice):
    with pytest.raises(Refusal, match="entre la saisine et aujourd'hui"):
        signalement_record(
            situation_id=situation.pk,
            by=alice,
            sent_on=timezone.localdate() + datetime.timedelta(days=1),
            recipient="crip",
            mode="courrier",
        )


def test_a_partner_without_access_cannot_record_one(situation, maya, client_for):
    assert client_for(maya).post(url(situation), {"rapide": "1"}).status_code == 404
    assert not Signalement.objects.exists()


def test_the_situation_the_coordinators_list_and_seance_mode_show_it(situation, alice, charlie, client_for):
    signalement_record(
        situation_id=situation.pk, by=alice, sent_on=timezone.localdate(), recipient="crip", mode="courrier"
    )
    detail = client_for(alice).get(reverse("casework:situation_detail", args=[situation.pk])).content.decode()
    assert "Transmissions enregistrées" in detail
    listing = client_for(charlie).get(reverse("casework:signalement_list")).content.decode()
    assert situation.reference in listing and "CRIP du Département" in listing
    seance = running_seance(charlie, [situation])
    mode = client_for(charlie).get(reverse("seances:seance_mode", args=[seance.pk])).content.decode()
    assert "Transmissions" in mode and "CRIP du Département" in mode


def test_the_list_is_for_the_coordinator(alice, client_for):
    assert client_for(alice).get(reverse("casework:signalement_list")).status_code in (403, 404)
