"""Reads for the data-protection screens: references and metadata, never identity."""

import datetime

from django.db.models import Count, Max, Min

from access.models import Role
from access.permissions import membership_of
from casework.models import Person, Situation
from casework.selectors import situations_for
from privacy.models import RightsRequest
from privacy.purge import DueSituation, purge_schedule

SCHEDULE_DAYS = 30


def purge_schedule_for(user, *, today: datetime.date) -> list[DueSituation]:
    """Situations purged within `SCHEDULE_DAYS`: the coordinator's own (all of the group), or every
    one for the DPO, who sees references and dates only."""
    membership = membership_of(user)
    situations = Situation.objects.all() if membership and membership.role == Role.DPO else situations_for(user)
    return purge_schedule(situations, until=today + datetime.timedelta(days=SCHEDULE_DAYS))


def person_lookup(*, reference: str = "", identity_index: str = "") -> tuple[Person | None, str]:
    """The young person a request is about, and why none was found (in French)."""
    if reference:
        situation = Situation.objects.select_related("person").filter(reference=reference).first()
        if situation is None:
            return None, "Aucune situation ne porte cette référence."
        if situation.person is None:
            return None, "Cette situation est anonyme : aucune donnée ne peut y être rattachée à une personne."
        return situation.person, ""
    people = list(Person.objects.filter(identity_index=identity_index)[:2])
    if not people:
        return None, "Aucune personne ne correspond exactement à cette identité."
    if len(people) > 1:
        return None, "Plusieurs fiches correspondent à cette identité : indiquez la référence d'une situation."
    return people[0], ""


def rights_requests_for(user):
    requests = RightsRequest.objects.select_related("requested_by", "confirmed_by", "cancelled_by")
    membership = membership_of(user)
    if membership and membership.role == Role.DPO:
        return requests
    return requests.filter(status=RightsRequest.Status.AWAITING) | requests.filter(confirmed_by=user)


def breach_references(*, partner=None, user=None, start, end):
    """Situations read by a partner's people or by one user over a period (GDPR art. 33 notification)."""
    from audit.models import Event, Kind

    events = Event.objects.filter(kind=Kind.READ, at__gte=start, at__lt=end).exclude(situation_reference="")
    if partner is not None:
        events = events.filter(partner=partner)
    if user is not None:
        events = events.filter(user=user)
    return (
        events.values("situation_reference")
        .annotate(reads=Count("id"), readers=Count("user", distinct=True), first=Min("at"), last=Max("at"))
        .order_by("situation_reference")
    )
