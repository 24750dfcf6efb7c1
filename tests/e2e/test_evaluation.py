"""The coordinator opens the evaluation, narrows it to an axis and downloads the plenary's report."""

import pytest
from pypdf import PdfReader

from audit.models import Event, Kind
from tests.e2e.test_referrals import _artifact, sign_in
from tests.evaluation.dataset import build

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_the_coordinator_filters_an_axis_and_downloads_the_report(live_server, browser, alice, charlie, maya):
    actions, _schemes = build(alice, charlie, maya.membership.partner)
    context, page = sign_in(browser, live_server, charlie)
    page.get_by_role("button", name="Évaluation").click()
    page.get_by_role("link", name="Tableau de bord et bilan").click()
    page.get_by_label("Du mois").fill("2026-01")
    page.get_by_label("au mois").fill("2026-10")
    page.get_by_label("Axe").select_option(label=str(actions[0].axis))
    page.get_by_role("button", name="Afficher").click()
    assert page.get_by_text(f"{actions[0].axis} — de 01/2026 à 10/2026").is_visible()
    assert page.get_by_role("img", name="Situations reçues sur la période, par statut actuel").is_visible()
    page.screenshot(path=_artifact("evaluation-dashboard"), full_page=True)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Bilan pour la plénière (PDF)").click()
    pdf = download_info.value
    assert pdf.suggested_filename == "bilan-gsn-202601-202610.pdf"
    text = "".join(p.extract_text() for p in PdfReader(pdf.path()).pages)
    assert str(actions[0].axis) in text
    context.close()

    assert Event.objects.filter(kind=Kind.EVALUATION_VIEW, user=charlie).count() == 2
    assert Event.objects.filter(kind=Kind.EVALUATION_EXPORT, user=charlie).count() == 1


def test_a_pilot_records_the_progress_of_its_fiche_action(live_server, browser, maya):
    from tests.e2e.conftest import axe_violations
    from tests.factories import make_action

    fiche = make_action(maya.membership.partner, "2.2", title="Accueil jeune")
    context, page = sign_in(browser, live_server, maya)
    page.get_by_role("button", name="Évaluation").click()
    page.get_by_role("link", name="Suivi des fiches-actions").click()
    page.get_by_role("link", name="2.2 Accueil jeune").click()
    form = page.locator("#form-avancement")
    form.get_by_role("button", name="Enregistrer l'état").click()
    assert form.get_by_text("Ce champ est obligatoire.").first.is_visible()
    form.get_by_label("État d'avancement").select_option(label="En cours")
    form.get_by_label("À la date du").fill("2026-10-01")
    form.get_by_label("Commentaire").fill("Deux séances tenues.")
    form.get_by_role("button", name="Enregistrer l'état").click()
    assert page.get_by_text("L'état d'avancement est enregistré.").is_visible()
    assert axe_violations(page) == []
    page.screenshot(path=_artifact("fiche-action-steering"), full_page=True)
    context.close()

    assert fiche.progress.get().comment == "Deux séances tenues."
