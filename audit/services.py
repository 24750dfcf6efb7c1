"""Writes to the audit trail."""

from access.permissions import membership_of
from audit.models import AccessEvent, Purpose
from audit.request import client_ip


def access_record(request, objects, *, screen: str, purpose: str = Purpose.ROUTINE) -> int:
    """Record one read event per object shown; `objects` yields (object, situation_reference).

    One INSERT whatever the number of rows, so a list page stays at a constant query count.
    """
    membership = membership_of(request.user)
    ip = client_ip(request)
    agent = request.META.get("HTTP_USER_AGENT", "")[:300]
    events = [
        AccessEvent(
            user=request.user,
            partner_id=membership.partner_id if membership else None,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            situation_reference=reference or "",
            screen=screen,
            purpose=purpose,
            ip_address=ip,
            user_agent=agent,
        )
        for obj, reference in objects
    ]
    AccessEvent.objects.bulk_create(events)
    return len(events)
