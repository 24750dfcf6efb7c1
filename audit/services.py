"""Writes to the audit trail: read events and security events (privacy invariant 5).

Views pass their request; services that run inside a request (permission grants, say) find it in
`audit.context`. Rows get their content MAC here; the sealer chains them later (`audit.chain`).
"""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction

from audit import chain
from audit.chain import content_mac
from audit.context import current_request
from audit.models import Event, Kind, Purpose
from audit.request import client_ip


def _partner_id(user) -> int | None:
    """The partner the user belongs to when the event happens (the trail imports no app: the
    membership is read through the user's reverse relation)."""
    if user is None or not user.is_authenticated:
        return None
    try:
        return user.membership.partner_id
    except ObjectDoesNotExist:
        return None


def _origin(request) -> dict:
    if request is None:
        return {"ip_address": None, "user_agent": ""}
    return {"ip_address": client_ip(request), "user_agent": request.META.get("HTTP_USER_AGENT", "")[:300]}


def _write(events: list[Event]) -> int:
    for event in events:
        event.mac = content_mac(event)
    Event.objects.bulk_create(events)
    if not settings.CELERY_BROKER_URL:
        # The embedded set-up runs no Celery beat: seal once the rows are committed.
        transaction.on_commit(chain.seal_all)
    return len(events)


def access_record(request, objects, *, screen: str, purpose: str = Purpose.ROUTINE, grant_reason: str = "") -> int:
    """Record one read event per object shown; `objects` yields (object, situation_reference).

    `grant_reason` names the grant that allowed the read, when the screen knows it (see access.ledger).

    One INSERT whatever the number of rows, so a list page stays at a constant query count.
    """
    partner_id = _partner_id(request.user)
    origin = _origin(request)
    return _write(
        [
            Event(
                kind=Kind.READ,
                user=request.user,
                partner_id=partner_id,
                object_type=obj._meta.label_lower,
                object_id=str(obj.pk),
                situation_reference=reference or "",
                screen=screen,
                purpose=purpose,
                grant_reason=grant_reason,
                **origin,
            )
            for obj, reference in objects
        ]
    )


def security_record(
    kind: str,
    *,
    user=None,
    username: str = "",
    obj=None,
    situation_reference: str = "",
    detail: str = "",
    screen: str = "",
    request=None,
) -> Event:
    """Record a security event. `user` is whom it concerns; the request, when there is one, gives
    the address (and the acting user is recorded by the caller as `user` or in `detail`)."""
    request = request or current_request()
    event = Event(
        kind=kind,
        user=user,
        username=username[:150],
        partner_id=_partner_id(user),
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        situation_reference=situation_reference,
        screen=screen or (request.resolver_match.view_name if request and request.resolver_match else ""),
        detail=detail[:200],
        **_origin(request),
    )
    _write([event])
    return event
