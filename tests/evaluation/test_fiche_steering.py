"""The pilot partner steers its fiches-actions (indicators, values, state of progress); nobody else but
the coordination does, and every change is in the trail."""

import datetime

import pytest
from django.urls import reverse

from audit.models import ChangeEntry
from core.refusal import Refusal
from evaluation.evaluation import indicator_status
from strategy.models import Indicator, IndicatorValue, Progress
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
