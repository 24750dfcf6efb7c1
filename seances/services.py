"""Every change of a séance, in one place.

Each function is atomic, locks the séance row, checks who acts and from which state, and raises
`Refusal` with a French message otherwise. Decisions on a situation go through the services
that own it (`casework.services.situation_update` / `situation_close`, `referrals.services`), never
around them; django-auditlog records each change with its actor.

Access: while a séance runs, each present attendee holds read-only access to every situation of its
agenda: a grant of the ledger for the reason « séance », caused by the séance. At closing those grants
get their end (closing + PARCOURS_SEANCE_ACCESS_HOURS), which every read checks; other reasons of the
same person (référent, break-glass, another séance) stand on their own rows.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from access import ledger
from access.models import CASE_ROLES, DataKey, Reason, Role
from access.permissions import has_accepted_current_charter, is_coordinator, may_read_cases, membership_of
from audit.models import Kind as AuditKind
from audit.services import security_record
from casework import services as casework_services
from casework.models import ClosureReason, ConsentJustification, Situation
from core.refusal import Refusal
from notifications.models import Notification
from notifications.services import notification_queue
from referrals import services as referral_services
from seances.models import (
    Addendum,
    AgendaItem,
    Attendance,
    Decision,
    Invitation,
    NotRetainedReason,
    Objective,
    Seance,
    Step,
)
from seances.selectors import agenda_proposal, held_from_proposal

Kind = Decision.Kind
Status = Situation.Status


def _require_coordinator(user) -> None:
    if not (is_coordinator(user) and may_read_cases(user)):
        raise Refusal(_("Seule la coordination du groupe peut faire cela."))


def _lock(seance_id) -> Seance:
    return Seance.objects.select_for_update().get(pk=seance_id)


def _refuse_if_closed(seance: Seance) -> None:
    if seance.is_closed:
        raise Refusal(_("La séance est clôturée : elle ne se modifie plus, seul un addendum peut la corriger."))


def _refuse_unless_running(seance: Seance) -> None:
    _refuse_if_closed(seance)
    if not seance.is_running:
        raise Refusal(_("Les décisions se prennent en séance : ouvrez d'abord la séance."))


def attendance_refusal(user) -> str | None:
    """Why this person may not sit in the séance (None when they may): a member of an active
    partner bound by the signed charter, with a case role, who accepted the current charter."""
    membership = membership_of(user)
    name = user.get_full_name() or user.username
    if membership is None or membership.role not in CASE_ROLES:
        return _("%(name)s n'a pas de rôle lui permettant de siéger au groupe.") % {"name": name}
    if not membership.partner.may_share:
        return _(
            "%(partner)s n'a pas signé la charte déontologique ou n'est plus actif : %(name)s ne peut pas "
            "siéger au groupe."
        ) % {"partner": membership.partner, "name": name}
    if not has_accepted_current_charter(user):
        return _("%(name)s n'a pas encore accepté la charte déontologique : il ou elle ne peut pas siéger.") % {
            "name": name
        }
    return None


# --- Preparing ------------------------------------------------------------------------------------------


@transaction.atomic
def seance_create(*, by, date: datetime.date, start_time: datetime.time, place: str, territory=None) -> Seance:
    _require_coordinator(by)
    if date < timezone.localdate():
        raise Refusal(_("La date de la séance ne peut pas être passée."))
    return Seance.objects.create(
        date=date,
        start_time=start_time,
        place=place.strip(),
        territory=territory,
        data_key=DataKey.generate(),
        created_by=by,
    )


@transaction.atomic
def seance_edit(*, seance_id, by, date: datetime.date, start_time: datetime.time, place: str, territory=None):
    _require_coordinator(by)
    seance = _lock(seance_id)
    if not seance.is_preparation:
        raise Refusal(_("Seule une séance en préparation peut être déplacée ou modifiée."))
    seance.date, seance.start_time, seance.place, seance.territory = date, start_time, place.strip(), territory
    seance.save()
    return seance


def seance_link(seance: Seance) -> str:
    return reverse("seances:seance_detail", args=[seance.pk])


@transaction.atomic
def invitation_create(*, seance_id, user, by) -> Invitation:
    """Invite a partner member; they are notified (a fixed sentence and a link)."""
    _require_coordinator(by)
    seance = _lock(seance_id)
    _refuse_if_closed(seance)
    refusal = attendance_refusal(user)
    if refusal:
        raise Refusal(refusal)
    invitation, created = Invitation.objects.get_or_create(seance=seance, user=user, defaults={"invited_by": by})
    if created and user.is_active:
        notification_queue(
            recipient=user,
            kind=Notification.Kind.SEANCE_INVITATION,
            link=seance_link(seance),
            dedupe_key=f"seance:{seance.pk}:invitation",
        )
    return invitation


@transaction.atomic
def invitation_remove(*, seance_id, user_id, by) -> None:
    _require_coordinator(by)
    seance = _lock(seance_id)
    _refuse_if_closed(seance)
    Invitation.objects.filter(seance=seance, user_id=user_id).delete()


def _next_position(seance: Seance) -> int:
    return (seance.items.aggregate(last=Max("position"))["last"] or 0) + 1


def _add_item(seance: Seance, situation: Situation, reason: str, by, now) -> AgendaItem:
    if situation.restricted:
        raise Refusal(
            _("La situation %(ref)s fait l'objet d'une limitation du traitement : elle ne peut pas être examinée.")
            % {"ref": situation.reference}
        )
    if situation.is_ended:
        raise Refusal(
            _("La situation %(ref)s est close ou non retenue : une nouvelle saisine rouvre le suivi.")
            % {"ref": situation.reference}
        )
    if AgendaItem.objects.filter(seance=seance, situation=situation).exists():
        raise Refusal(_("La situation %(ref)s est déjà à l'ordre du jour.") % {"ref": situation.reference})
    item = AgendaItem.objects.create(
        seance=seance,
        situation=situation,
        data_key_id=situation.data_key_id,
        position=_next_position(seance),
        reason=reason,
        added_by=by,
    )
    if seance.is_running:
        for attendance in seance.attendances.select_related("user"):
            _grant(seance, situation, attendance.user, by)
    return item


@transaction.atomic
def agenda_item_add(
    *, seance_id, situation: Situation, by, reason: str = AgendaItem.Reason.ADDED, consent_justification: str = ""
) -> AgendaItem:
    """Put a situation on the agenda (the caller found it through `situations_for(by)`); if the young
    person or the family refused, the consent policy applies (`casework.services.consent_gate`)."""
    _require_coordinator(by)
    seance = _lock(seance_id)
    _refuse_if_closed(seance)
    casework_services.consent_gate(
        situation=situation, by=by, action=ConsentJustification.Action.SEANCE, justification=consent_justification
    )
    item = _add_item(seance, situation, reason, by, timezone.now())
    _notify_agenda_changed(seance)
    return item


@transaction.atomic
def agenda_proposal_accept(*, seance_id, by) -> int:
    """Add every proposed situation to the agenda, in the proposal's order; return how many."""
    _require_coordinator(by)
    seance = _lock(seance_id)
    _refuse_if_closed(seance)
    now = timezone.now()
    # A situation whose family refused is added one by one, with its justification, when the policy
    # lets it be added at all.
    proposals = [proposal for proposal in agenda_proposal(seance, by) if not held_from_proposal(proposal.situation)]
    for proposal in proposals:
        _add_item(seance, proposal.situation, proposal.reason, by, now)
    if proposals:
        _notify_agenda_changed(seance)
    return len(proposals)


def _notify_agenda_changed(seance: Seance) -> None:
    """Tell the invited members that the agenda changed: at most once a day each (the page shows the
    agenda as it stands when they open it)."""
    today = timezone.localdate()
    for invitation in seance.invitations.select_related("user").filter(user__is_active=True):
        notification_queue(
            recipient=invitation.user,
            kind=Notification.Kind.SEANCE_AGENDA,
            link=seance_link(seance),
            dedupe_key=f"seance:{seance.pk}:agenda:{today.isoformat()}",
        )


def _renumber(seance: Seance) -> None:
    for position, item in enumerate(seance.items.order_by("position", "added_at"), start=1):
        if item.position != position:
            AgendaItem.objects.filter(pk=item.pk).update(position=position)


@transaction.atomic
def agenda_item_remove(*, seance_id, item_id, by) -> None:
    _require_coordinator(by)
    seance = _lock(seance_id)
    _refuse_if_closed(seance)
    item = AgendaItem.objects.select_related("situation").get(seance=seance, pk=item_id)
    if item.decisions.exists():
        raise Refusal(_("Des décisions sont déjà prises sur ce point : il ne peut plus être retiré."))
    ledger.end_caused_by(seance, by=by, situation=item.situation)
    item.delete()
    _renumber(seance)
    _notify_agenda_changed(seance)


@transaction.atomic
def agenda_item_move(*, seance_id, item_id, by, offset: int) -> None:
    """Move a point up (offset -1) or down (+1)."""
    _require_coordinator(by)
    seance = _lock(seance_id)
    _refuse_if_closed(seance)
    _renumber(seance)
    items = list(seance.items.order_by("position"))
    index = next((i for i, item in enumerate(items) if str(item.pk) == str(item_id)), None)
    if index is None:
        raise AgendaItem.DoesNotExist
    other = index + offset
    if 0 <= other < len(items):
        first, second = items[index], items[other]
        AgendaItem.objects.filter(pk=first.pk).update(position=second.position)
        AgendaItem.objects.filter(pk=second.pk).update(position=first.position)


@transaction.atomic
def item_summary_set(*, seance_id, item_id, by, summary: str) -> AgendaItem:
    _require_coordinator(by)
    seance = _lock(seance_id)
    _refuse_if_closed(seance)
    item = AgendaItem.objects.select_related("data_key").get(seance=seance, pk=item_id)
    item.summary = summary.strip() or None
    item.save(update_fields=["summary"])
    return item


# --- Attendance and the access window -------------------------------------------------------------------


def _grant(seance: Seance, situation: Situation, user, by) -> None:
    ledger.grant(situation, user=user, reason=Reason.SEANCE, by=by, source=seance)


@transaction.atomic
def attendance_record(*, seance_id, user, by, pledge: bool) -> Attendance:
    """Mark a member present, with the confidentiality pledge they confirmed for this séance.

    The coordinator records anyone; a member records only themselves. Once the séance runs, the
    member reads the situations of the agenda.
    """

    if by.pk != user.pk:
        _require_coordinator(by)
    seance = _lock(seance_id)
    _refuse_if_closed(seance)
    if by.pk == user.pk and not (is_coordinator(by) or Invitation.objects.filter(seance=seance, user=user).exists()):
        raise Refusal(_("Vous n'êtes pas invité·e à cette séance."))
    refusal = attendance_refusal(user)
    if refusal:
        raise Refusal(refusal)
    if not pledge:
        raise Refusal(_("L'engagement de confidentialité doit être confirmé pour siéger."))
    if Attendance.objects.filter(seance=seance, user=user).exists():
        raise Refusal(_("Cette personne est déjà inscrite comme présente."))
    now = timezone.now()
    attendance = Attendance.objects.create(
        seance=seance, user=user, partner=user.membership.partner, pledge_confirmed_at=now, recorded_by=by
    )
    security_record(AuditKind.SEANCE_PLEDGE, user=user, obj=seance, detail=f"{seance} — présence et engagement")
    if seance.is_running:
        for item in seance.items.select_related("situation"):
            _grant(seance, item.situation, user, by)
    return attendance


@transaction.atomic
def attendance_remove(*, seance_id, user_id, by) -> None:
    """A presence recorded by mistake; the member's séance access ends at once."""
    _require_coordinator(by)
    seance = _lock(seance_id)
    _refuse_if_closed(seance)
    ledger.end_caused_by(seance, by=by, user=get_user_model().objects.get(pk=user_id))
    Attendance.objects.filter(seance=seance, user_id=user_id).delete()


@transaction.atomic
def seance_start(*, seance_id, by) -> Seance:
    """Open the séance: present members read the agenda's situations from now on."""
    _require_coordinator(by)
    seance = _lock(seance_id)
    if not seance.is_preparation:
        raise Refusal(_("Cette séance est déjà ouverte ou clôturée."))
    if not seance.items.exists():
        raise Refusal(_("L'ordre du jour est vide : ajoutez au moins une situation avant d'ouvrir la séance."))
    now = timezone.now()
    seance.status, seance.started_at, seance.started_by = Seance.Status.RUNNING, now, by
    seance.save()
    attendees = [attendance.user for attendance in seance.attendances.select_related("user")]
    for item in seance.items.select_related("situation"):
        for user in attendees:
            _grant(seance, item.situation, user, by)
    return seance


@transaction.atomic
def seance_close(*, seance_id, by) -> Seance:
    """Close the séance: it is frozen, and the attendees' access ends after the configured window."""
    _require_coordinator(by)
    seance = _lock(seance_id)
    if not seance.is_running:
        raise Refusal(_("Seule une séance en cours peut être clôturée."))
    now = timezone.now()
    seance.status, seance.closed_at, seance.closed_by = Seance.Status.CLOSED, now, by
    seance.save()
    ledger.end_caused_by(seance, by=by, at=now + datetime.timedelta(hours=settings.PARCOURS_SEANCE_ACCESS_HOURS))
    return seance


# --- Decisions ------------------------------------------------------------------------------------------


def _writable(situation: Situation) -> None:
    if situation.is_closed:
        raise Refusal(
            _("La situation %(ref)s est clôturée : elle est en lecture seule.") % {"ref": situation.reference}
        )
    if situation.restricted:
        raise Refusal(
            _(
                "La situation %(ref)s fait l'objet d'une limitation du traitement : "
                "aucune décision ne peut y être prise."
            )
            % {"ref": situation.reference}
        )


def _update(situation: Situation, by, changes: dict) -> Situation:
    try:
        return casework_services.situation_update(
            situation_id=situation.pk, by=by, expected_version=situation.version, changes=changes
        )
    except ValueError as error:
        raise Refusal(str(error)) from None


def _examined(situation: Situation, by) -> Situation:
    """The group examined it: a saisine still « reçue » becomes « examinée » first."""
    if situation.status == Status.RECEIVED:
        return _update(situation, by, {"status": Status.EXAMINED})
    return situation


@transaction.atomic
def decision_record(
    *,
    seance_id,
    item_id,
    by,
    kind: str,
    not_retained_reason: NotRetainedReason | None = None,
    referent=None,
    scheme=None,
    justification: str = "",
    consent_justification: str = "",
    partner=None,
    action_label: str = "",
    due_on: datetime.date | None = None,
    objective_id=None,
    objective_domain: str = "",
    objective_label: str = "",
    step_id=None,
    step_status: str = "",
    next_review_on: datetime.date | None = None,
    closure_reason: ClosureReason | None = None,
    youth_outcome: str = "",
) -> Decision:
    """Record one coded decision on a point, applying it to the situation through its own services."""
    _require_coordinator(by)
    seance = _lock(seance_id)
    _refuse_unless_running(seance)
    item = AgendaItem.objects.select_related("situation").get(seance=seance, pk=item_id)
    situation = Situation.objects.select_for_update(of=("self",)).get(pk=item.situation_id)
    _writable(situation)
    if not ledger.holds(by, situation, ledger.CHANGE):
        raise Refusal(_("Vous n'avez pas accès en modification à la situation %(ref)s.") % {"ref": situation.reference})
    decision = Decision(item=item, kind=kind, decided_by=by)
    today = timezone.localdate()
    if kind == Kind.EXAMINED:
        _examined(situation, by)
    elif kind == Kind.NOT_RETAINED:
        if not_retained_reason is None or not not_retained_reason.active:
            raise Refusal(_("Choisissez pourquoi la saisine n'est pas retenue."))
        situation = _examined(situation, by)
        _update(situation, by, {"status": Status.NOT_RETAINED})
        decision.not_retained_reason = not_retained_reason
    elif kind == Kind.FOLLOW_UP:
        if referent is None:
            raise Refusal(_("Désignez le ou la référent·e de parcours."))
        refusal = attendance_refusal(referent)
        if refusal:
            raise Refusal(refusal)
        situation = _examined(situation, by)
        changes = {"referent": referent}
        if situation.status == Status.EXAMINED:
            changes["status"] = Status.ACTIVE
        _update(situation, by, changes)
        decision.referent, decision.partner = referent, referent.membership.partner
    elif kind == Kind.REFERRAL:
        if scheme is None:
            raise Refusal(_("Choisissez le dispositif."))
        situation = _examined(situation, by)
        try:
            referral = referral_services.referral_propose(
                situation=situation,
                scheme=scheme,
                by=by,
                justification=justification,
                consent_justification=consent_justification,
            )
            referral = referral_services.referral_send(referral_id=referral.pk, by=by)
        except Refusal as error:
            raise Refusal(error.message) from None
        decision.referral, decision.partner = referral, scheme.operator
    elif kind == Kind.ACTION:
        if partner is None or not action_label.strip() or due_on is None:
            raise Refusal(_("Indiquez le partenaire sollicité, l'action demandée et son échéance."))
        _examined(situation, by)
        step = _step_create(
            situation=situation,
            by=by,
            partner=partner,
            label=action_label,
            due_on=due_on,
            objective_id=objective_id,
            item=item,
        )
        # The partner asked to act reads the situation and writes its notes until the action is due
        # and the grace period after it has passed.
        casework_services.partner_associate(
            situation_id=situation.pk,
            partner=partner,
            by=by,
            motive=_("Action demandée par le groupe en séance du %(date)s.") % {"date": f"{seance.date:%d/%m/%Y}"},
            until=due_on + datetime.timedelta(days=settings.PARCOURS_REFERRAL_GRACE_DAYS),
            notify=False,
        )
        decision.step, decision.partner = step, partner
    elif kind == Kind.STEP_CLOSED:
        step = situation.steps.filter(pk=step_id).first() if step_id else None
        if step is None:
            raise Refusal(_("Choisissez l'étape du plan à clore."))
        if step_status not in (Step.Status.DONE, Step.Status.ABANDONED):
            raise Refusal(_("Indiquez si l'étape est faite ou abandonnée."))
        step = step_set_status(
            step_id=step.pk,
            by=by,
            status=step_status,
            reason=_("Abandon décidé par le groupe en séance du %(date)s.") % {"date": f"{seance.date:%d/%m/%Y}"},
        )
        decision.step, decision.partner = step, step.partner
    elif kind == Kind.OBJECTIVE:
        _examined(situation, by)
        decision.objective = _objective_create(situation, by=by, domain=objective_domain, label=objective_label)
    elif kind == Kind.NEXT_REVIEW:
        if next_review_on is None or next_review_on <= seance.date:
            raise Refusal(_("Le prochain examen doit être fixé après la date de la séance."))
        situation = _examined(situation, by)
        _update(situation, by, {"next_review_on": next_review_on})
        decision.next_review_on = next_review_on
    elif kind == Kind.CLOSURE:
        if closure_reason is None or not closure_reason.active:
            raise Refusal(_("Choisissez le motif de clôture."))
        situation = _examined(situation, by)
        try:
            casework_services.situation_close(
                situation_id=situation.pk,
                by=by,
                expected_version=situation.version,
                reason=closure_reason,
                closed_on=max(today, situation.received_on),
                outcome=youth_outcome,
            )
        except ValueError as error:
            raise Refusal(str(error)) from None
        decision.closure_reason = closure_reason
    else:
        raise Refusal(_("Décision inconnue."))
    decision.save(force_insert=True)
    return decision


# --- After the séance -----------------------------------------------------------------------------------


@transaction.atomic
def addendum_add(*, seance_id, by, text: str, item_id=None) -> Addendum:
    """The only change a closed séance accepts: a dated, signed correction."""
    _require_coordinator(by)
    seance = _lock(seance_id)
    if not seance.is_closed:
        raise Refusal(_("Tant que la séance n'est pas clôturée, corrigez directement ses décisions."))
    text = text.strip()
    if not text:
        raise Refusal(_("Écrivez la correction."))
    item = AgendaItem.objects.get(seance=seance, pk=item_id) if item_id else None
    return Addendum.objects.create(
        seance=seance,
        item=item,
        data_key_id=item.data_key_id if item else seance.data_key_id,
        text=text,
        author=by,
    )


# --- The plan d'accompagnement ---------------------------------------------------------------------------
# Its objectives and steps are edited by the situation's référent and the coordination; a member of
# the partner responsible for a step moves the step along (en cours, fait, abandonné).


def may_edit_plan(user, situation: Situation) -> bool:
    """The référent of the situation and the coordination edit its plan (while it may change)."""
    if not may_read_cases(user) or not ledger.holds(user, situation, ledger.CHANGE):
        return False
    return is_coordinator(user) or situation.referent_id == user.pk


def _plan_situation(situation_id, by) -> Situation:
    situation = Situation.objects.select_for_update(of=("self",)).get(pk=situation_id)
    _writable(situation)
    if not may_edit_plan(by, situation):
        raise Refusal(_("Seuls le ou la référent·e de parcours et la coordination modifient le plan d'accompagnement."))
    return situation


def _objective_create(situation: Situation, *, by, domain: str, label: str) -> Objective:
    label = label.strip()
    if domain not in Objective.Domain.values or not label:
        raise Refusal(_("Choisissez le domaine et écrivez l'objectif."))
    return Objective.objects.create(
        situation=situation, data_key_id=situation.data_key_id, domain=domain, label=label, created_by=by
    )


@transaction.atomic
def objective_add(*, situation_id, by, domain: str, label: str) -> Objective:
    """Add an objective to the plan outside a séance (in séance, a decision « objectif ajouté » does)."""
    situation = _plan_situation(situation_id, by)
    return _objective_create(situation, by=by, domain=domain, label=label)


@transaction.atomic
def objective_set_status(*, objective_id, by, status: str) -> Objective:
    objective = Objective.objects.select_for_update().get(pk=objective_id)
    _plan_situation(objective.situation_id, by)
    if status not in Objective.Status.values:
        raise Refusal(_("État inconnu."))
    objective.status = status
    objective.status_on = None if status == Objective.Status.OPEN else timezone.localdate()
    objective.save(update_fields=["status", "status_on"])
    return objective


# When is an objective « atteint »? The evaluation counts reached objectives by domain, so the answer
# must not depend on someone remembering to come back to each one, nor be guessed by the machine.
# Steps are means: all of them done does not prove the objective met (a family met three times may
# still not be back at school), so the last step done never marks the objective by itself. Instead:
# - once every step of an open objective is closed and at least one is done, the plan (and the
#   message after the last step) offers one click, « Marquer l'objectif atteint », to whoever edits
#   the plan: a judgement made in one gesture, at the moment it becomes plausible;
# - closing the situation with the coded reason « objectifs atteints » states it for the whole plan:
#   every objective still open is marked reached on the closing date (`objectives_reach_on_closing`).
#   Another closing reason leaves open objectives open: the evaluation counts them as not reached.
REACHED_ON_CLOSING = "objectifs-atteints"


def objective_may_be_marked_reached(objective: Objective | None, steps) -> bool:
    """True when the plan should offer « Marquer l'objectif atteint »: the objective is open, it has
    steps, none is pending any more and at least one was done (all abandoned offers nothing)."""
    if objective is None or objective.status != Objective.Status.OPEN or not steps:
        return False
    return not any(step.is_pending for step in steps) and any(step.status == Step.Status.DONE for step in steps)


def objective_ready_after(step: Step) -> Objective | None:
    """The objective this step serves, if closing the step made it ready to be marked reached."""
    if step.objective_id is None:
        return None
    objective = Objective.objects.get(pk=step.objective_id)
    return objective if objective_may_be_marked_reached(objective, list(objective.steps.all())) else None


def objectives_reach_on_closing(*, situation: Situation, by, grace_until: datetime.datetime) -> int:
    """The situation closes (called by `casework.closing`): with the reason « objectifs atteints »,
    its open objectives are marked reached on the closing date, each saved on its own so that the
    change log records it with its actor. Return how many."""
    if situation.closure_reason is None or situation.closure_reason.code != REACHED_ON_CLOSING:
        return 0
    reached = 0
    for objective in situation.objectives.select_for_update().filter(status=Objective.Status.OPEN):
        objective.status, objective.status_on = Objective.Status.REACHED, situation.closed_on or timezone.localdate()
        objective.save(update_fields=["status", "status_on"])
        reached += 1
    return reached


def _notify_step(step: Step) -> None:
    """Tell the responsible partner's members that the group asks something of them (no personal data)."""
    members = get_user_model().objects.filter(
        is_active=True, membership__partner_id=step.partner_id, membership__role__in=CASE_ROLES
    )
    for user in members:
        notification_queue(
            recipient=user,
            kind=Notification.Kind.SEANCE_ACTION,
            link=reverse("seances:followup_list"),
            dedupe_key=f"action:{step.pk}",
        )


def _step_create(*, situation: Situation, by, partner, label: str, due_on, objective_id=None, item=None) -> Step:
    label = label.strip()
    if partner is None or not label or due_on is None:
        raise Refusal(_("Indiquez le partenaire responsable, l'étape et son échéance."))
    if not partner.may_share:
        raise Refusal(
            _("%(partner)s n'a pas signé la charte ou n'est plus actif : aucune action ne peut lui être demandée.")
            % {"partner": partner}
        )
    if due_on < timezone.localdate():
        raise Refusal(_("L'échéance de l'action ne peut pas être passée."))
    objective = situation.objectives.filter(pk=objective_id).first() if objective_id else None
    if objective_id and objective is None:
        raise Refusal(_("Cet objectif n'appartient pas au plan de cette situation."))
    step = Step.objects.create(
        situation=situation,
        objective=objective,
        item=item,
        data_key_id=situation.data_key_id,
        partner=partner,
        label=label,
        due_on=due_on,
        created_by=by,
    )
    _notify_step(step)
    return step


@transaction.atomic
def step_add(*, situation_id, by, partner, label: str, due_on: datetime.date, objective_id=None) -> Step:
    """Add a step to the plan outside a séance. The responsible partner is told; it reads the
    situation only if it holds it already (the coordination associates a partner if need be)."""
    situation = _plan_situation(situation_id, by)
    return _step_create(
        situation=situation, by=by, partner=partner, label=label, due_on=due_on, objective_id=objective_id
    )


def may_move_step(user, step: Step) -> bool:
    membership = membership_of(user)
    if not may_read_cases(user):
        return False
    if is_coordinator(user) or (membership and membership.partner_id == step.partner_id):
        return True
    return step.situation.referent_id == user.pk


@transaction.atomic
def step_set_status(*, step_id, by, status: str, reason: str = "") -> Step:
    """Move a step along: a member of the responsible partner, the référent or the coordination.
    Abandoning a step needs its reason (stored encrypted; the change log records who and when)."""
    step = Step.objects.select_for_update(of=("self",)).select_related("situation").get(pk=step_id)
    if not may_move_step(by, step):
        raise Refusal(
            _("Seuls le partenaire responsable, le ou la référent·e et la coordination font avancer cette étape.")
        )
    _writable(step.situation)
    if status not in Step.Status.values:
        raise Refusal(_("État inconnu."))
    if not step.is_pending:
        raise Refusal(_("Cette étape est déjà close (%(status)s).") % {"status": step.get_status_display()})
    reason = reason.strip()
    if status == Step.Status.ABANDONED and not reason:
        raise Refusal(_("Indiquez pourquoi l'étape est abandonnée."))
    step.status = status
    step.abandon_reason = reason if status == Step.Status.ABANDONED else None
    if status in Step.PENDING:
        step.ended_on, step.ended_by = None, None
    else:
        step.ended_on, step.ended_by = timezone.localdate(), by
    step.save(update_fields=["status", "ended_on", "ended_by", "abandon_reason"])
    return step


def steps_end_on_closing(*, situation: Situation, by, grace_until: datetime.datetime) -> int:
    """The situation closes: its pending steps are abandoned (called by `casework.closing`); each is
    saved on its own, so that the change log records it with its actor."""
    ended = 0
    for step in situation.steps.select_for_update().filter(status__in=Step.PENDING):
        step.status, step.ended_on, step.ended_by = Step.Status.ABANDONED, timezone.localdate(), by
        step.abandon_reason = _("Situation clôturée.")
        step.save(update_fields=["status", "ended_on", "ended_by", "abandon_reason"])
        ended += 1
    return ended


def step_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Remind the responsible partner's members and the coordination of each pending step past its due
    date, at most once per PARCOURS_STEP_REMINDER_DAYS (Celery beat, hourly); return how many steps
    were reminded. A restricted situation (GDPR art. 18) reminds no one, as for review dates
    (`casework.services.review_reminders_send`): nothing may be done on it. Each reminder is one
    notification per person and per reminder number, so a second run in the same interval sends
    nothing."""
    now = now or timezone.now()
    due_before = now - datetime.timedelta(days=settings.PARCOURS_STEP_REMINDER_DAYS)
    reminded = 0
    with transaction.atomic():
        due = list(
            Step.objects.filter(status__in=Step.PENDING, due_on__lt=timezone.localdate(now))
            .filter(Q(last_reminder_at=None) | Q(last_reminder_at__lte=due_before))
            .exclude(situation__status__in=(Status.CLOSED, Status.NOT_RETAINED))
            .exclude(situation__restricted=True)
            .select_for_update(of=("self",), skip_locked=True)
        )
        coordination = list(get_user_model().objects.filter(is_active=True, membership__role=Role.COORDINATOR))
        for step in due:
            step.reminder_count += 1
            step.last_reminder_at = now
            step.save(update_fields=["reminder_count", "last_reminder_at"])
            members = get_user_model().objects.filter(
                is_active=True, membership__partner_id=step.partner_id, membership__role__in=CASE_ROLES
            )
            for user in {*members, *coordination}:
                notification_queue(
                    recipient=user,
                    kind=Notification.Kind.STEP_OVERDUE,
                    link=reverse("seances:followup_list"),
                    dedupe_key=f"step:{step.pk}:reminder:{step.reminder_count}",
                )
            reminded += 1
    return reminded
