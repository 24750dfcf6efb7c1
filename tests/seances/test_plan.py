"""The plan d'accompagnement: objectives and steps, a step being the séance's « action demandée »."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import Event
from audit.models import Kind as AuditKind
from casework.models import ClosureReason
from casework.services import situation_close, situation_update
from core.refusal import Refusal
from notifications.models import Notification
from seances import services
from seances.models import Decision, Objective, Step
from tests.casework.test_no_plaintext_at_rest import raw_database_text
from tests.factories import make_situation, make_user
from tests.seances.helpers import item_of, running_seance

pytestmark = pytest.mark.django_db
SOON = datetime.timedelta(days=10)


def followed(situation, by, referent):
    for changes in ({"status": "examinee"}, {"status": "suivi_actif", "referent": referent}):
        situation = situation_update(
            situation_id=situation.pk, by=by, expected_version=situation.version, changes=changes
        )
    return situation


@pytest.fixture
def situation(alice, charlie):
    return followed(make_situation(alice, last_name="Moreau", first_name="Léa"), charlie, alice)


def plan_url(situation):
    return reverse("seances:situation_plan", args=[situation.pk])


def add_step(situation, by, partner, label="Rencontrer la CPE", objective=None):
    return services.step_add(
        situation_id=situation.pk,
        by=by,
        partner=partner,
        label=label,
        due_on=timezone.localdate() + SOON,
        objective_id=objective.pk if objective else None,
    )


def test_the_referent_writes_objectives_and_steps(situation, alice, bob):
    objective = services.objective_add(
        situation_id=situation.pk, by=alice, domain="scolarite", label="Reprendre une scolarité régulière"
    )
    step = add_step(situation, alice, bob.membership.partner, objective=objective)
    assert (step.objective, step.status, step.partner) == (objective, Step.Status.TODO, bob.membership.partner)


def test_the_coordinator_edits_the_plan(situation, charlie, bob):
    assert add_step(situation, charlie, bob.membership.partner).created_by == charlie


def test_a_partner_that_is_not_referent_may_not_edit_the_plan(situation, bob, charlie, alice):
    # Alice's colleague at the same partner reads the situation but is not its référent.
    colleague = make_user("amine", alice.membership.partner)
    with pytest.raises(Refusal, match="référent"):
        services.objective_add(situation_id=situation.pk, by=colleague, domain="sante", label="Bilan de santé")


def test_an_objective_of_another_situation_is_refused(situation, alice, bob, charlie):
    other = followed(make_situation(alice), charlie, alice)
    foreign = services.objective_add(situation_id=other.pk, by=alice, domain="famille", label="Médiation familiale")
    with pytest.raises(Refusal, match="n'appartient pas"):
        add_step(situation, alice, bob.membership.partner, objective=foreign)


def test_the_responsible_partner_is_notified_without_personal_data(situation, alice, bob):
    add_step(situation, alice, bob.membership.partner, label="Appeler Léa Moreau")
    notification = Notification.objects.get(recipient=bob)
    assert notification.kind == Notification.Kind.SEANCE_ACTION
    assert "Moreau" not in notification.link + notification.summary


def test_the_responsible_partner_moves_its_step_but_another_partner_cannot(situation, alice, bob, maya):
    step = add_step(situation, alice, bob.membership.partner)
    with pytest.raises(Refusal):
        services.step_set_status(step_id=step.pk, by=maya, status=Step.Status.DONE)
    services.step_set_status(step_id=step.pk, by=bob, status=Step.Status.DOING)
    step = services.step_set_status(step_id=step.pk, by=bob, status=Step.Status.DONE)
    assert (step.status, step.ended_on, step.ended_by) == (Step.Status.DONE, timezone.localdate(), bob)
    with pytest.raises(Refusal, match="déjà close"):
        services.step_set_status(step_id=step.pk, by=bob, status=Step.Status.ABANDONED)


def test_wordings_are_not_stored_in_plaintext(situation, alice, bob):
    objective = services.objective_add(
        situation_id=situation.pk, by=alice, domain="sante", label="Consulter le centre médico-psychologique"
    )
    add_step(
        situation, alice, bob.membership.partner, label="Accompagner au premier rendez-vous CMP", objective=objective
    )
    cells = b"\n".join(raw_database_text())
    assert b"centre m" not in cells
    assert b"premier rendez-vous" not in cells


def test_a_reader_of_the_situation_sees_the_plan_and_the_read_is_recorded(situation, alice, charlie, client_for):
    services.objective_add(situation_id=situation.pk, by=alice, domain="loisirs", label="Inscription au club de foot")
    page = client_for(charlie).get(plan_url(situation))
    assert page.status_code == 200
    assert "Inscription au club de foot" in page.content.decode()
    objective = Objective.objects.get()
    assert Event.objects.filter(kind=AuditKind.READ, object_id=str(objective.pk), screen="situation_plan").exists()


def test_another_partner_gets_404_on_the_plan(situation, maya, client_for):
    assert client_for(maya).get(plan_url(situation)).status_code == 404


def test_the_situation_page_shows_counts_and_a_link_not_the_wordings(situation, alice, bob, client_for):
    services.objective_add(situation_id=situation.pk, by=alice, domain="justice", label="Mesure de réparation")
    add_step(situation, alice, bob.membership.partner)
    page = client_for(alice).get(reverse("casework:situation_detail", args=[situation.pk])).content.decode()
    assert plan_url(situation) in page
    assert "1 étape en attente" in page
    assert "Mesure de réparation" not in page


def test_adding_a_step_through_the_page(situation, alice, bob, client_for):
    response = client_for(alice).post(
        plan_url(situation),
        {
            "etape-partner": bob.membership.partner.pk,
            "etape-label": "Rencontrer la famille",
            "etape-due_on": (timezone.localdate() + SOON).isoformat(),
        },
    )
    assert response.status_code == 302
    assert Step.objects.get().label == "Rencontrer la famille"


def test_an_invalid_step_keeps_what_was_typed(situation, alice, client_for):
    response = client_for(alice).post(plan_url(situation), {"etape-label": "Rencontrer la famille"})
    assert response.status_code == 400
    assert 'value="Rencontrer la famille"' in response.content.decode()
    assert not Step.objects.exists()


def test_a_seance_decision_adds_a_step_to_an_objective_and_another_closes_it(situation, alice, bob, charlie):
    objective = services.objective_add(
        situation_id=situation.pk, by=alice, domain="scolarite", label="Retour au collège"
    )
    seance = running_seance(charlie, [situation])
    item = item_of(seance, situation)
    added = services.decision_record(
        seance_id=seance.pk,
        item_id=item.pk,
        by=charlie,
        kind=Decision.Kind.ACTION,
        partner=bob.membership.partner,
        action_label="Réunion d'équipe éducative",
        due_on=timezone.localdate() + SOON,
        objective_id=str(objective.pk),
    )
    assert added.step.objective == objective
    closed = services.decision_record(
        seance_id=seance.pk,
        item_id=item.pk,
        by=charlie,
        kind=Decision.Kind.STEP_CLOSED,
        step_id=str(added.step.pk),
        step_status=Step.Status.DONE,
    )
    assert closed.step == added.step
    assert Step.objects.get().status == Step.Status.DONE


def test_seance_mode_shows_the_plan(situation, alice, charlie, client_for):
    services.objective_add(situation_id=situation.pk, by=alice, domain="famille", label="Soutien à la parentalité")
    seance = running_seance(charlie, [situation])
    page = client_for(charlie).get(reverse("seances:seance_mode", args=[seance.pk])).content.decode()
    assert "Plan d'accompagnement" in page and "Soutien à la parentalité" in page


def test_closing_the_situation_abandons_its_pending_steps(situation, alice, bob, charlie):
    done = add_step(situation, alice, bob.membership.partner, label="Fait")
    services.step_set_status(step_id=done.pk, by=bob, status=Step.Status.DONE)
    pending = add_step(situation, alice, bob.membership.partner, label="En attente")
    situation.refresh_from_db()
    situation_close(
        situation_id=situation.pk,
        by=charlie,
        expected_version=situation.version,
        reason=ClosureReason.objects.get(code="objectifs-atteints"),
        closed_on=timezone.localdate(),
        outcome="scolarite",
    )
    pending.refresh_from_db()
    done.refresh_from_db()
    assert (pending.status, pending.ended_by) == (Step.Status.ABANDONED, charlie)
    assert done.status == Step.Status.DONE
    with pytest.raises(Refusal, match="clôturée"):
        add_step(situation, charlie, bob.membership.partner)


def test_the_panel_counts_steps_and_objectives_in_one_query_as_the_plan_holds_them(situation, alice, bob, charlie):
    """Pending, overdue, done, objectives open and reached, and another situation's plan: the panel's
    four counts, in one query, are what the plan's rows say."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from seances.templatetags.plan_panels import situation_plan_panel

    other = followed(make_situation(alice), charlie, alice)
    reached = services.objective_add(situation_id=situation.pk, by=alice, domain="justice", label="Réparation")
    services.objective_add(situation_id=situation.pk, by=alice, domain="scolarite", label="Assiduité")
    services.objective_add(situation_id=other.pk, by=alice, domain="scolarite", label="Autre")
    Objective.objects.filter(pk=reached.pk).update(status=Objective.Status.REACHED)
    late, _soon, done = (add_step(situation, alice, bob.membership.partner, label=f"Étape {n}") for n in range(3))
    add_step(other, alice, bob.membership.partner)
    Step.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - datetime.timedelta(days=1))
    Step.objects.filter(pk=done.pk).update(status=Step.Status.DONE)
    with CaptureQueriesContext(connection) as queries:
        panel = situation_plan_panel(situation)
    assert len(queries) == 1
    assert panel["steps"] == {"pending": 2, "overdue": 1}
    assert panel["objectives"] == {"total": 2, "reached": 1}
