"""Reads of the local strategy, with who may see its evaluation built in.

The evaluation is open to the coordination and to the *pilots* of a strategy: people who may read
cases (signed charter, accepted charter, case role) and whose partner pilots one of its active
fiches-actions. Others get 403 on the menu-level pages and 404 on a strategy's id.
"""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404

from access.permissions import is_coordinator, may_read_cases, membership_of
from casework.models import Situation
from strategy.models import Action, Axis, SituationAction, Strategy


def strategies_for(user):
    """Strategies whose evaluation this user may see."""
    if not may_read_cases(user):
        return Strategy.objects.none()
    if is_coordinator(user):
        return Strategy.objects.all()
    membership = membership_of(user)
    piloted = Action.objects.filter(strategy=OuterRef("pk"), pilot_id=membership.partner_id, active=True)
    return Strategy.objects.filter(Exists(piloted))


def may_evaluate(user) -> bool:
    return strategies_for(user).exists()


def strategy_for(user, strategy_id) -> Strategy:
    try:
        return strategies_for(user).get(pk=strategy_id)
    except (Strategy.DoesNotExist, ValueError):
        raise Http404 from None


def default_strategy(user) -> Strategy | None:
    return strategies_for(user).order_by("-active", "-starts_on").first()


def _outlined_actions():
    actions = Action.objects.select_related("pilot").prefetch_related("partners", "suggested_for_motifs")
    return Prefetch("actions", queryset=actions.order_by("code"))


def strategy_outline(strategy: Strategy):
    """Axes with their fiches-actions, pilots and partners, in order (for lists and the report)."""
    return strategy.axes.prefetch_related(_outlined_actions())


def strategies_outlined() -> list[tuple[Strategy, list[Axis]]]:
    """Every strategy with its outline, in the same few queries however many strategies and fiches."""
    axes = Prefetch("axes", queryset=Axis.objects.prefetch_related(_outlined_actions()), to_attr="outline")
    return [(strategy, strategy.outline) for strategy in Strategy.objects.prefetch_related(axes)]


def axis_for(strategy: Strategy, axis_id) -> Axis:
    try:
        return strategy.axes.get(pk=axis_id)
    except (Axis.DoesNotExist, ValueError):
        raise Http404 from None


def action_for(strategy: Strategy, action_id) -> Action:
    try:
        return strategy.actions.select_related("axis", "pilot").get(pk=action_id)
    except (Action.DoesNotExist, ValueError):
        raise Http404 from None


@dataclass(frozen=True)
class Proposal:
    action: Action
    reasons: list[str]


def confirmed_links(situation: Situation):
    return (
        SituationAction.objects.filter(situation=situation)
        .select_related("action__axis__strategy", "confirmed_by")
        .order_by("action__strategy__starts_on", "action__code")
    )


def proposed_actions(situation: Situation, confirmed_ids: set[int]) -> list[Proposal]:
    """Active fiches-actions the situation's motifs and its referrals' schemes point to, not yet
    confirmed, each with why it is proposed."""
    reasons: dict[int, list[str]] = {}
    live = Action.objects.filter(active=True, strategy__active=True).exclude(pk__in=confirmed_ids)
    for action_id, motif in live.filter(suggested_for_motifs__situations=situation).values_list(
        "pk", "suggested_for_motifs__label"
    ):
        reasons.setdefault(action_id, []).append(f"motif « {motif} »")
    # Referrals sit above the strategy: they are reached through the situation's reverse relation.
    referrals = situation.referrals
    referred = referrals.exclude(state=referrals.model.State.ABANDONED)
    for action_id, scheme in (
        live.filter(referrals__in=referred).values_list("pk", "referrals__scheme__name").distinct()
    ):
        reasons.setdefault(action_id, []).append(f"orientation vers « {scheme} »")
    actions = live.filter(pk__in=reasons).select_related("axis")
    return sorted((Proposal(a, reasons[a.pk]) for a in actions), key=lambda p: p.action.code)


def may_steer(user, action: Action) -> bool:
    """Who edits a fiche-action's indicators and progress: the members of its pilot partner who may
    read cases, while the fiche is active, and the coordination."""
    if not may_read_cases(user):
        return False
    if is_coordinator(user):
        return True
    return action.active and membership_of(user).partner_id == action.pilot_id


def steered_actions(user):
    """Fiches-actions this user steers."""
    if not may_read_cases(user):
        return Action.objects.none()
    actions = Action.objects.select_related("axis__strategy", "pilot")
    if is_coordinator(user):
        return actions
    return actions.filter(pilot_id=membership_of(user).partner_id, active=True)


def steered_action_for(user, action_id) -> Action:
    """A fiche-action this user steers, or 404 (another partner's fiche says nothing of itself)."""
    try:
        return steered_actions(user).get(pk=action_id)
    except (Action.DoesNotExist, ValueError):
        raise Http404 from None


def action_indicators(action: Action):
    return action.indicators_set.prefetch_related("values").order_by("created_at")


def action_progress(action: Action):
    return action.progress.select_related("recorded_by").order_by("-on", "-recorded_at")


def action_collective_sessions(action: Action):
    return action.collective_sessions.select_related("territory").prefetch_related("counts")
