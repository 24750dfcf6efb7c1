"""Writes of the local strategy: its fiches-actions (by the coordination) and the situations'
contributions to them (by the référent or the coordination). Atomic; django-auditlog records each
change with its actor.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from access.permissions import is_coordinator
from casework.models import Situation
from core.refusal import Refusal
from strategy.models import (
    Action,
    Axis,
    CollectiveCount,
    CollectiveSession,
    Indicator,
    IndicatorValue,
    Progress,
    SituationAction,
    Strategy,
)
from strategy.selectors import may_steer


def may_confirm_actions(user, situation: Situation) -> bool:
    """The situation's référent or the coordination (who must already be able to read it)."""
    return not situation.restricted and (situation.referent_id == user.pk or is_coordinator(user))


def _require_confirmer(user, situation: Situation) -> None:
    if situation.restricted:
        raise Refusal(_("Le traitement de cette situation est limité : elle ne peut pas être modifiée."))
    if not may_confirm_actions(user, situation):
        raise Refusal(
            _("Seuls le ou la référent·e de parcours et la coordination rattachent une situation aux fiches-actions.")
        )


@transaction.atomic
def situation_action_confirm(*, situation: Situation, action: Action, by) -> SituationAction:
    """Record that the situation contributes to the fiche-action; confirming twice changes nothing."""
    situation = Situation.objects.select_for_update(of=("self",)).get(pk=situation.pk)
    _require_confirmer(by, situation)
    if not (action.active and action.strategy.active):
        raise Refusal(_("Cette fiche-action n'est plus active."))
    link, _created = SituationAction.objects.get_or_create(
        situation=situation, action=action, defaults={"confirmed_by": by}
    )
    return link


@transaction.atomic
def situation_action_remove(*, situation: Situation, action: Action, by) -> None:
    situation = Situation.objects.select_for_update(of=("self",)).get(pk=situation.pk)
    _require_confirmer(by, situation)
    for link in SituationAction.objects.filter(situation=situation, action=action):
        # One by one, so that django-auditlog records each deletion.
        link.delete()


@transaction.atomic
def action_save(*, action: Action, partners, suggested_for_motifs, by) -> Action:
    """Create or update a fiche-action (the form's instance); its code stays unique in its strategy."""
    if not is_coordinator(by):
        raise Refusal(_("Seule la coordination gère la stratégie."))
    duplicate = Action.objects.filter(strategy_id=action.axis.strategy_id, code=action.code).exclude(pk=action.pk)
    if duplicate.exists():
        raise Refusal(_("Le code %(code)s est déjà pris dans cette stratégie.") % {"code": action.code})
    action.save()
    action.partners.set(partners)
    action.suggested_for_motifs.set(suggested_for_motifs)
    return action


@transaction.atomic
def action_set_active(*, action_id, active: bool, by) -> Action:
    """Deactivate (or reactivate) a fiche-action: it stays in the figures and in past links."""
    if not is_coordinator(by):
        raise Refusal(_("Seule la coordination gère la stratégie."))
    action = Action.objects.select_for_update().get(pk=action_id)
    action.active = active
    action.save(update_fields=["active"])
    return action


@transaction.atomic
def action_delete(*, action_id, by) -> None:
    """Delete a fiche-action created by mistake; one linked to anything is deactivated instead."""
    if not is_coordinator(by):
        raise Refusal(_("Seule la coordination gère la stratégie."))
    action = Action.objects.select_for_update().get(pk=action_id)
    if action.situation_links.exists() or action.schemes.exists() or action.referrals.exists():
        raise Refusal(
            _("Cette fiche-action est liée à des situations, des dispositifs ou des orientations : désactivez-la.")
        )
    action.delete()


@transaction.atomic
def strategy_save(*, strategy: Strategy, by) -> Strategy:
    if not is_coordinator(by):
        raise Refusal(_("Seule la coordination gère la stratégie."))
    strategy.save()
    return strategy


@transaction.atomic
def axis_save(*, axis: Axis, by) -> Axis:
    if not is_coordinator(by):
        raise Refusal(_("Seule la coordination gère la stratégie."))
    if Axis.objects.filter(strategy_id=axis.strategy_id, number=axis.number).exclude(pk=axis.pk).exists():
        raise Refusal(_("L'axe %(number)s existe déjà dans cette stratégie.") % {"number": axis.number})
    axis.save()
    return axis


# --- Steering a fiche-action (its pilot partner, or the coordination) ------------------------------------


def _require_steerer(by, action: Action) -> None:
    if not may_steer(by, action):
        raise Refusal(_("Seuls le partenaire pilote de la fiche-action et la coordination en suivent les indicateurs."))


@transaction.atomic
def indicator_save(*, indicator: Indicator, by) -> Indicator:
    """Create or update an indicator of a fiche-action (the form's instance)."""
    _require_steerer(by, indicator.action)
    if indicator.starts_on > indicator.ends_on:
        raise Refusal(_("La fin de la période doit suivre son début."))
    if indicator.pk is None:
        indicator.created_by = by
    elif indicator.is_computed and indicator.values.exists():
        raise Refusal(_("Cet indicateur a des valeurs saisies : il ne peut pas devenir calculé."))
    indicator.save()
    return indicator


@transaction.atomic
def indicator_value_record(
    *, indicator: Indicator, value: Decimal, measured_on: datetime.date, source: str, by
) -> IndicatorValue:
    """A value the pilot measured, dated and sourced; a computed indicator takes none."""
    _require_steerer(by, indicator.action)
    if indicator.is_computed:
        raise Refusal(_("Cet indicateur est calculé par Parcours : il ne se saisit pas."))
    if measured_on > timezone.localdate():
        raise Refusal(_("La date de la mesure ne peut pas être dans le futur."))
    if not source.strip():
        raise Refusal(_("Indiquez la source de la valeur."))
    return IndicatorValue.objects.create(
        indicator=indicator, value=value, measured_on=measured_on, source=source.strip(), entered_by=by
    )


@transaction.atomic
def action_progress_record(*, action: Action, state: str, on: datetime.date, comment: str, by) -> Progress:
    """A dated state of progress of the fiche-action, with its comment; earlier ones stay as history."""
    _require_steerer(by, action)
    if state not in Progress.State.values:
        raise Refusal(_("Choisissez l'état d'avancement."))
    if on > timezone.localdate():
        raise Refusal(_("La date de l'état d'avancement ne peut pas être dans le futur."))
    return Progress.objects.create(action=action, state=state, on=on, comment=comment.strip(), recorded_by=by)


@transaction.atomic
def collective_session_record(
    *, action: Action, held_on: datetime.date, label: str, territory, counts: dict[tuple[str, str], int], by
) -> CollectiveSession:
    """A session of a collective action: counts of participants by (age band, gender), no name."""
    _require_steerer(by, action)
    if held_on > timezone.localdate():
        raise Refusal(_("La date de la séance ne peut pas être dans le futur."))
    if any(count < 0 for count in counts.values()) or not sum(counts.values()):
        raise Refusal(_("Indiquez au moins un participant."))
    session = CollectiveSession.objects.create(
        action=action, held_on=held_on, label=label.strip(), territory=territory, recorded_by=by
    )
    for (age_band, gender), count in counts.items():
        if count:
            CollectiveCount.objects.create(session=session, age_band=age_band, gender=gender, count=count)
    return session
