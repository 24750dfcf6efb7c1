"""Reads of the audit trail for the DPO console: metadata and references only."""

from django.contrib.auth import get_user_model
from django.db.models import Count, Max, Min

from audit.models import ChangeEntry, Event, Kind, Purpose


def events_search(filters: dict):
    return Event.objects.filter(**filters).select_related("user", "partner").order_by("-at", "-id")


def access_events_for_reference(reference: str):
    return events_search({"situation_reference": reference})


def situation_access_summary(reference: str):
    """Who read this situation: one row per user, with counts and first and last read."""
    return (
        Event.objects.filter(situation_reference=reference, kind=Kind.READ)
        .values("user__username", "partner__name")
        .annotate(reads=Count("id"), first=Min("at"), last=Max("at"))
        .order_by("-last")
    )


def situation_changes(reference: str):
    """Change entries of the situation itself: who changed which fields, when (never values)."""
    from casework.models import Situation

    situation_id = Situation.objects.filter(reference=reference).values_list("pk", flat=True).first()
    if situation_id is None:
        return ChangeEntry.objects.none()
    return (
        ChangeEntry.objects.filter(content_type__model="situation", object_pk=str(situation_id))
        .select_related("actor")
        .order_by("-timestamp")
    )


def user_activity(user, period) -> dict:
    events = Event.objects.filter(user=user, at__gte=period.start, at__lt=period.end)
    by_kind = list(events.values("kind").annotate(count=Count("id")).order_by("-count"))
    by_screen = list(
        events.filter(kind=Kind.READ).values("screen", "purpose").annotate(count=Count("id")).order_by("-count")
    )
    kinds, purposes = dict(Kind.choices), dict(Purpose.choices)
    return {
        "by_kind": [{**row, "label": kinds.get(row["kind"], row["kind"])} for row in by_kind],
        "by_screen": [{**row, "purpose_label": purposes.get(row["purpose"], "")} for row in by_screen],
        "situations": list(
            events.filter(kind=Kind.READ)
            .exclude(situation_reference="")
            .values("situation_reference")
            .annotate(reads=Count("id"), first=Min("at"), last=Max("at"))
            .order_by("-last")
        ),
    }


def user_by_pk(user_id: int):
    return get_user_model().objects.filter(pk=user_id).select_related("membership__partner").first()
