"""Reads of the audit trail for the DPO console, and of the rights requests: metadata and references
only, never identity."""

import datetime
import unicodedata
from dataclasses import dataclass
from uuid import UUID

from django.contrib.auth import get_user_model
from django.db.models import Count, Max, Min
from django.utils import timezone

from access import ledger
from access.models import Role
from access.permissions import membership_of
from audit.models import ACCOUNT_KINDS, ChangeEntry, Event, Kind, Purpose
from casework import selectors as casework_selectors
from casework.matching import TypedIdentity
from casework.models import Person, Situation
from dpo.labels import LIST_SCREENS, user_numbers
from dpo.models import RightsRequest


def events_search(filters: dict):
    return Event.objects.filter(**filters).select_related("user", "partner").order_by("-at", "-id")


def account_events():
    """« Comptes et droits »: invitations, activations, second factors, roles, administrative acts."""
    return Event.objects.filter(kind__in=ACCOUNT_KINDS).select_related("user", "partner").order_by("-at", "-id")


def access_events_for_reference(reference: str, period=None):
    filters = {"situation_reference": reference}
    if period is not None:
        filters.update(at__gte=period.start, at__lt=period.end)
    return events_search(filters)


def situation_access_summary(reference: str, period=None, *, listed: bool = False):
    """Who read this situation: one row per user, with counts and first and last read.

    `listed` keeps apart who saw it as a row of a list (« a vu dans une liste ») from who opened it
    (« a ouvert la fiche »): the DPO's question « qui a lu X » is mostly the second."""
    events = Event.objects.filter(situation_reference=reference, kind=Kind.READ)
    if period is not None:
        events = events.filter(at__gte=period.start, at__lt=period.end)
    events = events.filter(screen__in=LIST_SCREENS) if listed else events.exclude(screen__in=LIST_SCREENS)
    return (
        events.values("user", "user__username", "user__first_name", "user__last_name", "partner__name")
        .annotate(reads=Count("id"), first=Min("at"), last=Max("at"))
        .order_by("-last")
    )


def situation_recorded_on(reference: str) -> datetime.date | None:
    """The day the situation was recorded in Parcours; for a purged one, the day of its first event."""
    created = Situation.objects.filter(reference=reference).values_list("created_at", flat=True).first()
    if created is None:
        first_event = Event.objects.filter(situation_reference=reference).order_by("at")
        created = first_event.values_list("at", flat=True).first()
    return timezone.localdate(created) if created is not None else None


def situation_grants(reference: str) -> list:
    """Who could read this situation, from when to when, and why: every row of the ledger on it."""
    situation = Situation.objects.filter(reference=reference).first()
    return ledger.history(situation) if situation is not None else []


def situation_changes(reference: str):
    """Change entries of the situation itself: who changed which fields, when (never values)."""
    situation_id = Situation.objects.filter(reference=reference).values_list("pk", flat=True).first()
    if situation_id is None:
        return ChangeEntry.objects.none()
    return (
        ChangeEntry.objects.filter(content_type__model="situation", object_pk=str(situation_id))
        .select_related("actor")
        .order_by("-timestamp")
    )


def user_activity(user, period) -> dict:
    # COUNT(*), not COUNT(id): the three aggregates are then index-only scans of event_by_user, which
    # carries the columns they read.
    events = Event.objects.filter(user=user, at__gte=period.start, at__lt=period.end)
    by_kind = list(events.values("kind").annotate(count=Count("*")).order_by("-count"))
    by_screen = list(
        events.filter(kind=Kind.READ).values("screen", "purpose").annotate(count=Count("*")).order_by("-count")
    )
    kinds, purposes = dict(Kind.choices), dict(Purpose.choices)
    return {
        "by_kind": [{**row, "label": kinds.get(row["kind"], row["kind"])} for row in by_kind],
        "by_screen": [{**row, "purpose_label": purposes.get(row["purpose"], "")} for row in by_screen],
        # Querysets, paginated in SQL: a busy user reads thousands of situations a month. The
        # situations opened one by one apart from those seen as rows of a list.
        "situations": _situations_read(events.exclude(screen__in=LIST_SCREENS)),
        "situations_listed": _situations_read(events.filter(screen__in=LIST_SCREENS)),
    }


def _situations_read(events):
    return (
        events.filter(kind=Kind.READ)
        .exclude(situation_reference="")
        .values("situation_reference")
        .annotate(reads=Count("*"), first=Min("at"), last=Max("at"))
        .order_by("-last", "situation_reference")
    )


def user_events(user, period):
    return events_search({"user_id": user.pk, "at__gte": period.start, "at__lt": period.end})


def users_named(text: str) -> list:
    """Users whose login, first name, last name or full name matches `text`, ignoring case and
    accents (« helene » finds Hélène). In Python, since names carry accents that SQLite and PostgreSQL
    compare differently: over plain rows, each name folded once (a département-wide deployment has
    thousands of accounts), then the few found read as users in one more query."""
    wanted = fold(text)
    if not wanted:
        return []
    found = []
    for pk, username, first_name, last_name in get_user_model().objects.values_list(
        "pk", "username", "first_name", "last_name"
    ):
        login, first, last = fold(username), fold(first_name), fold(last_name)
        names = (login, first, last, " ".join(filter(None, (first, last))), " ".join(filter(None, (last, first))))
        if wanted in names or (len(wanted) >= 3 and any(wanted in name for name in names)):
            found.append(pk)
    if not found:
        return []
    users = get_user_model().objects.filter(pk__in=found).only("pk", "username", "first_name", "last_name")
    return list(users.order_by("last_name", "username"))


def fold(text: str) -> str:
    """Lower case, no accents, single spaces."""
    text = text or ""
    if text.isascii():  # nothing to decompose: the common case, many times per search
        return " ".join(text.casefold().split())
    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).casefold().split())


def people_named_in(details, known: dict | None = None) -> dict:
    """The accounts the events' `details` name by number (« utilisateur n° 6 »), number → user, in one
    query; those already in `known` are not fetched again (it is updated and returned)."""
    people = {} if known is None else known
    wanted = set().union(*(user_numbers(detail) for detail in details)) - people.keys()
    if wanted:
        users = get_user_model().objects.filter(pk__in=wanted).only("pk", "username", "first_name", "last_name")
        people.update(dict.fromkeys(wanted))  # an account since deleted stays a number, asked for once
        people.update((user.pk, user) for user in users)
    return people


def user_by_pk(user_id: int):
    return get_user_model().objects.filter(pk=user_id).select_related("membership__partner").first()


def person_by_reference(reference: str) -> tuple[Person | None, str]:
    """The young person a request names by a situation's reference, and why none was found (in French)."""
    situation = Situation.objects.select_related("person").filter(reference=reference).first()
    if situation is None:
        return None, "Aucune situation ne porte cette référence."
    if situation.person is None:
        return None, "Cette situation est anonyme : aucune donnée ne peut y être rattachée à une personne."
    return situation.person, ""


@dataclass(frozen=True)
class Candidate:
    """A person who may be the one a rights request names: shown to the DPO by references only."""

    person_id: UUID
    level: str
    birth_year: int
    references: tuple[str, ...]


def candidate_person(candidates: list[Candidate], person_id: UUID) -> Person | None:
    """The person the DPO confirmed, only if it is one of the candidates listed for this identity."""
    if person_id not in {candidate.person_id for candidate in candidates}:
        return None
    return Person.objects.filter(pk=person_id).first()


def person_candidates(typed: TypedIdentity) -> list[Candidate]:
    """Everyone who may be this identity (exact first, then spelling variants), for the DPO to
    confirm: the same approximate matching as the intake warning, over all people."""
    people = casework_selectors.matching_people(typed)
    references: dict = {}
    for person_id, reference in (
        Situation.objects.filter(person_id__in=[person.pk for person, _level, _score in people])
        .order_by("received_on")
        .values_list("person_id", "reference")
    ):
        references.setdefault(person_id, []).append(reference)
    return [
        Candidate(person.pk, level, person.birth_year, tuple(references.get(person.pk, ())))
        for person, level, _score in people
    ]


def rights_requests_for(user):
    requests = RightsRequest.objects.select_related("requested_by", "confirmed_by", "cancelled_by")
    membership = membership_of(user)
    if membership and membership.role == Role.DPO:
        return requests
    return requests.filter(status=RightsRequest.Status.AWAITING) | requests.filter(confirmed_by=user)


def breach_references(*, partner=None, user=None, start, end):
    """Situations read by a partner's people or by one user over a period (GDPR art. 33 notification)."""
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
