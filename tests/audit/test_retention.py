"""Retention periods are set by the DPO, on the data-protection screens, and recorded."""

import pytest

from audit.models import Event, Kind
from casework.models import RetentionRule
from casework.services import retention_rule_set

pytestmark = pytest.mark.django_db


def form(**values):
    data = {"non_retenue_days": 365, "non_retenue_dpia": "AIPD § 6.2", "cloturee_days": 1095, "cloturee_dpia": "§ 6.3"}
    return {**data, **values}


def test_the_dpo_sets_a_period_and_it_is_recorded(client_for, dora):
    response = client_for(dora).post("/donnees/conservation/", form(cloturee_days=1460))

    assert response.status_code == 302
    rule = RetentionRule.objects.get(status="cloturee")
    assert (rule.days, rule.dpia_reference, rule.updated_by) == (1460, "§ 6.3", dora)
    assert Event.objects.filter(kind=Kind.RETENTION_CHANGED, detail__contains="1095 j → 1460 j").exists()


def test_shortening_a_period_asks_for_confirmation(client_for, dora):
    client = client_for(dora)

    refused = client.post("/donnees/conservation/", form(non_retenue_days=180))
    accepted = client.post("/donnees/conservation/", form(non_retenue_days=180, confirm_shorter="on"))

    assert refused.status_code == 200 and "doit être confirmée" in refused.content.decode()
    assert accepted.status_code == 302
    assert RetentionRule.objects.get(status="non_retenue").days == 180


def test_a_period_of_a_few_days_is_refused(client_for, dora):
    response = client_for(dora).post("/donnees/conservation/", form(non_retenue_days=3, confirm_shorter="on"))

    assert response.status_code == 200
    assert RetentionRule.objects.get(status="non_retenue").days == 365


@pytest.mark.parametrize("who", ["adam", "charlie"])
def test_only_the_dpo_sets_periods(who, request, client_for):
    user = request.getfixturevalue(who)

    assert client_for(user).post("/donnees/conservation/", form(cloturee_days=400)).status_code == 403
    with pytest.raises(PermissionError):
        retention_rule_set(status="cloturee", days=400, dpia_reference="x", by=user)
