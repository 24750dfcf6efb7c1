"""Builders for the rights-request tests: through the real services, as the app does."""

from django.contrib.auth import get_user_model
from django.test import TestCase

from casework.models import Situation
from dpo.models import RightsRequest
from dpo.services import rights_request_confirm, rights_request_create


def user(username: str):
    return get_user_model().objects.get(username=username)


def access_request(situation: Situation, *, kind: str = RightsRequest.Kind.ACCESS) -> RightsRequest:
    return rights_request_create(kind=kind, person=situation.person, by=user("dora"))


def done_access_request(situation: Situation) -> RightsRequest:
    """Requested by dora (DPO), confirmed by charlie (coordinator); the task runs in-process."""
    request = access_request(situation)
    confirm(request)
    return request


def confirm(request: RightsRequest, by: str = "charlie") -> RightsRequest:
    """Confirm and run the task, which starts once the transaction commits."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        rights_request_confirm(request_id=request.pk, by=user(by))
    request.refresh_from_db()
    return request
