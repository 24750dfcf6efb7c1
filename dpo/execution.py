"""What the worker does with a confirmed rights request (the tasks of `dpo.tasks`): carry out an
erasure, or mark a request whose task failed. `dpo.services` enqueues those tasks; this module
imports neither, so the three stay out of a circle."""

from django.utils import timezone
from django.utils.translation import ngettext

from casework.models import Situation
from casework.retention import Cause
from core.refusal import Refusal
from dpo.models import RightsRequest
from dpo.purge import situation_purge


def erasure_execute(*, request_id) -> RightsRequest:
    """Purge every situation of the person, one transaction each, like the retention purge; run
    again after an interruption, it finishes the rest."""

    request = RightsRequest.objects.get(pk=request_id)
    if request.kind != RightsRequest.Kind.ERASURE or request.confirmed_by_id is None:
        raise Refusal("an erasure runs only once confirmed")
    purged = 0
    if request.person_id is not None:
        for situation_id in list(Situation.objects.filter(person_id=request.person_id).values_list("pk", flat=True)):
            purged += situation_purge(situation_id=situation_id, cause=Cause.ERASURE) is not None
    RightsRequest.objects.filter(pk=request.pk).update(
        status=RightsRequest.Status.DONE,
        progress=100,
        finished_at=timezone.now(),
        outcome=ngettext("%(count)d situation effacée", "%(count)d situations effacées", purged) % {"count": purged},
    )
    request.refresh_from_db()
    return request


def rights_request_fail(*, request_id) -> None:
    """Mark a request whose task failed, so that the DPO sees it rather than an endless "en cours"."""
    RightsRequest.objects.filter(pk=request_id, status=RightsRequest.Status.RUNNING).update(
        status=RightsRequest.Status.FAILED, finished_at=timezone.now()
    )
