"""Reads of séances, their agenda and follow-up actions, with the permission filter built in.

The coordination sees every séance; a partner member sees those they were invited to or attended.
A séance's agenda names situations by their pseudonymous reference only; the situations themselves
are read through `casework.selectors`, which applies the object permissions.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.http import Http404
from django.utils import timezone

from access.ledger import readable_filter
from access.permissions import is_coordinator, membership_of
from casework.models import Situation
from casework.selectors import consent_refused, situations_for
from referrals.models import Referral
from seances.models import AgendaItem, Decision, Objective, Seance, Step

Reason = AgendaItem.Reason
Status = Situation.Status
# Without a previous closed séance, answers of this many days back are proposed.
ANSWERED_LOOKBACK_DAYS = 31


def seances_for(user):
    if is_coordinator(user):
        return Seance.objects.all()
    return Seance.objects.filter(Q(invitations__user=user) | Q(attendances__user=user)).distinct()


def seances_upcoming_for(user):
    """Séances not yet closed that this user may see (invited, present, or coordinating), soonest first.

    « Mes séances » lists them all; the home page shows the first few.
    """
    return (
        seances_for(user)
        .exclude(status=Seance.Status.CLOSED)
        .select_related("territory")
        .order_by("date", "start_time")
    )


def seance_for(user, seance_id) -> Seance:
    """The séance if this user may see it; 404 otherwise."""
    try:
        return seances_for(user).select_related("territory", "created_by", "closed_by").get(pk=seance_id)
    except (Seance.DoesNotExist, ValueError):
        raise Http404 from None


def agenda_of(seance: Seance):
    return (
        AgendaItem.objects.filter(seance=seance)
        .select_related("situation")
        .prefetch_related("decisions__not_retained_reason", "decisions__closure_reason", "decisions__partner")
        .order_by("position")
    )


def item_for(seance: Seance, item_id) -> AgendaItem:
    try:
        return AgendaItem.objects.select_related("situation", "data_key").get(seance=seance, pk=item_id)
    except (AgendaItem.DoesNotExist, ValueError):
        raise Http404 from None


@dataclass(frozen=True)
class Proposal:
    situation: Situation
    reason: str

    @property
    def reason_label(self) -> str:
        return Reason(self.reason).label


def _previous_closing(seance: Seance) -> datetime.datetime:
    previous = (
        Seance.objects.filter(status=Seance.Status.CLOSED, closed_at__isnull=False)
        .exclude(pk=seance.pk)
        .order_by("-closed_at")
        .values_list("closed_at", flat=True)
        .first()
    )
    return previous or timezone.now() - datetime.timedelta(days=ANSWERED_LOOKBACK_DAYS)


def held_from_proposal(situation: Situation) -> bool:
    """A situation whose young person or family refused is not added with the rest of the proposal:
    one by one, with a justification, when the consent policy lets it be added at all."""
    return settings.PARCOURS_CONSENT_POLICY != "libre" and consent_refused(situation)


def agenda_proposal(seance: Seance, user) -> list[Proposal]:
    """The situations due for this séance, with why, among those `user` (the coordinator) may read.

    - new saisines (« reçue ») not already on another open séance's agenda;
    - examined or followed situations whose next review falls on or before the séance's date;
    - referrals sent and still unanswered past their deadline on the séance's date;
    - referrals accepted or declined since the previous closed séance.
    Closed, not-retained and restricted situations are never proposed, nor those already on the agenda.
    When the séance has a quartier, only young people of that quartier are proposed.
    """

    candidates = (
        situations_for(user)
        .filter(restricted=False)
        .exclude(status__in=(Status.CLOSED, Status.NOT_RETAINED))
        .exclude(agenda_items__seance=seance)
    )
    if seance.territory_id:
        candidates = candidates.filter(person__territory_id=seance.territory_id)
    open_elsewhere = AgendaItem.objects.filter(situation_id=OuterRef("pk")).exclude(seance=seance)
    open_elsewhere = open_elsewhere.exclude(seance__status=Seance.Status.CLOSED)
    overdue = Referral.objects.filter(situation_id=OuterRef("pk"), state=Referral.State.SENT, deadline__lt=seance.date)
    answered = Referral.objects.filter(
        situation_id=OuterRef("pk"),
        state__in=(Referral.State.ACCEPTED, Referral.State.DECLINED),
        answered_at__gt=_previous_closing(seance),
    )
    rules = (
        (Reason.NEW, Q(status=Status.RECEIVED) & ~Q(Exists(open_elsewhere))),
        (Reason.REFERRAL_OVERDUE, Q(Exists(overdue))),
        (Reason.REFERRAL_ANSWERED, Q(Exists(answered))),
        (Reason.REVIEW_DUE, Q(status__in=(Status.EXAMINED, Status.ACTIVE), next_review_on__lte=seance.date)),
    )
    proposals, seen = [], set()
    for reason, condition in rules:
        for situation in candidates.filter(condition).order_by("received_on", "reference"):
            if situation.pk not in seen:
                seen.add(situation.pk)
                proposals.append(Proposal(situation, reason))
    return proposals


def _followup_steps(user, *, pending_only: bool = True):
    """The steps of « Actions à suivre », whether or not the reader may read their situations."""
    actions = Step.objects.all()
    if not is_coordinator(user):
        membership = membership_of(user)
        actions = actions.filter(partner_id=membership.partner_id if membership else None)
    if pending_only:
        actions = actions.filter(status__in=Step.PENDING)
    return actions


def followup_actions_for(user, *, pending_only: bool = True):
    """« Actions à suivre »: the steps of plans given to partners; the coordination sees all, a
    partner member their partner's.

    `readable` tells whether the reader may read the situation (and so the wording of the action);
    otherwise the list shows the reference, the due date and the partner only.
    """
    actions = _followup_steps(user, pending_only=pending_only)
    readable = Situation.objects.filter(readable_filter(user), pk=OuterRef("situation_id"))
    return (
        actions.annotate(readable=Exists(readable))
        .select_related("situation", "partner", "data_key", "ended_by", "item__seance")
        .order_by("ended_on", "due_on", "created_at")
    )


def referent_steps_for(user):
    """« Étapes du plan » on the référent's home: the pending steps of the plans of the situations
    this person leads, checked against the grant ledger in SQL; overdue first, then the next due."""
    led = situations_for(user).filter(referent=user).values("pk")
    return (
        Step.objects.filter(status__in=Step.PENDING, situation__in=led)
        .select_related("situation", "partner", "data_key")
        .order_by("due_on", "created_at")
    )


def overdue_actions_for(user):
    return followup_actions_for(user).filter(due_on__lt=timezone.localdate())


def overdue_actions_count(user) -> int:
    """How many rows `overdue_actions_for` lists, counted without building what a row shows (its
    joins and the ledger subquery of `readable`, which filter nothing): the situation list asks on
    every request."""
    return _followup_steps(user).filter(due_on__lt=timezone.localdate()).count()


def decisions_of(seance: Seance):
    return (
        Decision.objects.filter(item__seance=seance)
        .select_related("item__situation", "not_retained_reason", "closure_reason", "partner", "referral__scheme")
        .select_related("step", "referent")
        .order_by("item__position", "decided_at")
    )


def plan_of(situation: Situation) -> list[tuple[Objective | None, list[Step]]]:
    """The plan d'accompagnement of a situation the caller may read: each objective with its steps,
    then the steps that serve no objective (None), in two queries."""
    objectives = list(situation.objectives.select_related("data_key").order_by("created_at"))
    steps = list(situation.steps.select_related("partner", "data_key", "ended_by").order_by("due_on", "created_at"))
    plan = [(objective, [step for step in steps if step.objective_id == objective.pk]) for objective in objectives]
    loose = [step for step in steps if step.objective_id is None]
    if loose:
        plan.append((None, loose))
    return plan
