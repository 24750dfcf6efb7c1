"""The pilot partner steers its fiches-actions (indicators, values, state of progress); nobody else but
the coordination does, and every change is in the trail."""

import datetime

import pytest
from django.urls import reverse

from audit.models import ChangeEntry
from core.refusal import Refusal
from evaluation.evaluation import Period, Scope, evaluation, indicator_status
from strategy.models import CollectiveSession, Indicator, IndicatorValue, Progress
from strategy.services import action_progress_record, indicator_value_record
from tests.evaluation.dataset import PERIOD, build
from tests.factories import make_action

pytestmark = pytest.mark.django_db
INDICATOR = {
    "formulaire": "indicateur",
    "ind-label": "Jeunes accompagnés vers l'emploi",
    "ind-unit": "jeunes",
    "ind-baseline": "10",
    "ind-target": "25",
    "ind-starts_on": "2026-01-01",
    "ind-ends_on": "2026-12-31",
    "ind-source": "saisie",
}


def url(action):
    return reverse("evaluation:fiche_detail", args=[action.pk])


@pytest.fixture
def fiche(mission_locale):
    """Fiche-action 2.2, piloted by the Mission locale (Maya's partner)."""
    return make_action(mission_locale, "2.2")


def test_the_pilot_records_an_indicator_a_value_and_the_progress(client_for, maya, fiche):
    client = client_for(maya)

    assert client.post(url(fiche), INDICATOR).status_code == 302
    indicator = Indicator.objects.get(action=fiche)
    client.post(
        url(fiche),
        {
            "formulaire": "valeur",
            "val-indicator": indicator.pk,
            "val-value": "18",
            "val-measured_on": "2026-06-30",
            "val-source": "Bilan semestriel",
        },
    )
    client.post(
        url(fiche),
        {"formulaire": "avancement", "av-state": "en_cours", "av-on": "2026-07-01", "av-comment": "Deux sessions."},
    )

    assert IndicatorValue.objects.get().source == "Bilan semestriel"
    assert Progress.objects.get().state == "en_cours"
    page = client.get(url(fiche)).content.decode()
    assert "Jeunes accompagnés vers l&#x27;emploi" in page and "Bilan semestriel" in page and "En cours" in page
    status = indicator_status(indicator)
    assert (status.value, status.target, status.reached) == ("18", "25", False)


def test_every_change_is_in_the_trail_with_its_actor(client_for, maya, fiche):
    client = client_for(maya)
    client.post(url(fiche), INDICATOR)
    indicator = Indicator.objects.get()
    client.post(f"{url(fiche)}?indicateur={indicator.pk}", INDICATOR | {"ind-target": "30"})

    entries = ChangeEntry.objects.get_for_object(indicator).order_by("timestamp")
    assert [entry.actor for entry in entries] == [maya, maya]
    assert Indicator.objects.get().target == 30


def test_a_pilot_of_another_fiche_gets_404_and_changes_nothing(client_for, alice, azimuts, fiche):
    make_action(azimuts, "1.1")  # Alice's partner pilots another fiche-action.
    client = client_for(alice)

    assert client.get(url(fiche)).status_code == 404
    assert client.post(url(fiche), INDICATOR).status_code == 404
    assert not Indicator.objects.exists()


def test_staff_of_a_partner_piloting_nothing_get_403(client_for, bob, fiche):
    assert client_for(bob).get(url(fiche)).status_code == 403
    assert client_for(bob).get(reverse("evaluation:fiche_list")).status_code == 403


def test_the_services_refuse_anyone_but_the_pilot_and_the_coordination(alice, charlie, maya, fiche):
    indicator = Indicator.objects.create(
        action=fiche,
        label="x",
        unit="u",
        starts_on=datetime.date(2026, 1, 1),
        ends_on=datetime.date(2026, 12, 31),
        created_by=maya,
    )
    with pytest.raises(Refusal):
        indicator_value_record(
            indicator=indicator, value=3, measured_on=datetime.date(2026, 3, 1), source="s", by=alice
        )
    with pytest.raises(Refusal):
        action_progress_record(action=fiche, state="en_cours", on=datetime.date(2026, 3, 1), comment="", by=alice)
    action_progress_record(action=fiche, state="realisee", on=datetime.date(2026, 3, 1), comment="", by=charlie)
    assert Progress.objects.get().recorded_by == charlie


def test_a_computed_indicator_counts_the_fiches_situations_and_hides_small_counts(alice, charlie, maya, mission_locale):
    actions, _schemes = build(alice, charlie, mission_locale)
    youth = actions[1]
    indicator = Indicator.objects.create(
        action=youth,
        label="Jeunes",
        unit="jeunes",
        starts_on=PERIOD[0],
        ends_on=PERIOD[1],
        source="situations",
        created_by=maya,
    )
    expected = youth.situation_links.filter(situation__received_on__range=PERIOD).count()

    value = indicator_status(indicator).value

    assert value == (str(expected) if expected >= 5 or expected == 0 else "< 5")
    assert expected >= 5
    with pytest.raises(Refusal, match="calculé"):
        indicator_value_record(indicator=indicator, value=3, measured_on=PERIOD[0], source="s", by=maya)


def collective(action, **counts):
    """The collective-session form's data: `counts` as n_<band index>_<gender or x>=number."""
    data = {"formulaire": "collective", "col-held_on": "2026-05-06", "col-label": "Accueil jeune du mercredi"}
    return data | {f"col-{name}": str(number) for name, number in counts.items()}


def test_the_pilot_records_a_collective_session_as_counts_only(client_for, maya, fiche):
    client = client_for(maya)

    response = client.post(url(fiche), collective(fiche, n_1_F=7, n_1_M=9, n_2_x=2))

    assert response.status_code == 302
    session = CollectiveSession.objects.get()
    assert sorted(session.counts.values_list("age_band", "gender", "count")) == [
        ("13-15", "F", 7),
        ("13-15", "M", 9),
        ("16-17", "", 2),
    ]
    assert "18 participants" in client.get(url(fiche)).content.decode()


def test_a_collective_session_without_participants_is_refused(client_for, maya, fiche):
    response = client_for(maya).post(url(fiche), collective(fiche))

    assert "Indiquez au moins un participant." in response.content.decode()
    assert not CollectiveSession.objects.exists()


def test_collective_counts_feed_the_indicators_and_the_report(client_for, maya, fiche):
    client = client_for(maya)
    client.post(url(fiche), collective(fiche, n_1_F=7, n_1_M=9, n_2_x=2))
    client.post(url(fiche), collective(fiche, n_1_F=3, n_3_M=6) | {"col-held_on": "2026-06-03"})
    client.post(url(fiche), collective(fiche, n_1_F=50) | {"col-held_on": "2025-06-03"})  # before the period
    indicators = {
        source: Indicator.objects.create(
            action=fiche,
            label=source,
            unit="u",
            starts_on=datetime.date(2026, 1, 1),
            ends_on=datetime.date(2026, 12, 31),
            source=source,
            created_by=maya,
        )
        for source in ("participants", "seances_collectives")
    }

    assert indicator_status(indicators["participants"]).value == "27"
    assert indicator_status(indicators["seances_collectives"]).value == "2"
    scope = Scope(fiche.strategy, Period.months(datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)))
    table = {t.key: t for t in evaluation(scope).tables}["collectives"]
    found = {
        (band, gender): count
        for band, row in zip(table.rows, table.counts, strict=True)
        for gender, count in zip(table.columns, row, strict=True)
        if count
    }
    assert found == {
        ("13-15", "Fille / femme"): 10,
        ("13-15", "Garçon / homme"): 9,
        ("16-17", "Non renseigné"): 2,
        ("18-21", "Garçon / homme"): 6,
    }
    assert table.published.total.label == "27"
