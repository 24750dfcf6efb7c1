"""The anonymous evaluation counts the plans' objectives by domain and the signalements by recipient,
with the same small-cell suppression as every table."""

import datetime

import pytest

from casework.models import Signalement
from seances.models import Objective
from tests.evaluation.dataset import PERIOD, build
from tests.evaluation.test_evaluation import in_scope, scope_of, tables

pytestmark = pytest.mark.django_db


@pytest.fixture
def dataset(alice, charlie, maya, mission_locale):
    return build(alice, charlie, mission_locale)


def objective(situation, by, domain, status):
    return Objective.objects.create(
        situation=situation, data_key_id=situation.data_key_id, domain=domain, label="x", status=status, created_by=by
    )


def test_objectives_reached_by_domain_with_small_counts_hidden(dataset, alice):
    actions, _schemes = dataset
    situations = in_scope(actions)
    for situation in situations[:6]:
        objective(situation, alice, "scolarite", Objective.Status.REACHED)
    for situation in situations[:2]:
        objective(situation, alice, "sante", Objective.Status.REACHED)

    table = tables(scope_of(actions))["objectifs"]
    lines = {label: cells for label, cells, _total in table.lines()}
    reached = table.columns.index("Atteint")
    assert lines["Scolarité"][reached].label == "6"
    assert lines["Santé"][reached].hidden


def test_signalements_by_recipient(dataset, alice):
    actions, _schemes = dataset
    situations = in_scope(actions)
    for situation in situations[:5]:
        Signalement.objects.create(
            situation=situation,
            data_key_id=situation.data_key_id,
            sent_on=PERIOD[0] + datetime.timedelta(days=20),
            recipient=Signalement.Recipient.CRIP,
            mode=Signalement.Mode.FORM,
            recorded_by=alice,
        )
    table = tables(scope_of(actions))["signalements"]
    lines = {label: cells for label, cells, _total in table.lines()}
    assert lines["CRIP du Département (information préoccupante)"][0].label == "5"
