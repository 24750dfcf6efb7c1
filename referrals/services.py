"""Every change of a referral's state, in one place.

Each `referral_<verb>` is atomic, locks the referral row, checks who may act and from which state,
and raises `Refusal` with a message for the user otherwise. django-auditlog records
each change with its actor (the request's user, set by AuditlogMiddleware).

Who acts: the *group side* (people holding the change permission on the situation: its partner,
référent, the coordination) proposes, sends and abandons; members of the scheme's operator partner
accept, decline, start and end.

Access: sending grants the operator partner's group read-only access to the situation. Declining,
ending or abandoning schedules its revocation after PARCOURS_REFERRAL_GRACE_DAYS (closing notes);
`referral_access_expire` (Celery beat) then revokes it unless the partner still holds it for another
reason: it recorded the situation, or another of its referrals on the situation is still open or in
its own grace period. A référent's access is granted to the person, not the partner group, so it is
never touched here.
"""

import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from access import ledger
from access.models import CASE_ROLES, Reason, Role
from access.permissions import may_read_cases, membership_of
from casework.models import ConsentJustification, Note, Situation
from casework.selectors import consent_refused
from casework.services import ClosedSituationError, consent_gate, note_create
from core.refusal import Refusal
from notifications.models import Notification
from notifications.services import notification_queue
from referrals.models import DeclineReason, Outcome, Referral, Scheme
from referrals.routing import scheme_fit, situation_profile
from referrals.selectors import referrals_overdue

State = Referral.State


class JustificationRequired(Refusal):
    """The chosen scheme excludes the young person on age or quartier, and no reason was given."""


def _refuse_unless(state: str, allowed: tuple, done: str) -> None:
    if state not in allowed:
        raise Refusal(
            _("Cette orientation est %(state)s : elle ne peut pas être %(done)s.")
            % {"state": State(state).label, "done": done}
        )


def _lock(referral_id) -> Referral:
    return (
        Referral.objects.select_for_update(of=("self",))
        .select_related("situation", "scheme__operator__group")
        .get(pk=referral_id)
    )


def may_act_for_group(user, situation: Situation) -> bool:
    return ledger.holds(user, situation, ledger.CHANGE)


def may_act_for_operator(user, referral: Referral) -> bool:
    membership = membership_of(user)
    return bool(membership and membership.partner_id == referral.scheme.operator_id and may_read_cases(user))


def _require_group_side(user, situation: Situation) -> None:
    if not may_act_for_group(user, situation):
        raise Refusal(_("Seuls les partenaires qui suivent la situation et la coordination peuvent faire cela."))


def _require_operator(user, referral: Referral) -> None:
    if not may_act_for_operator(user, referral):
        raise Refusal(_("Seul le partenaire qui porte le dispositif peut répondre à cette orientation."))


def _require_open_situation(situation: Situation) -> None:
    if situation.is_closed:
        raise Refusal(_("La situation est clôturée : elle ne peut plus faire l'objet d'une orientation."))


def referral_link(referral: Referral) -> str:
    return reverse("referrals:referral_detail", args=[referral.pk])


def operator_contacts(scheme: Scheme):
    """Active members of the operator partner with the scheme's contact role (any case role if none has it)."""
    members = get_user_model().objects.filter(is_active=True, membership__partner_id=scheme.operator_id)
    contacts = members.filter(membership__role=scheme.contact_role)
    return contacts if contacts.exists() else members.filter(membership__role__in=CASE_ROLES)


def coordinators():
    return get_user_model().objects.filter(is_active=True, membership__role=Role.COORDINATOR)


def _notify(users, referral: Referral, kind: str, event: str) -> None:
    for user in users:
        notification_queue(
            recipient=user, kind=kind, link=referral_link(referral), dedupe_key=f"referral:{referral.pk}:{event}"
        )


@transaction.atomic
def referral_propose(
    *, situation: Situation, scheme: Scheme, by, justification: str = "", consent_justification: str = ""
) -> Referral:
    """Draft a referral. A scheme whose hard criteria exclude the young person needs a justification;
    a young person or family who refused needs another, or stops it, per the consent policy."""
    situation = (
        Situation.objects.select_for_update(of=("self",))
        .select_related("person__territory", "person__data_key", "data_key")
        .get(pk=situation.pk)
    )
    _require_open_situation(situation)
    _require_group_side(by, situation)
    if not scheme.active:
        raise Refusal(_("Ce dispositif n'est plus proposé."))
    justification = justification.strip()
    if not justification and not scheme_fit(scheme, situation_profile(situation)).eligible:
        raise JustificationRequired(
            _("Ce dispositif ne correspond pas aux critères d'âge ou de quartier : justifiez ce choix.")
        )
    if situation.referrals.filter(scheme=scheme, state__in=(State.PROPOSED, *Referral.OPEN_TO_OPERATOR)).exists():
        raise Refusal(_("Une orientation vers ce dispositif est déjà en cours pour cette situation."))
    consent_gate(
        situation=situation,
        by=by,
        action=ConsentJustification.Action.REFERRAL,
        justification=consent_justification,
    )
    referral = Referral(
        situation=situation,
        data_key=situation.data_key,
        scheme=scheme,
        # The referral keeps the scheme's fiche-action of the day: a later change of the scheme
        # does not rewrite what was done.
        action_id=scheme.action_id,
        proposed_by=by,
        justification=justification or None,
    )
    referral.save(force_insert=True)
    return referral


@transaction.atomic
def referral_send(*, referral_id, by) -> Referral:
    """Send to the operator: it may now read the situation, and its contacts are notified."""
    referral = _lock(referral_id)
    _require_group_side(by, referral.situation)
    _require_open_situation(referral.situation)
    _refuse_unless(referral.state, (State.PROPOSED,), _("envoyée"))
    if settings.PARCOURS_CONSENT_POLICY == "refus" and consent_refused(referral.situation):
        # A refusal recorded after the proposal stops the sending too.
        consent_gate(situation=referral.situation, by=by, action=ConsentJustification.Action.REFERRAL)
    operator = referral.scheme.operator
    if not operator.may_share:
        raise Refusal(
            _("%(partner)s n'a pas signé la charte ou n'est plus actif : l'orientation ne peut pas lui être envoyée.")
            % {"partner": operator}
        )
    now = timezone.now()
    referral.state = State.SENT
    referral.sent_at = now
    referral.deadline = timezone.localdate(now) + datetime.timedelta(days=referral.scheme.response_deadline_days)
    referral.save()
    # The operator reads the situation it was referred; it does not edit it.
    ledger.grant(referral.situation, group=operator.group, reason=Reason.SCHEME_OPERATOR, by=by, source=referral)
    _notify(operator_contacts(referral.scheme), referral, Notification.Kind.REFERRAL_RECEIVED, "sent")
    return referral


def _answer(referral: Referral, state: str) -> None:
    referral.state = state
    referral.answered_at = timezone.now()
    if referral.proposed_by.is_active:
        _notify([referral.proposed_by], referral, Notification.Kind.REFERRAL_ANSWERED, "answered")


@transaction.atomic
def referral_accept(*, referral_id, by) -> Referral:
    referral = _lock(referral_id)
    _require_operator(by, referral)
    _refuse_unless(referral.state, (State.SENT,), _("acceptée"))
    _answer(referral, State.ACCEPTED)
    referral.save()
    return referral


@transaction.atomic
def referral_decline(*, referral_id, by, reason: DeclineReason | None) -> Referral:
    referral = _lock(referral_id)
    _require_operator(by, referral)
    _refuse_unless(referral.state, (State.SENT,), _("refusée"))
    if reason is None or not reason.active:
        raise Refusal(_("Choisissez le motif du refus."))
    _answer(referral, State.DECLINED)
    referral.decline_reason = reason
    _close(referral, by)
    return referral


@transaction.atomic
def referral_start(*, referral_id, by) -> Referral:
    referral = _lock(referral_id)
    _require_operator(by, referral)
    _refuse_unless(referral.state, (State.ACCEPTED,), _("commencée"))
    referral.state = State.IN_PROGRESS
    referral.started_at = timezone.now()
    referral.save()
    return referral


@transaction.atomic
def referral_end(*, referral_id, by, outcome: Outcome | None) -> Referral:
    referral = _lock(referral_id)
    _require_operator(by, referral)
    _refuse_unless(referral.state, (State.IN_PROGRESS,), _("terminée"))
    if outcome is None or not outcome.active:
        raise Refusal(_("Choisissez l'issue de l'orientation."))
    referral.state = State.ENDED
    referral.outcome = outcome
    _close(referral, by)
    return referral


@transaction.atomic
def referral_abandon(*, referral_id, by) -> Referral:
    referral = _lock(referral_id)
    _require_group_side(by, referral.situation)
    _refuse_unless(referral.state, (State.PROPOSED, *Referral.OPEN_TO_OPERATOR), _("abandonnée"))
    referral.state = State.ABANDONED
    _close(referral, by)
    return referral


@transaction.atomic
def referral_note_add(*, referral_id, by, body: str, visibility: str) -> Note:
    """A note by the operator on the referred situation, while it reads it (closing notes included).

    The operator holds read-only access to the situation; this is its one way to write to it.
    """
    referral = _lock(referral_id)
    _require_operator(by, referral)
    if referral.sent_at is None or not ledger.caused_by(referral).filter(ledger.live()).exists():
        raise Refusal(_("Cette orientation ne vous donne plus accès à la situation."))
    try:
        return note_create(situation=referral.situation, by=by, body=body, visibility=visibility)
    except ClosedSituationError:
        raise Refusal(_("La situation est clôturée : on ne peut plus y ajouter de note.")) from None


def _close(referral: Referral, by) -> None:
    """Record the end; the operator keeps reading for the grace period (closing notes), then its
    grant for this referral ends by itself (another referral or reason may still stand). The group
    side (who proposed it, the référent) is told of an end or an abandonment it did not make itself."""
    now = timezone.now()
    referral.ended_at = now
    referral.save()
    if referral.state in (State.ENDED, State.ABANDONED):
        group_side = {referral.proposed_by, *([referral.situation.referent] if referral.situation.referent else [])}
        _notify(
            [user for user in group_side if user.is_active and user != by],
            referral,
            Notification.Kind.REFERRAL_ENDED,
            "ended",
        )
    if referral.sent_at is not None:
        grace = now + datetime.timedelta(days=settings.PARCOURS_REFERRAL_GRACE_DAYS)
        ledger.end_caused_by(referral, by=by, at=grace, situation=referral.situation)


# The coded outcome of referrals ended because their situation closed (referrals/migrations/0003).
SITUATION_CLOSED_OUTCOME = "cloture-situation"


def referrals_end_on_closing(*, situation: Situation, by, grace_until: datetime.datetime) -> int:
    """The situation closes: each open referral ends with it (called by `casework.closing`).

    A referral the operator received ends with the coded outcome « clôture de la situation » and its
    contacts are told; a draft never sent is abandoned. The operator keeps reading until
    `grace_until` (closing notes), as after any end. Return how many referrals ended.
    """
    outcome = Outcome.objects.get(code=SITUATION_CLOSED_OUTCOME)
    open_referrals = (
        situation.referrals.select_for_update(of=("self",))
        .filter(state__in=(State.PROPOSED, *Referral.OPEN_TO_OPERATOR))
        .select_related("scheme")
    )
    now = timezone.now()
    ended = 0
    for referral in open_referrals:
        referral.ended_at = now
        if referral.sent_at is None:
            referral.state = State.ABANDONED
            referral.save()
        else:
            referral.state, referral.outcome = State.ENDED, outcome
            referral.save()
            ledger.end_caused_by(referral, by=by, at=grace_until, situation=situation)
            _notify(
                operator_contacts(referral.scheme),
                referral,
                Notification.Kind.REFERRAL_SITUATION_CLOSED,
                "situation-closed",
            )
        ended += 1
    return ended


def operator_access_until(referral: Referral) -> datetime.datetime | None:
    """When the operator's grant for this referral ends (None: it stands, or none was given)."""
    return ledger.caused_by(referral).values_list("expires_at", flat=True).first()


def referral_reminders_send(*, now: datetime.datetime | None = None) -> int:
    """Remind operators of referrals unanswered past their deadline, and flag them to the coordination.

    A referral is reminded at most once per PARCOURS_REFERRAL_REMINDER_DAYS; return how many were.
    """
    now = now or timezone.now()
    due_before = now - datetime.timedelta(days=settings.PARCOURS_REFERRAL_REMINDER_DAYS)
    reminded = 0
    with transaction.atomic():
        due = list(
            referrals_overdue(timezone.localdate(now))
            .filter(Q(last_reminder_at=None) | Q(last_reminder_at__lte=due_before))
            .select_for_update(of=("self",), skip_locked=True)
            .select_related("scheme")
        )
        coordination = list(coordinators())
        for referral in due:
            referral.reminder_count += 1
            referral.last_reminder_at = now
            referral.save(update_fields=["reminder_count", "last_reminder_at"])
            event = f"reminder:{referral.reminder_count}"
            _notify(operator_contacts(referral.scheme), referral, Notification.Kind.REFERRAL_REMINDER, event)
            _notify(coordination, referral, Notification.Kind.REFERRAL_OVERDUE, event)
            reminded += 1
    return reminded


@transaction.atomic
def scheme_set_active(*, scheme_id: int, active: bool) -> Scheme:
    """Retire a scheme from routing (or bring it back); its referrals keep going."""
    scheme = Scheme.objects.select_for_update().get(pk=scheme_id)
    scheme.active = active
    scheme.save(update_fields=["active"])
    return scheme
