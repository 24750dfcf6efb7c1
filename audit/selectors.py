from audit.models import AccessEvent


def access_events_for_reference(reference: str):
    return (
        AccessEvent.objects.filter(situation_reference=reference)
        .select_related("user", "partner")
        .order_by("-at", "-id")
    )
