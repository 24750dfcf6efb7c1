"""The right to object (GDPR art. 21) as a rights request: four eyes, then every open situation of the
person closes with the coded reason « opposition », and what hangs on it ends."""

import datetime

import pytest
from django.utils import timezone

from casework.forms import ClosureForm
from casework.models import RetentionRule, Situation
from casework.retention import due_filter
from casework.services import situation_update
from core.refusal import Refusal
from dpo.models import RightsRequest
from dpo.services import rights_request_confirm
from referrals import services as referral_services
from referrals.models import Referral
from tests.dpo.helpers import access_request, confirm
from tests.factories import make_scheme, make_situation

pytestmark = pytest.mark.django_db


def objection(situation):
    return access_request(situation, kind=RightsRequest.Kind.OBJECTION)


def test_an_objection_waits_for_the_second_pair_of_eyes(alice, charlie, dora):
    situation = make_situation(alice)
    request = objection(situation)
    with pytest.raises(Refusal):
        rights_request_confirm(request_id=request.pk, by=dora)
    situation.refresh_from_db()
    assert situation.status == Situation.Status.RECEIVED


def test_an_upheld_objection_closes_the_situation_with_the_objection_reason(alice, charlie, dora):
    situation = make_situation(alice)
    situation = situation_update(
        situation_id=situation.pk, by=charlie, expected_version=situation.version, changes={"status": "examinee"}
    )
    request = confirm(objection(situation))

    situation.refresh_from_db()
    assert situation.status == Situation.Status.CLOSED
    assert situation.closure_reason.code == "opposition"
    assert situation.closed_on == timezone.localdate()
    assert request.status == RightsRequest.Status.DONE
    assert request.outcome == "1 situation clôturée pour opposition"


def test_its_retention_runs_from_the_objection(alice, charlie, dora):
    situation = make_situation(alice)
    confirm(objection(situation))
    days = RetentionRule.objects.get(status=Situation.Status.CLOSED).days
    later = timezone.localdate() + datetime.timedelta(days=days + 1)
    assert Situation.objects.filter(due_filter(on=later), pk=situation.pk).exists()
    assert not Situation.objects.filter(due_filter(on=timezone.localdate()), pk=situation.pk).exists()


def test_an_objection_ends_the_open_referrals(alice, charlie, dora, maya, mission_locale):
    situation = make_situation(alice)
    referral = referral_services.referral_propose(situation=situation, scheme=make_scheme(mission_locale), by=alice)
    referral_services.referral_send(referral_id=referral.pk, by=alice)
    confirm(objection(situation))
    referral.refresh_from_db()
    assert (referral.state, referral.outcome.code) == (Referral.State.ENDED, "cloture-situation")


def test_the_objection_reason_is_not_offered_when_closing_by_hand(alice):
    assert not ClosureForm(situation=make_situation(alice)).fields["reason"].queryset.filter(code="opposition").exists()
