"""Reads of situations and notes, with the permission filter built in.

There is no other way for a view to list or fetch situations: every query starts from
`situations_for(user)`, which filters in SQL (privacy invariant 4).
"""

import datetime
import functools
from dataclasses import dataclass

from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
)
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from access import ledger
from access.ledger import ANNOTATE, CHANGE, VIEW
from access.models import Reason, Role
from access.permissions import may_read_cases, membership_of
from audit.models import Event, Kind
from casework import matching
from casework.models import (
    Association,
    ConsentJustification,
    Information,
    Note,
    Person,
    Signalement,
    Situation,
)
from casework.retention import DueSituation, purge_schedule


def situations_for(user, codename: str = VIEW):
    if not may_read_cases(user):
        return Situation.objects.none()
    return Situation.objects.filter(ledger.readable_filter(user, codename))


@functools.cache
def _rows_exist_sql(model, field: str, *equal: str) -> str:
    """`EXISTS` of `model`'s rows whose `field` is the outer situation and whose `equal` fields equal
    parameters, as text built once per process (table and column names only): the ORM would build
    and compile a subqueryset for it on every request."""
    alias = f"exists_{model._meta.db_table}"

    def column(name: str) -> str:
        return f'{alias}."{model._meta.get_field(name).column}"'

    where = " AND ".join([f"{column(field)} = {{situation}}", *(f"{column(name)} = %s" for name in equal)])
    return f'EXISTS(SELECT 1 FROM "{model._meta.db_table}" {alias} WHERE {where} LIMIT 1)'  # noqa: S608


def rows_exist(model, field: str, **equal) -> ledger.SituationSQL:
    """SQL EXISTS: `model` has a row whose `field` is the outer situation (and whose fields equal `equal`)."""
    return ledger.SituationSQL(_rows_exist_sql(model, field, *equal), tuple(equal.values()))


def young_person_informed():
    """SQL EXISTS: an information of the young person is recorded on the outer situation."""
    return rows_exist(Information, "situation", recipient=Information.Recipient.YOUNG_PERSON.value)


def to_inform_filter() -> Q:
    """Named, under active follow-up, without a recorded information of the young person (GDPR
    art. 14); an anonymous situation holds no one to inform."""
    return Q(status=Situation.Status.ACTIVE, person__isnull=False) & ~Q(young_person_informed())


def situation_for(user, situation_id, codename: str = VIEW) -> Situation:
    """The situation if this user may read it; 404 otherwise, so that ids reveal nothing.

    Its motifs are not prefetched: the detail page reads their labels alone (`motif_labels_for`),
    which costs a third of a prefetch; a page that reads `situation.motifs` once makes the one query
    a prefetch would have made.

    Whether it was reopened comes with it in the same query (`linked_situations_for`); whether the
    user may also change it or write its notes, and the reason of the grant that lets them read it
    (`ledger.reading_reason`, which names the read's purpose), from their live grant rows on it, read
    in one more query (`ledger.holding`) rather than as five more subqueries of this one.
    """
    try:
        situation = (
            situations_for(user, codename)
            .annotate(
                young_person_informed=young_person_informed(),
                reopened=rows_exist(Situation, "previous"),
                # Most situations have none of these: the detail page skips their queries.
                has_justifications=rows_exist(ConsentJustification, "situation"),
                has_signalements=rows_exist(Signalement, "situation"),
                has_involved_partners=ledger.involved_exists(),
            )
            .select_related(
                "person__data_key",
                "person__territory",
                "data_key",
                "referring_partner",
                "source",
                "referent",
                "closure_reason",
            )
            .get(pk=situation_id)
        )
    except (Situation.DoesNotExist, ValueError):
        raise Http404 from None
    held = ledger.holding(user, situation.pk)
    # As `readable_filter` decides them: a restricted situation is changed or annotated by no one.
    situation.may_change = held.grants(CHANGE) and not situation.restricted
    situation.may_annotate = held.grants(ANNOTATE) and not situation.restricted
    situation.user_grant_reason = ledger.first_reason(*held.user_reasons)
    situation.group_grant_reason = ledger.first_reason(*held.group_reasons)
    return situation


def user_may_change(user, situation) -> bool:
    if hasattr(situation, "may_change"):
        return situation.may_change
    return situations_for(user, CHANGE).filter(pk=situation.pk).exists()


def user_may_annotate(user, situation) -> bool:
    if hasattr(situation, "may_annotate"):
        return situation.may_annotate
    return situations_for(user, ANNOTATE).filter(pk=situation.pk).exists()


# The columns the situation list sorts on, each with its tie-breaker; a leading « - » reverses it.
# Never on an identity: names are ciphertext, and sorting on them would need them in clear.
SITUATION_SORTS = {
    "saisine": (F("received_on").asc(), F("created_at").asc()),
    "reference": (F("reference").asc(),),
    "statut": (F("status").asc(), F("received_on").desc()),
    "examen": (F("next_review_on").asc(nulls_last=True), F("received_on").desc()),
}
DEFAULT_SITUATION_SORT = "-saisine"


def situation_ordering(sort: str) -> tuple:
    """The ORDER BY of a sort key of the list (« examen », « -saisine »…); an unknown key sorts by default."""
    key = sort.removeprefix("-")
    if key not in SITUATION_SORTS:
        return situation_ordering(DEFAULT_SITUATION_SORT)
    columns = SITUATION_SORTS[key]
    if sort.startswith("-"):
        return tuple(column.copy().reverse_ordering() for column in columns)
    return columns


# What a row of the list shows, and no more: a page builds 25 situations, their people and data
# keys (to decrypt the names); the partner's and the référent's names come as plain columns of the
# same query rather than as two more model instances per row.
LIST_COLUMNS = (
    "reference",
    "status",
    "danger",
    "restricted",
    "received_on",
    "next_review_on",
    "referent_id",
    "person__last_name",
    "person__first_name",
    "person__data_key__wrapped",
    "person__data_key__master_version",
)


def situation_list(
    user,
    *,
    sort: str = DEFAULT_SITUATION_SORT,
    status: str = "",
    motif: str = "",
    referent: str = "",
    query: str = "",
    person: "matching.PersonCriteria | None" = None,
    to_inform: bool = False,
):
    """Situations for the list screen, filtered; the same number of queries whatever the page size.

    Each row carries `partner_name`, `referent_username`, `referent_first_name` and
    `referent_last_name`; `motif_labels_for` gives the motifs of a page."""
    situations = situations_for(user).annotate(young_person_informed=young_person_informed())
    if status:
        situations = situations.filter(status=status)
    if to_inform:
        situations = situations.filter(to_inform_filter())
    if motif:
        situations = situations.filter(
            Exists(Situation.motifs.through.objects.filter(situation_id=OuterRef("pk"), motif__code=motif))
        )
    if referent == "moi":
        situations = situations.filter(referent=user)
    elif referent.isdigit():
        situations = situations.filter(referent_id=int(referent))
    if person is not None:
        situations = situations.filter(person__isnull=False).filter(person.person_filter(prefix="person__"))
    elif query:
        situations = situations.filter(reference__icontains=query.strip())
    return (
        situations.select_related("person__data_key")
        .only(*LIST_COLUMNS)
        .annotate(
            partner_name=F("referring_partner__name"),
            referent_username=F("referent__username"),
            referent_first_name=F("referent__first_name"),
            referent_last_name=F("referent__last_name"),
        )
        .order_by(*situation_ordering(sort), "-pk")
    )


def motif_labels_for(situation_ids) -> dict:
    """The motifs' labels of these situations, in the coded list's order, in one query: {id: [label]}.

    For situations the caller has already fetched through `situations_for` (a coded label is not
    personal: the read is the situation's, recorded with its row)."""
    labels = {pk: [] for pk in situation_ids}
    rows = (
        Situation.motifs.through.objects.filter(situation_id__in=labels)
        .order_by("motif__position", "motif__label")
        .values_list("situation_id", "motif__label")
    )
    for situation_id, label in rows:
        labels[situation_id].append(label)
    return labels


# « À traiter » on the home page: a review is due when its date has passed or comes within these days.
REVIEW_SOON_DAYS = 7
OPEN_STATUSES = (Situation.Status.RECEIVED, Situation.Status.EXAMINED, Situation.Status.ACTIVE)


def _home_rows(situations):
    return situations.select_related("person__data_key", "referring_partner", "referent")


def reviews_due_for(user, *, today: datetime.date):
    """The référent's situations whose next review has passed or comes within REVIEW_SOON_DAYS, oldest first."""
    return _home_rows(
        situations_for(user).filter(
            referent=user,
            status__in=OPEN_STATUSES,
            next_review_on__lte=today + datetime.timedelta(days=REVIEW_SOON_DAYS),
        )
    ).order_by("next_review_on", "reference")


def to_inform_for(user):
    """The référent's situations under active follow-up whose young person is not yet informed."""
    return _home_rows(situations_for(user).filter(referent=user).filter(to_inform_filter())).order_by("received_on")


def _visible_notes(user):
    membership = membership_of(user)
    partner_id = membership.partner_id if membership else None
    return Note.objects.filter(Q(visibility=Note.Visibility.GROUP) | Q(partner_id=partner_id))


def notes_since_last_visit_for(user):
    """The référent's situations with notes by others written since the référent last opened the situation.

    « Last opened » is the reader's latest read of the situation's page in the trail (its reference and
    the user are both indexed there), so nothing new is stored to know it. `new_notes` counts them.
    """
    last_visit = (
        Event.objects.filter(
            kind=Kind.READ, user=user, screen="situation_detail", situation_reference=OuterRef(OuterRef("reference"))
        )
        .order_by("-at")
        .values("at")[:1]
    )
    new = (
        _visible_notes(user)
        .filter(situation_id=OuterRef("pk"))
        .exclude(author=user)
        .filter(Q(created_at__gt=Subquery(last_visit)) | ~Exists(last_visit))
    )
    count = new.order_by().values("situation_id").annotate(n=Count("pk")).values("n")
    return (
        _home_rows(situations_for(user).filter(referent=user, status__in=OPEN_STATUSES))
        .annotate(new_notes=Subquery(count, output_field=IntegerField()))
        .filter(new_notes__gt=0)
        .order_by("-new_notes", "reference")
    )


def new_saisines_for(user):
    """Saisines received and not yet examined, oldest first: the coordination's first task."""
    return _home_rows(situations_for(user).filter(status=Situation.Status.RECEIVED)).order_by(
        "received_on", "created_at"
    )


def partner_saisines_for(user):
    """The situations this person's partner referred to the group (its staff recorded them), still
    open, newest first: what a partner wants to find again on its home page."""
    membership = membership_of(user)
    if membership is None:
        return Situation.objects.none()
    return _home_rows(
        situations_for(user).filter(referring_partner_id=membership.partner_id, status__in=OPEN_STATUSES)
    ).order_by("-received_on", "-created_at")


def justifications_for(situation: Situation) -> list:
    """The written justifications of a situation fetched with `situation_for` (none: no query)."""
    if not getattr(situation, "has_justifications", True):
        return []
    return list(situation.consent_justifications.select_related("data_key", "created_by"))


def signalements_for(situation: Situation) -> list:
    """The signalements of a situation fetched with `situation_for` (none: no query)."""
    if not getattr(situation, "has_signalements", True):
        return []
    return list(situation.signalements.select_related("data_key", "recorded_by"))


# The informations of a situation, the latest answer first: the one that counts (`consent_refused`).
LATEST_ANSWER_FIRST = ("-informed_on", "-created_at")


def informations_for(situation: Situation):
    """Who was informed, latest first, for a situation the caller has already fetched with `situation_for`."""
    return (
        Information.objects.filter(situation=situation)
        .select_related("recorded_by", "data_key")
        .order_by(*LATEST_ANSWER_FIRST)
    )


def linked_situations_for(user, situation: Situation) -> dict:
    """The saisine this one reopens and those that reopen it, among the ones this user may read."""
    # Most situations neither reopen another nor were reopened (situation_for tells): then the
    # permission-filtered queries are neither run nor built.
    reopened = getattr(situation, "reopened", True)
    return {
        "previous": situations_for(user).filter(pk=situation.previous_id).first() if situation.previous_id else None,
        "reopenings": list(situations_for(user).filter(previous=situation).order_by("received_on")) if reopened else [],
    }


def notes_for(user, situation: Situation):
    """Group notes, plus partner-only notes of the reader's own partner."""
    membership = membership_of(user)
    partner_id = membership.partner_id if membership else None
    return (
        Note.objects.filter(situation=situation)
        .filter(Q(visibility=Note.Visibility.GROUP) | Q(partner_id=partner_id))
        .select_related("author", "partner", "data_key")
        .order_by("-created_at")
    )


CANDIDATE_FIELDS = (
    "id",
    "index_key",
    "identity_index",
    "birth_year",
    "birth_date_key",
    "last_name_key",
    "first_name_key",
    "last_name_phonetic",
    "first_name_phonetic",
    "last_name_bloom",
    "first_name_bloom",
)


def matching_people(typed: matching.TypedIdentity) -> list[tuple[Person, str, float]]:
    """Everyone who may be the typed identity, best first, with the level and score of the match.

    SQL narrows to the indexed candidates (same identity, a near birth date, or both names with the
    birth year); the Bloom filters of those few are compared here. Callers filter what they show."""
    candidates = Person.objects.filter(typed.candidate_filter()).only(*CANDIDATE_FIELDS)
    found = []
    for person in candidates:
        level = typed.level(person)
        if level is not None:
            found.append((person, *level))
    found.sort(key=lambda row: (row[1] != matching.EXACT, -row[2], str(row[0].pk)))
    return found


def possible_duplicates(user, typed: matching.TypedIdentity):
    """Situations of people who may be this young person: (those this user may see, best match
    first, each with its `match_level`; whether others exist that this user may not see)."""
    people = matching_people(typed)
    rank = {person.pk: n for n, (person, _level, _score) in enumerate(people)}
    level_of = {person.pk: level for person, level, _score in people}
    visible = sorted(
        situations_for(user).filter(person_id__in=list(rank)),
        key=lambda s: (rank[s.person_id], -s.received_on.toordinal()),
    )
    for situation in visible:
        situation.match_level = level_of[situation.person_id]
    hidden_exists = Situation.objects.filter(person_id__in=list(rank)).exclude(pk__in=[s.pk for s in visible]).exists()
    return visible, hidden_exists


def hidden_duplicate_notices_today(user) -> int:
    """How many times today (local day) this user was told at intake that a situation they cannot see
    may concern the young person (each notice is a security event of the trail)."""
    start = timezone.make_aware(datetime.datetime.combine(timezone.localdate(), datetime.time.min))
    return Event.objects.filter(user=user, kind=Kind.HIDDEN_DUPLICATE, at__gte=start).count()


SCHEDULE_DAYS = 30


def purge_schedule_for(user, *, today: datetime.date) -> list[DueSituation]:
    """Situations purged within `SCHEDULE_DAYS`: the coordinator's own (all of the group), or every
    one for the DPO, who sees references and dates only."""
    membership = membership_of(user)
    situations = Situation.objects.all() if membership and membership.role == Role.DPO else situations_for(user)
    return purge_schedule(situations, until=today + datetime.timedelta(days=SCHEDULE_DAYS))


@dataclass(frozen=True)
class InvolvedPartner:
    """A partner that reads the situation because the group involved it, or because it followed the
    previous saisine (a live grant of the ledger), with what the coordinator needs to end it."""

    partner_name: str
    reason_label: str
    granted_at: datetime.datetime
    expires_at: datetime.datetime | None
    motive: str
    end_url: str


def involved_partners(situation: Situation) -> list[InvolvedPartner]:
    if not getattr(situation, "has_involved_partners", True):
        return []
    rows = ledger.involved_rows(situation)
    associations = {
        str(a.pk): a
        for a in Association.objects.filter(
            situation=situation, pk__in=[row.source_id for row in rows if row.reason == Reason.ASSOCIATED_PARTNER]
        ).select_related("data_key")
    }
    involved = []
    for row in rows:
        association = associations.get(row.source_id) if row.reason == Reason.ASSOCIATED_PARTNER else None
        if association is not None:
            end_url = reverse("casework:association_end", args=[situation.pk, association.pk])
        else:
            end_url = reverse("casework:previous_partner_end", args=[situation.pk, row.group_id])
        involved.append(
            InvolvedPartner(
                partner_name=str(row.group.partner),
                reason_label=row.reason_label,
                granted_at=row.granted_at,
                expires_at=row.expires_at,
                motive=association.motive if association else "",
                end_url=end_url,
            )
        )
    return involved


def consent_refused(situation: Situation) -> bool:
    """Whether the last answer recorded from the young person or the family is a refusal."""
    last = situation.informations.order_by(*LATEST_ANSWER_FIRST).values_list("response", flat=True).first()
    return last == Information.Response.REFUSED


def consent_refused_in(informations: list[Information]) -> bool:
    """`consent_refused` from the situation's informations already fetched (`informations_for`, latest first)."""
    return bool(informations) and informations[0].response == Information.Response.REFUSED
