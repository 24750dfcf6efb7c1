"""Séance screens: who sees what, and what each screen records."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from audit.models import Event, Kind, Purpose
from seances import selectors, services
from seances.models import Decision, Step
from tests.factories import make_situation
from tests.seances.helpers import item_of, make_seance, running_seance

pytestmark = pytest.mark.django_db


def test_an_invitee_sees_the_agenda_by_reference_only_and_nothing_is_recorded(alice, bob, charlie, client_for):
    situation = make_situation(alice, last_name="Fictif-Roussel")
    seance = make_seance(charlie)
    services.agenda_item_add(seance_id=seance.pk, situation=situation, by=charlie)
    services.invitation_create(seance_id=seance.pk, user=bob, by=charlie)
    before = Event.objects.filter(kind=Kind.READ).count()

    response = client_for(bob).get(f"/seances/{seance.pk}/")

    content = response.content.decode()
    assert response.status_code == 200
    assert situation.reference in content
    assert "Roussel" not in content and "ROUSSEL" not in content and "Absences" not in content
    assert f"/situations/{situation.pk}/" not in content
    assert Event.objects.filter(kind=Kind.READ).count() == before


def test_someone_neither_invited_nor_present_gets_404(alice, bob, charlie, client_for):
    seance = running_seance(charlie, [make_situation(alice)])
    client = client_for(bob)

    assert client.get(f"/seances/{seance.pk}/").status_code == 404
    assert "Séance du" not in client.get("/seances/").content.decode()


def test_partner_staff_cannot_reach_the_coordination_screens(alice, bob, charlie, client_for):
    situation = make_situation(alice)
    seance = running_seance(charlie, [situation], [bob])
    client = client_for(bob)

    assert client.get(f"/seances/{seance.pk}/mode/").status_code == 403
    assert client.get(f"/seances/{seance.pk}/points/{item_of(seance, situation).pk}/").status_code == 403
    assert client.post(f"/seances/{seance.pk}/cloturer/", {"confirm": "on"}).status_code == 403


def test_an_attendee_follows_the_references_to_the_situations_while_it_runs(alice, bob, charlie, client_for):
    situation = make_situation(alice)
    seance = running_seance(charlie, [situation], [bob])

    content = client_for(bob).get(f"/seances/{seance.pk}/").content.decode()

    assert f"/situations/{situation.pk}/" in content


def test_session_mode_hides_the_identity_until_asked_and_records_it(alice, charlie, client_for):
    situation = make_situation(alice, last_name="Fictif-Roussel")
    seance = running_seance(charlie, [situation])
    item = item_of(seance, situation)
    client = client_for(charlie)

    page = client.get(f"/seances/{seance.pk}/mode/")
    assert "ROUSSEL" not in page.content.decode()
    identity = client.get(f"/seances/{seance.pk}/points/{item.pk}/identite/", HTTP_HX_REQUEST="true")

    assert "FICTIF-ROUSSEL" in identity.content.decode()
    event = Event.objects.filter(screen="seance_identity", object_type="casework.person").get()
    assert event.purpose == Purpose.SESSION


def test_session_mode_keeps_a_constant_number_of_queries(alice, charlie, client_for):
    from casework.services import note_create

    situation = make_situation(alice)
    seance = running_seance(charlie, [situation])
    client = client_for(charlie)
    client.get(f"/seances/{seance.pk}/mode/")
    with CaptureQueriesContext(connection) as few:
        client.get(f"/seances/{seance.pk}/mode/")
    for n in range(5):
        note_create(situation=situation, by=alice, body=f"Note {n}", visibility="groupe")
    for n in range(10):
        services.agenda_item_add(seance_id=seance.pk, situation=make_situation(alice, first_name=f"J{n}"), by=charlie)
    with CaptureQueriesContext(connection) as many:
        client.get(f"/seances/{seance.pk}/mode/")

    assert len(few) == len(many)


def test_the_decision_form_reports_a_missing_detail(alice, charlie, client_for):
    situation = make_situation(alice)
    seance = running_seance(charlie, [situation])

    response = client_for(charlie).post(
        f"/seances/{seance.pk}/points/{item_of(seance, situation).pk}/", {"decision-kind": "non_retenue"}
    )

    assert response.status_code == 400
    assert "Ce champ est nécessaire pour cette décision." in response.content.decode()
    assert not Decision.objects.exists()


def test_actions_list_shows_my_partners_actions_and_the_home_alert_counts_overdue(alice, bob, charlie, client_for):
    situation = make_situation(alice)
    seance = running_seance(charlie, [situation])
    services.decision_record(
        seance_id=seance.pk,
        item_id=item_of(seance, situation).pk,
        by=charlie,
        kind="action_demandee",
        partner=bob.membership.partner,
        action_label="Appeler le collège",
        due_on=timezone.localdate() + datetime.timedelta(days=1),
    )
    Step.objects.update(due_on=timezone.localdate() - datetime.timedelta(days=2))

    bobs = client_for(bob).get("/seances/actions/").content.decode()
    alices = client_for(alice).get("/seances/actions/").content.decode()

    assert situation.reference in bobs and "en retard" in bobs
    # The group's decision associated Bob's partner with the situation: it reads the wording.
    assert "Appeler le collège" in bobs
    assert situation.reference not in alices
    assert "1 action demandée par le groupe est en retard" in client_for(bob).get("/situations/").content.decode()
    assert "Appeler le collège" in client_for(charlie).get("/seances/actions/").content.decode()


def test_the_closing_page_title_reads_as_a_sentence(alice, charlie, client_for):
    # Tried in the demo: the title read « Clôturer la Séance du 09/12/2026 », a capital mid-sentence.
    seance = running_seance(charlie, [make_situation(alice)], [])
    page = client_for(charlie).get(f"/seances/{seance.pk}/cloturer/").content.decode()
    assert f"Clôturer la séance du {seance.date:%d/%m/%Y}</h1>" in page


def test_closing_without_ticking_the_confirmation_comes_back_with_the_error_summary(alice, charlie, client_for):
    seance = running_seance(charlie, [make_situation(alice)], [])
    response = client_for(charlie).post(f"/seances/{seance.pk}/cloturer/", {})
    page = response.content.decode()
    assert response.status_code == 400
    assert "<title>Erreur : Clôturer la séance — Parcours</title>" in page
    assert 'id="form-errors"' in page
    assert '<a href="#id_confirm">Confirmation de la clôture : Cochez la case pour confirmer la clôture.</a>' in page
    assert '<form method="post" novalidate>' in page  # the server answers, not the browser's bubble
    seance.refresh_from_db()
    assert not seance.is_closed


def test_closing_with_the_confirmation_ticked_closes_the_seance(alice, charlie, client_for):
    seance = running_seance(charlie, [make_situation(alice)], [])
    response = client_for(charlie).post(f"/seances/{seance.pk}/cloturer/", {"confirm": "on"})
    assert response.status_code == 302
    seance.refresh_from_db()
    assert seance.is_closed


def test_seance_mode_links_the_danger_alert_to_recording_a_signalement(alice, charlie, client_for):
    # Tried in the demo: séance mode showed « Enfant en danger » with no way to record the transmission.
    situation = make_situation(alice)
    type(situation).objects.filter(pk=situation.pk).update(danger=True)
    seance = running_seance(charlie, [situation], [])
    page = client_for(charlie).get(f"/seances/{seance.pk}/mode/").content.decode()
    assert f'href="/situations/{situation.pk}/signalement/"' in page


def test_the_overdue_alert_counts_the_rows_of_the_actions_list(alice, bob, charlie, client_for):
    """The situation list's alert counts the steps alone (it asks on every request); its count is the
    number of overdue rows « Actions à suivre » lists, for the partner, the coordination and others."""
    situation = make_situation(alice)
    seance = running_seance(charlie, [situation])
    for label in ("Appeler le collège", "Rencontrer la famille"):
        services.decision_record(
            seance_id=seance.pk,
            item_id=item_of(seance, situation).pk,
            by=charlie,
            kind="action_demandee",
            partner=bob.membership.partner,
            action_label=label,
            due_on=timezone.localdate() + datetime.timedelta(days=1),
        )
    Step.objects.filter(pk=Step.objects.order_by("pk").first().pk).update(
        due_on=timezone.localdate() - datetime.timedelta(days=2)
    )
    for user, expected in ((bob, 1), (charlie, 1), (alice, 0)):
        assert selectors.overdue_actions_count(user) == len(selectors.overdue_actions_for(user)) == expected
    assert "1 action demandée par le groupe est en retard" in client_for(bob).get("/situations/").content.decode()
