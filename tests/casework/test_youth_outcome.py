"""« Situation du jeune à la fin du suivi »: required at the closure of a followed situation, optional
for a saisine not retained, kept in the anonymous counters when the situation is purged."""

import pytest
from django.utils import timezone

from casework.models import ClosureReason, EvaluationCount, Situation
from casework.services import situation_close, situation_update
from dpo.purge import retention_purge
from tests.casework.helpers import make_due
from tests.casework.test_lifecycle import active
from tests.factories import make_situation

pytestmark = pytest.mark.django_db


def close(situation, by, outcome):
    return situation_close(
        situation_id=situation.pk,
        by=by,
        expected_version=situation.version,
        reason=ClosureReason.objects.get(code="objectifs-atteints"),
        closed_on=timezone.localdate(),
        outcome=outcome,
    )


def test_closing_a_followed_situation_without_the_outcome_is_refused(alice, charlie):
    situation = active(make_situation(alice), charlie)

    for outcome in ("", "inconnue"):
        with pytest.raises(ValueError, match="situation du jeune à la fin du suivi"):
            close(situation, charlie, outcome)

    assert Situation.objects.get(pk=situation.pk).status == Situation.Status.ACTIVE


def test_the_closure_form_asks_for_the_outcome(client_for, alice, charlie):
    situation = active(make_situation(alice), charlie)
    data = {"reason": ClosureReason.objects.first().pk, "closed_on": "2026-10-20", "version": situation.version}
    client = client_for(alice)

    response = client.post(f"/situations/{situation.pk}/cloture/", data | {"confirm": "on"})

    assert response.status_code == 200
    assert "Indiquez la situation du jeune à la fin du suivi." in response.content.decode()
    assert Situation.objects.get(pk=situation.pk).status == Situation.Status.ACTIVE

    response = client.post(f"/situations/{situation.pk}/cloture/", data | {"confirm": "on", "outcome": "formation"})

    assert response.status_code == 302
    assert Situation.objects.get(pk=situation.pk).youth_outcome == "formation"


def test_the_outcome_is_optional_for_a_saisine_not_retained(alice, charlie):
    without, with_outcome = make_situation(alice), make_situation(alice)
    for situation, changes in ((without, {}), (with_outcome, {"youth_outcome": "droit-commun"})):
        situation = situation_update(
            situation_id=situation.pk, by=charlie, expected_version=situation.version, changes={"status": "examinee"}
        )
        situation_update(
            situation_id=situation.pk,
            by=charlie,
            expected_version=situation.version,
            changes={"status": "non_retenue"} | changes,
        )

    assert Situation.objects.get(pk=without.pk).youth_outcome == ""
    assert Situation.objects.get(pk=with_outcome.pk).youth_outcome == "droit-commun"


def test_a_followed_situation_gets_its_outcome_only_by_closing(alice, charlie):
    situation = active(make_situation(alice), charlie)

    with pytest.raises(ValueError, match="non retenue"):
        situation_update(
            situation_id=situation.pk,
            by=charlie,
            expected_version=situation.version,
            changes={"youth_outcome": "emploi"},
        )


def test_the_purge_keeps_the_outcome_in_the_anonymous_counters(alice, charlie):
    situation = close(active(make_situation(alice), charlie), charlie, "emploi")
    make_due(situation, status=Situation.Status.CLOSED)

    retention_purge()

    assert not Situation.objects.filter(pk=situation.pk).exists()
    assert list(EvaluationCount.objects.values_list("status", "youth_outcome", "count")) == [
        (Situation.Status.CLOSED, "emploi", 1)
    ]
