"""Following the plan between séances: an objective set in séance mode, the one click that marks an
objective reached, the closing « objectifs atteints », and the responsible partner's step statuses
(en cours, fait, abandonné with its reason, confirmed)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from audit.models import ChangeEntry, Event
from audit.models import Kind as AuditKind
from casework.models import ClosureReason
from casework.services import partner_associate, situation_close
from core.refusal import Refusal
from seances import services
from seances.models import Decision, Objective, Step
from tests.casework.test_no_plaintext_at_rest import raw_database_text
from tests.factories import make_situation
from tests.seances.helpers import item_of, running_seance
from tests.seances.test_plan import add_step, followed, plan_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def situation(alice, charlie):
    return followed(make_situation(alice, last_name="Moreau", first_name="Léa"), charlie, alice)


def close(situation, by, code):
    situation.refresh_from_db()
    return situation_close(
        situation_id=situation.pk,
        by=by,
        expected_version=situation.version,
        reason=ClosureReason.objects.get(code=code),
        closed_on=timezone.localdate(),
        outcome="scolarite",
    )


def abandon_url(step):
    return reverse("seances:step_abandon", args=[step.pk])


# --- An objective set in séance mode ----------------------------------------------------------------------


def test_a_seance_decision_adds_an_objective_to_the_plan(situation, charlie):
    seance = running_seance(charlie, [situation])
    decision = services.decision_record(
        seance_id=seance.pk,
        item_id=item_of(seance, situation).pk,
        by=charlie,
        kind=Decision.Kind.OBJECTIVE,
        objective_domain="formation_emploi",
        objective_label="Trouver un stage de découverte",
    )
    objective = Objective.objects.get(situation=situation)
    assert decision.objective == objective
    assert (objective.domain, objective.label, objective.created_by) == (
        "formation_emploi",
        "Trouver un stage de découverte",
        charlie,
    )


def test_seance_mode_adds_an_objective_and_comes_back_to_the_projected_point(situation, charlie, client_for):
    seance = running_seance(charlie, [situation])
    item = item_of(seance, situation)
    client = client_for(charlie)
    mode = client.get(reverse("seances:seance_mode", args=[seance.pk])).content.decode()
    assert plan_url(situation) in mode
    assert 'value="objectif_fixe"' in mode

    response = client.post(
        reverse("seances:seance_item", args=[seance.pk, item.pk]) + "?retour=mode",
        {"decision-kind": "objectif_fixe", "decision-objective_domain": "sante", "decision-objective_label": "Bilan"},
    )

    assert response.status_code == 302 and "/mode/?point=1" in response.url
    assert Objective.objects.get().label == "Bilan"
    # The objective is offered at once to the next decision « action demandée ».
    again = client.get(response.url).content.decode()
    assert "Santé : Bilan" in again


def test_an_objective_without_its_wording_is_refused_in_the_projected_view(situation, charlie, client_for):
    seance = running_seance(charlie, [situation])
    item = item_of(seance, situation)
    response = client_for(charlie).post(
        reverse("seances:seance_item", args=[seance.pk, item.pk]) + "?retour=mode",
        {"decision-kind": "objectif_fixe", "decision-objective_domain": "sante"},
    )
    assert response.status_code == 400
    assert "Ce champ est nécessaire pour cette décision." in response.content.decode()
    assert not Objective.objects.exists()


def test_the_minutes_show_the_objective_domain_not_its_wording(situation, charlie):
    from seances.minutes import _decision_row

    seance = running_seance(charlie, [situation])
    decision = services.decision_record(
        seance_id=seance.pk,
        item_id=item_of(seance, situation).pk,
        by=charlie,
        kind=Decision.Kind.OBJECTIVE,
        objective_domain="famille",
        objective_label="Médiation avec le père",
    )
    label, _partner, _date = _decision_row(decision)
    assert "famille" in label and "père" not in label


# --- When an objective is reached -------------------------------------------------------------------------


def test_the_plan_offers_to_mark_an_objective_reached_once_all_its_steps_are_closed(situation, alice, bob, client_for):
    objective = services.objective_add(situation_id=situation.pk, by=alice, domain="scolarite", label="Collège")
    first = add_step(situation, alice, bob.membership.partner, objective=objective)
    second = add_step(situation, alice, bob.membership.partner, label="Deuxième", objective=objective)
    client = client_for(alice)
    services.step_set_status(step_id=first.pk, by=bob, status=Step.Status.DONE)
    assert "Marquer l'objectif atteint" not in client.get(plan_url(situation)).content.decode()

    # Even from « Actions à suivre », the référent is taken to the plan, where the click is.
    response = client.post(
        reverse("seances:step_status", args=[second.pk]), {"status": "fait", "retour": "actions"}, follow=True
    )
    assert response.redirect_chain[-1][0] == plan_url(situation) + f"#objectif-{objective.pk}"

    page = response.content.decode()
    assert "Toutes les étapes de cet objectif sont closes" in page
    assert "Marquer l'objectif atteint" in page
    client.post(reverse("seances:objective_status", args=[objective.pk]), {"status": "atteint"})
    objective.refresh_from_db()
    assert (objective.status, objective.status_on) == (Objective.Status.REACHED, timezone.localdate())


def test_an_objective_whose_steps_were_all_abandoned_is_not_offered(situation, alice, bob):
    objective = services.objective_add(situation_id=situation.pk, by=alice, domain="sante", label="Bilan")
    step = add_step(situation, alice, bob.membership.partner, objective=objective)
    services.step_set_status(step_id=step.pk, by=bob, status=Step.Status.ABANDONED, reason="Refus de la famille")
    assert not services.objective_may_be_marked_reached(objective, [Step.objects.get(pk=step.pk)])


def test_the_partner_is_not_offered_to_mark_the_objective(situation, alice, bob, client_for):
    objective = services.objective_add(situation_id=situation.pk, by=alice, domain="sante", label="Bilan")
    step = add_step(situation, alice, bob.membership.partner, objective=objective)
    response = client_for(bob).post(
        reverse("seances:step_status", args=[step.pk]), {"status": "fait", "retour": "actions"}, follow=True
    )
    assert "Toutes les étapes de cet objectif sont closes" not in response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("seances:followup_list")
    assert Objective.objects.get().status == Objective.Status.OPEN


def test_closing_with_objectives_reached_marks_the_open_objectives_reached(situation, alice, charlie):
    open_one = services.objective_add(situation_id=situation.pk, by=alice, domain="scolarite", label="Collège")
    missed = services.objective_add(situation_id=situation.pk, by=alice, domain="sante", label="Bilan")
    services.objective_set_status(objective_id=missed.pk, by=alice, status=Objective.Status.NOT_REACHED)

    close(situation, charlie, "objectifs-atteints")

    open_one.refresh_from_db()
    missed.refresh_from_db()
    assert (open_one.status, open_one.status_on) == (Objective.Status.REACHED, timezone.localdate())
    assert missed.status == Objective.Status.NOT_REACHED


def test_closing_for_another_reason_leaves_open_objectives_open(situation, alice, charlie):
    objective = services.objective_add(situation_id=situation.pk, by=alice, domain="scolarite", label="Collège")
    other = ClosureReason.objects.exclude(code__in=("objectifs-atteints", "opposition")).filter(active=True).first()
    close(situation, charlie, other.code)
    objective.refresh_from_db()
    assert objective.status == Objective.Status.OPEN


# --- The responsible partner moves its step along ----------------------------------------------------------


def test_the_partner_marks_its_action_in_progress_from_its_list(situation, alice, bob, client_for):
    step = add_step(situation, alice, bob.membership.partner)
    client = client_for(bob)
    page = client.get(reverse("seances:followup_list")).content.decode()
    assert "Marquer en cours" in page and abandon_url(step) in page

    client.post(reverse("seances:step_status", args=[step.pk]), {"status": "en_cours", "retour": "actions"})

    step.refresh_from_db()
    assert step.status == Step.Status.DOING
    assert "Marquer en cours" not in client.get(reverse("seances:followup_list")).content.decode()


def test_abandoning_needs_a_reason_and_a_confirmation(situation, alice, bob, charlie, client_for):
    step = add_step(situation, alice, bob.membership.partner, label="Rencontrer la CPE")
    partner_associate(
        situation_id=situation.pk, partner=bob.membership.partner, by=charlie, motive="Étape confiée au collège"
    )
    client = client_for(bob)
    page = client.get(abandon_url(step) + "?retour=actions")
    assert page.status_code == 200 and "Rencontrer la CPE" in page.content.decode()
    assert Event.objects.filter(kind=AuditKind.READ, user=bob, object_id=str(step.pk), screen="step_abandon").exists()

    unconfirmed = client.post(abandon_url(step), {"reason": "La famille a déménagé", "retour": "actions"})
    assert unconfirmed.status_code == 400
    assert "Cochez la case pour confirmer" in unconfirmed.content.decode()
    without_reason = client.post(abandon_url(step), {"confirm": "on", "retour": "actions"})
    assert without_reason.status_code == 400
    assert Step.objects.get().status == Step.Status.TODO

    done = client.post(abandon_url(step), {"reason": "La famille a déménagé", "confirm": "on", "retour": "actions"})

    assert done.url == reverse("seances:followup_list")
    step.refresh_from_db()
    assert (step.status, step.abandon_reason, step.ended_by) == (Step.Status.ABANDONED, "La famille a déménagé", bob)


def test_a_partner_that_does_not_read_the_situation_abandons_its_action_without_seeing_its_wording(
    situation, alice, bob, client_for
):
    step = add_step(situation, alice, bob.membership.partner, label="Rencontrer la CPE")
    page = client_for(bob).get(abandon_url(step)).content.decode()
    assert "Rencontrer la CPE" not in page and "Confirmer l'abandon" in page
    assert not Event.objects.filter(kind=AuditKind.READ, user=bob, object_id=str(step.pk)).exists()


def test_the_abandon_is_in_the_trail_and_its_reason_is_not_stored_in_plaintext(situation, alice, bob, client_for):
    step = add_step(situation, alice, bob.membership.partner)
    client_for(bob).post(abandon_url(step), {"reason": "Famille partie à Roubaix", "confirm": "on"})
    entry = ChangeEntry.objects.get_for_object(step).latest("timestamp")
    assert entry.actor == bob
    assert "abandonne" in str(entry.changes)
    assert "Roubaix" not in str(entry.changes)
    assert b"Roubaix" not in b"\n".join(raw_database_text())


def test_the_service_refuses_an_abandon_without_reason(situation, alice, bob):
    step = add_step(situation, alice, bob.membership.partner)
    with pytest.raises(Refusal, match="pourquoi"):
        services.step_set_status(step_id=step.pk, by=bob, status=Step.Status.ABANDONED, reason="  ")


def test_another_partner_gets_404_on_the_abandon_page(situation, alice, bob, maya, client_for):
    step = add_step(situation, alice, bob.membership.partner)
    client = client_for(maya)
    assert client.get(abandon_url(step)).status_code == 404
    assert client.post(abandon_url(step), {"reason": "x", "confirm": "on"}).status_code == 404
    assert Step.objects.get().status == Step.Status.TODO


def test_a_step_of_a_closed_situation_cannot_be_abandoned(situation, alice, bob, charlie, client_for):
    step = add_step(situation, alice, bob.membership.partner)
    services.step_set_status(step_id=step.pk, by=bob, status=Step.Status.DOING)
    add_step(situation, alice, bob.membership.partner, label="Autre")
    close(situation, charlie, "objectifs-atteints")
    page = client_for(charlie).get(abandon_url(step)).content.decode()
    assert "Confirmer l'abandon" not in page
    response = client_for(charlie).post(abandon_url(step), {"reason": "Trop tard", "confirm": "on"})
    assert response.status_code == 400
    step.refresh_from_db()
    assert step.abandon_reason == "Situation clôturée."


def test_the_plan_shows_why_a_step_was_abandoned(situation, alice, bob, client_for):
    step = add_step(situation, alice, bob.membership.partner)
    services.step_set_status(step_id=step.pk, by=bob, status=Step.Status.ABANDONED, reason="Refus du jeune")
    page = client_for(alice).get(plan_url(situation)).content.decode()
    assert "Refus du jeune" in page


def test_the_plan_sends_an_abandon_to_its_confirmation_page_not_through_the_select(situation, alice, bob, client_for):
    step = add_step(situation, alice, bob.membership.partner)
    page = client_for(alice).get(plan_url(situation)).content.decode()
    assert 'value="abandonne"' not in page and abandon_url(step) in page
    response = client_for(alice).post(reverse("seances:step_status", args=[step.pk]), {"status": "abandonne"})
    assert response.status_code == 302
    assert Step.objects.get().status == Step.Status.TODO
