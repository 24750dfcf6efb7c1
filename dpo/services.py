"""The DPO's rights requests with their four eyes (GDPR art. 15, 17 and 21): record, confirm, cancel,
execute (access file, erasure, objection), download."""

import base64

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from access.models import Role
from access.permissions import role_of
from audit.models import Kind
from audit.services import security_record
from casework.models import Person, Situation
from casework.services import situation_close_on_objection
from core.refusal import Refusal
from dpo import tasks
from dpo.models import RightsRequest


@transaction.atomic
def rights_request_create(*, kind: str, person: Person, by) -> RightsRequest:
    """The DPO records a request for one young person; a coordinator must confirm it."""

    if role_of(by) != Role.DPO:
        raise PermissionError("only the DPO records a rights request")
    references = " ".join(person.situations.order_by("received_on").values_list("reference", flat=True))
    if RightsRequest.objects.filter(kind=kind, person=person, status=RightsRequest.Status.AWAITING).exists():
        raise Refusal(_("Une demande de même nature attend déjà la confirmation pour cette personne."))
    request = RightsRequest.objects.create(kind=kind, person=person, references=references[:600], requested_by=by)
    security_record(
        Kind.RIGHTS_REQUESTED,
        user=by,
        obj=request,
        detail=f"{request.get_kind_display()} n° {request.short_id} — {references}"[:200],
    )
    return request


@transaction.atomic
def rights_request_confirm(*, request_id, by) -> RightsRequest:
    """A coordinator, who is not the requester, confirms: the access file is built, or the erasure runs."""

    request = RightsRequest.objects.select_for_update().get(pk=request_id)
    if role_of(by) != Role.COORDINATOR:
        raise Refusal(_("Seul un coordonnateur peut confirmer une demande."))
    if by.pk == request.requested_by_id:
        raise Refusal(_("La personne qui a enregistré la demande ne peut pas la confirmer elle-même."))
    if request.status != RightsRequest.Status.AWAITING:
        raise Refusal(_("Cette demande n'attend plus de confirmation."))
    request.status = RightsRequest.Status.RUNNING
    request.confirmed_by, request.confirmed_at = by, timezone.now()
    request.save()
    security_record(
        Kind.RIGHTS_CONFIRMED,
        user=by,
        obj=request,
        detail=f"{request.get_kind_display()} n° {request.short_id} — {request.references}"[:200],
    )
    if request.kind == RightsRequest.Kind.OBJECTION:
        # Upheld by the four eyes: the follow-up stops at once, in this transaction.
        return objection_execute(request=request, by=by)
    task = tasks.access_export if request.kind == RightsRequest.Kind.ACCESS else tasks.erasure
    transaction.on_commit(lambda: task.delay(str(request.pk)))
    return request


def objection_execute(*, request: RightsRequest, by) -> RightsRequest:
    """An upheld objection (art. 21): every situation of the person still open closes with the coded
    reason « opposition », from today, so that its retention runs from now; what hangs on it ends
    with it (referrals, steps, temporary grants). Ended situations stay as they are."""
    closed = 0
    if request.person_id is not None:
        for situation_id in list(Situation.objects.filter(person_id=request.person_id).values_list("pk", flat=True)):
            closed += situation_close_on_objection(situation_id=situation_id, by=by) is not None
    request.status = RightsRequest.Status.DONE
    request.progress = 100
    request.finished_at = timezone.now()
    request.outcome = ngettext(
        "%(count)d situation clôturée pour opposition", "%(count)d situations clôturées pour opposition", closed
    ) % {"count": closed}
    request.save()
    return request


@transaction.atomic
def rights_request_cancel(*, request_id, by) -> RightsRequest:
    """The DPO withdraws, or a coordinator declines, a request that was not confirmed yet."""
    request = RightsRequest.objects.select_for_update().get(pk=request_id)
    if role_of(by) not in (Role.DPO, Role.COORDINATOR):
        raise PermissionError("only the DPO or a coordinator cancels a rights request")
    if request.status != RightsRequest.Status.AWAITING:
        raise Refusal(_("Cette demande n'attend plus de confirmation."))
    request.status = RightsRequest.Status.CANCELLED
    request.cancelled_by, request.finished_at = by, timezone.now()
    request.save()
    return request


def subject_access_download(*, request_id, by, fmt: str) -> tuple[bytes, str]:
    """The DPO downloads the file of a done access request; each download is recorded per reference."""

    if role_of(by) != Role.DPO:
        raise PermissionError("only the DPO downloads an access file")
    request = RightsRequest.objects.select_related("file__data_key").get(pk=request_id)
    if request.status != RightsRequest.Status.DONE or request.confirmed_by_id is None:
        raise Refusal(_("Ce dossier n'est pas disponible : la demande n'est pas confirmée ou pas terminée."))
    try:
        stored = request.file
    except RightsRequest.file.RelatedObjectDoesNotExist:
        raise Refusal(_("Ce dossier a expiré ou a été effacé avec les données de la personne.")) from None
    body = base64.b64decode(stored.pdf) if fmt == "pdf" else stored.json.encode()
    for reference in request.references.split() or [""]:
        security_record(
            Kind.SUBJECT_ACCESS_DOWNLOAD,
            user=by,
            obj=request,
            situation_reference=reference,
            detail=f"demande n° {request.short_id} — {fmt}",
        )
    return body, fmt
