"""Who sees the evaluation, what each view records, and what the report and spreadsheet contain."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from access.models import Partner
from audit.models import Event, Kind
from casework.models import Person, Situation
from tests.evaluation.dataset import build
from tests.factories import make_action, make_partner, make_user

pytestmark = pytest.mark.django_db
PERIOD = {"start": "2026-01", "end": "2026-10"}


@pytest.fixture
def dataset(alice, charlie, maya, mission_locale):
    return build(alice, charlie, mission_locale)


@pytest.fixture
def strategy(dataset):
    return dataset[0][0].strategy


def dashboard_url(strategy):
    return reverse("evaluation:dashboard", args=[strategy.pk])


def test_the_coordinator_sees_the_dashboard(client_for, charlie, strategy):
    response = client_for(charlie).get(dashboard_url(strategy), PERIOD)
    assert response.status_code == 200
    assert "Situations reçues sur la période, par statut actuel" in response.content.decode()


def test_a_pilot_sees_the_dashboard(client_for, maya, strategy):
    # Maya's partner (Mission locale) pilots fiche-action 2.2.
    assert client_for(maya).get(dashboard_url(strategy), PERIOD).status_code == 200
    assert client_for(maya).get(reverse("evaluation:evaluation_home"))["Location"] == dashboard_url(strategy)


def test_staff_of_a_partner_piloting_nothing_get_403_then_404(client_for, bob, strategy):
    assert client_for(bob).get(reverse("evaluation:evaluation_home")).status_code == 403
    assert client_for(bob).get(dashboard_url(strategy)).status_code == 403


def test_a_pilot_of_another_strategy_gets_404(client_for, maya, strategy, mission_locale):
    from strategy.models import Strategy

    other = Strategy.objects.create(title="Autre", starts_on="2022-01-01", ends_on="2024-12-31")
    assert client_for(maya).get(dashboard_url(other)).status_code == 404
    assert client_for(maya).get(reverse("evaluation:report_pdf", args=[other.pk])).status_code == 404


def test_a_pilot_whose_action_is_inactive_is_no_pilot(client_for, maya, strategy):
    strategy.actions.filter(pilot=maya.membership.partner).update(active=False)
    assert client_for(maya).get(dashboard_url(strategy)).status_code == 403


def test_a_pilot_without_the_accepted_charter_meets_the_charter_first(client_for, strategy, mission_locale):
    newcomer = make_user("nina", mission_locale, accept_charter=False)
    assert client_for(newcomer).get(dashboard_url(strategy))["Location"].startswith(reverse("access:charter"))


def test_a_pilot_whose_partner_has_not_signed_gets_403(client_for, strategy):
    landlord = make_partner("Bailleur", Partner.Kind.LANDLORD, signed=False)
    make_action(landlord, "1.1", strategy=strategy)
    assert client_for(make_user("paul", landlord)).get(dashboard_url(strategy)).status_code == 403


@pytest.mark.parametrize("role_user", ["dora", "adam"])
def test_dpo_and_admin_get_403(client_for, strategy, role_user, request):
    client = client_for(request.getfixturevalue(role_user))
    assert client.get(dashboard_url(strategy)).status_code == 403
    assert client.get(reverse("evaluation:report_pdf", args=[strategy.pk])).status_code == 403


def test_each_view_is_recorded_as_an_event(client_for, charlie, strategy):
    client_for(charlie).get(dashboard_url(strategy), PERIOD)
    event = Event.objects.get(kind=Kind.EVALUATION_VIEW)
    assert (event.user, event.object_id) == (charlie, str(strategy.pk))
    assert "tableau de bord" in event.detail and "01/2026" in event.detail


@pytest.mark.parametrize("name", ["report_pdf", "report_xlsx"])
def test_each_download_is_recorded_as_an_event(client_for, maya, strategy, name):
    response = client_for(maya).get(reverse(f"evaluation:{name}", args=[strategy.pk]), PERIOD)
    assert response.status_code == 200 and response["Content-Disposition"].startswith("attachment")
    assert Event.objects.get(kind=Kind.EVALUATION_EXPORT).user == maya


def identity_values() -> list[str]:
    """What must never appear: references, and every person's names and birth dates."""
    values = list(Situation.objects.values_list("reference", flat=True))
    for person in Person.objects.all():
        values += [person.last_name, person.first_name, person.birth_date.strftime("%d/%m/%Y"), str(person.birth_date)]
    return values


def test_dashboard_shows_no_reference_or_identity(client_for, charlie, strategy):
    page = client_for(charlie).get(dashboard_url(strategy), PERIOD).content.decode()
    assert "GSN-" not in page
    assert [value for value in identity_values() if value in page] == []


def test_the_report_pdf_contains_no_reference_or_identity(client_for, charlie, strategy):
    response = client_for(charlie).get(reverse("evaluation:report_pdf", args=[strategy.pk]), PERIOD)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Bilan du groupe de suivi nominatif" in text and "Secret statistique" in text
    assert "GSN-" not in text
    assert [value for value in identity_values() if value in text] == []


def test_the_spreadsheet_holds_no_count_from_1_to_4(client_for, charlie, strategy):
    response = client_for(charlie).get(reverse("evaluation:report_xlsx", args=[strategy.pk]), PERIOD)
    book = load_workbook(io.BytesIO(response.content))
    numbers = [
        cell.value
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, int)
    ]
    labels = {cell.value for sheet in book.worksheets for row in sheet.iter_rows() for cell in row}
    assert numbers and not [n for n in numbers if 0 < n < 5]
    assert "< 5" in labels
    text = " ".join(str(v) for v in labels if v is not None)
    assert "GSN-" not in text and [value for value in identity_values() if value in text] == []


def test_a_strategy_title_starting_with_equals_is_text_in_the_spreadsheet(client_for, charlie, strategy):
    title = '=HYPERLINK("http://x","y")'
    strategy.title = title
    strategy.save()

    response = client_for(charlie).get(reverse("evaluation:report_xlsx", args=[strategy.pk]), PERIOD)

    book = load_workbook(io.BytesIO(response.content))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    assert title in [cell.value for cell in cells]


def test_the_dashboard_shows_no_count_from_1_to_4(client_for, charlie, strategy):
    page = client_for(charlie).get(dashboard_url(strategy), PERIOD).content.decode()
    cells = re.findall(r'<td class="text-end[^"]*">([^<]*)</td>', page)
    assert cells and not [c for c in cells if c.strip() in {"1", "2", "3", "4"}]
    assert "&lt; 5" in page


def test_charts_are_accessible_and_followed_by_their_table(client_for, charlie, strategy):
    page = client_for(charlie).get(dashboard_url(strategy), PERIOD).content.decode()
    assert page.count('role="img"') >= 5
    assert 'aria-labelledby="graphique-statuts-titre"' in page
    assert page.index("graphique-statuts") < page.index('<caption class="visually-hidden">Situations reçues')


def test_an_invalid_period_falls_back_to_the_default(client_for, charlie, strategy):
    response = client_for(charlie).get(dashboard_url(strategy), {"start": "2026-05", "end": "2026-01"})
    assert response.status_code == 200
    assert "Le dernier mois doit suivre le premier." in response.content.decode()


def test_the_report_sums_up_each_axis_with_progress_and_target_against_value(client_for, charlie, maya, dataset):
    import datetime

    from strategy.models import Indicator, IndicatorValue, Progress

    youth = dataset[0][1]
    indicator = Indicator.objects.create(
        action=youth,
        label="Jeunes en emploi ou en formation",
        unit="jeunes",
        target=40,
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
        created_by=maya,
    )
    IndicatorValue.objects.create(
        indicator=indicator, value=27, measured_on=datetime.date(2026, 9, 30), source="Bilan ML", entered_by=maya
    )
    Progress.objects.create(action=youth, state="en_cours", on=datetime.date(2026, 9, 30), comment="", recorded_by=maya)
    client = client_for(charlie)

    response = client.get(reverse("evaluation:report_pdf", args=[youth.strategy.pk]), PERIOD)
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages]
    summary = next(text for text in pages if "Synthèse — Axe 2" in text)
    assert "Jeunes en emploi ou en formation" in summary and "En cours" in summary
    assert re.search(r"40\s*27", summary)

    response = client.get(reverse("evaluation:report_xlsx", args=[youth.strategy.pk]), PERIOD)
    rows = list(load_workbook(io.BytesIO(response.content))["Synthèse par axe"].values)
    row = next(r for r in rows if len(r) > 3 and r[3] == "Jeunes en emploi ou en formation (jeunes)")
    assert row[:3] == ("2.2 Fiche-action 2.2", "Mission locale", "En cours (30/09/2026)")
    assert row[4:6] == ("40", "27")


def test_the_dashboard_compares_two_periods_side_by_side(client_for, charlie, strategy):
    from evaluation.evaluation import Period, Scope, evaluation

    query = PERIOD | {"compare_start": "2025-01", "compare_end": "2025-12"}

    response = client_for(charlie).get(dashboard_url(strategy), query)

    page = response.content.decode()
    assert "de 01/2026 à 10/2026" in page.lower() and "de 01/2025 à 12/2025" in page.lower()
    compared = {t.key: t for t in response.context["compared"].tables}
    expected = evaluation(Scope(strategy, Period.months(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))))
    assert {t.key: t.counts for t in expected.tables} == {key: t.counts for key, t in compared.items()}


def test_overlapping_periods_are_refused(client_for, charlie, strategy):
    query = PERIOD | {"compare_start": "2025-06", "compare_end": "2026-02"}

    response = client_for(charlie).get(dashboard_url(strategy), query)

    assert "Les deux périodes ne doivent avoir aucun mois en commun" in response.content.decode()
    assert response.context["compared"] is None
