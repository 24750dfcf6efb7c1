"""A coordinator prepares, runs and closes a small séance, from the agenda to the minutes."""

import datetime

import pytest
from django.utils import timezone

from seances.models import Attendance, Decision, Seance
from tests.e2e.conftest import ARTIFACTS
from tests.e2e.test_referrals import sign_in
from tests.factories import make_situation

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_a_coordinator_runs_a_seance_from_agenda_to_closing(live_server, browser, alice, charlie):
    first = make_situation(alice, last_name="Fictif-Roussel", first_name="Léa")
    second = make_situation(alice, last_name="Fictif-Nord", first_name="Sam")
    date = timezone.localdate() + datetime.timedelta(days=3)

    context, page = sign_in(browser, live_server, charlie)
    page.get_by_role("button", name="Séances").click()
    page.get_by_role("link", name="Nouvelle séance").click()
    page.get_by_label("Date").fill(date.isoformat())
    page.get_by_label("Heure de début").fill("14:00")
    page.get_by_label("Lieu").fill("Hôtel de ville, salle du conseil")
    page.get_by_role("button", name="Créer la séance").click()
    assert "La séance est créée" in page.get_by_role("status").first.inner_text()

    page.get_by_role("button", name="Ajouter ces 2 situations").click()
    agenda = page.get_by_role("table").first
    assert first.reference in agenda.inner_text() and second.reference in agenda.inner_text()
    assert "Fictif" not in page.content()
    page.get_by_role("button", name=f"Monter {second.reference}").click()
    page.locator("#id_invite-user").select_option(label="Alice Test (Club de prévention Azimuts)")
    page.get_by_role("button", name="Inviter").click()
    page.locator("#id_presence-user").select_option(label="Alice Test (Club de prévention Azimuts)")
    page.get_by_label("La personne confirme son engagement de confidentialité").check()
    page.get_by_role("button", name="Enregistrer la présence").click()
    assert "engagement de confidentialité sont enregistrés" in page.get_by_role("status").first.inner_text()
    _shot(page, "seance-preparation")

    page.get_by_role("button", name="Ouvrir la séance").click()
    page.wait_for_url("**/mode/")
    assert second.reference in page.get_by_role("heading", level=1).inner_text()
    assert "FICTIF-NORD" not in page.content()
    _shot(page, "seance-mode")
    page.get_by_role("link", name="Afficher l'identité").click()
    page.get_by_text("FICTIF-NORD Sam").wait_for()
    page.keyboard.press("ArrowRight")
    page.wait_for_url("**point=2")
    assert first.reference in page.get_by_role("heading", level=1).inner_text()

    # Deciding without leaving the projected view; nothing ticked is refused with a message.
    page.get_by_role("button", name="Enregistrer la décision").click()
    assert "Choisissez la décision prise pour ce point." in page.locator("#form-errors").inner_text()
    assert page.title().startswith("Erreur : ")
    assert page.evaluate("document.activeElement.id") == "form-errors"
    # The error is shown in the projected view itself, on the same point: no way back to find.
    assert page.title().startswith("Erreur : Mode séance")
    assert first.reference in page.get_by_role("heading", level=1).inner_text()
    page.get_by_label("Examinée").check()
    page.get_by_role("button", name="Enregistrer la décision").click()
    page.wait_for_url("**/mode/?point=2")
    assert "La décision est enregistrée" in page.get_by_role("status").first.inner_text()
    page.get_by_label("Prochain examen fixé").check()
    page.get_by_label("Prochain examen le").fill((date + datetime.timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Enregistrer la décision").click()
    page.wait_for_url("**/mode/?point=2")
    _shot(page, "seance-decision")

    # Point n from the list, then back to the séance.
    page.get_by_label("Aller au point").select_option(label=f"1 — {second.reference}")
    page.get_by_role("button", name="Afficher ce point").click()
    page.wait_for_url("**point=1")
    assert second.reference in page.get_by_role("heading", level=1).inner_text()
    page.get_by_role("link", name="Quitter le mode séance").click()
    page.get_by_role("link", name="Clôturer la séance…").click()
    # Sent without the confirmation: the server's error summary, focused, as on every form.
    page.get_by_role("button", name="Clôturer la séance").click()
    page.locator("#form-errors").wait_for()
    assert page.title().startswith("Erreur : Clôturer la séance")
    assert page.evaluate("document.activeElement.id") == "form-errors"
    _shot(page, "seance-close-error")
    page.get_by_label("Je confirme la clôture de la séance").check()
    page.get_by_role("button", name="Clôturer la séance").click()
    assert "La séance est clôturée" in page.get_by_role("status").first.inner_text()
    with page.expect_download() as download:
        page.get_by_role("link", name="Relevé de décisions (PDF)").click()
    assert download.value.suggested_filename == f"releve-decisions-{date:%Y-%m-%d}.pdf"
    _shot(page, "seance-closed")
    context.close()

    seance = Seance.objects.get()
    assert seance.status == Seance.Status.CLOSED
    assert Attendance.objects.filter(seance=seance, user=alice).exists()
    assert list(Decision.objects.values_list("kind", flat=True).order_by("decided_at")) == [
        "examinee",
        "prochain_examen",
    ]


def test_at_phone_width_decide_takes_the_focus_to_the_decision_form(live_server, browser, alice, charlie):
    from seances import services
    from tests.seances.helpers import running_seance

    situation = make_situation(alice, last_name="Fictif-Roussel", first_name="Léa")
    services.objective_add(situation_id=situation.pk, by=charlie, domain="scolarite", label="Retour au collège")
    seance = running_seance(charlie, [situation])

    context, page = sign_in(browser, live_server, charlie)
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/seances/{seance.pk}/mode/")
    form_top = page.locator("#decide").bounding_box()["y"]
    assert form_top > 844, "the form starts below the first screen: the link is what brings it within reach"
    _shot(page, "seance-mode-390")

    page.get_by_role("link", name="Décider").click()

    assert page.evaluate("document.activeElement.id") == "decide"
    # Bootstrap scrolls smoothly: wait for the form to arrive on screen.
    page.wait_for_function(
        "() => { const top = document.getElementById('decide').getBoundingClientRect().top;"
        " return top >= 0 && top < window.innerHeight / 2; }"
    )
    page.screenshot(path=str(ARTIFACTS / "seance-mode-390-decide.png"))
    # An objective decided from the projected view, on the phone.
    page.get_by_label("Objectif ajouté au plan d'accompagnement").check()
    page.get_by_label("Domaine de l'objectif").select_option(label="Santé")
    page.get_by_label("Objectif", exact=True).fill("Bilan de santé")
    page.get_by_role("button", name="Enregistrer la décision").click()
    page.wait_for_url("**/mode/?point=1")
    assert "La décision est enregistrée" in page.get_by_role("status").first.inner_text()
    page.set_viewport_size({"width": 1366, "height": 900})
    assert not page.get_by_role("link", name="Décider").is_visible()
    page.get_by_role("link", name="Ouvrir le plan d'accompagnement").first.click()
    assert "Bilan de santé" in page.content()
    context.close()
    assert Decision.objects.get().kind == "objectif_fixe"
