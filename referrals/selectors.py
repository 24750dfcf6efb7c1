"""Reads of referrals and schemes, with the permission filter built in.

A person sees a referral only while they may read its situation (so an operator whose access was
revoked gets 404), and only if they act on it: the group side (change permission on the situation)
sees every referral of the situation; an operator's member sees the referrals sent to its partner's
schemes, never the situation's other orientations nor drafts.
"""

import datetime

from django.conf import settings
from django.db.models import Case, IntegerField, Q, Value, When
from django.http import Http404
from django.utils import timezone

from access.ledger import CHANGE
from access.permissions import is_coordinator, membership_of
from casework.selectors import situations_for
from referrals.models import Referral, Scheme


def referrals_visible_to(user):
    membership = membership_of(user)
    operator_side = Q(scheme__operator_id=membership.partner_id, sent_at__isnull=False) if membership else Q(pk=None)
    return Referral.objects.filter(situation__in=situations_for(user)).filter(
        Q(situation__in=situations_for(user, CHANGE)) | operator_side
    )


def referral_for(user, referral_id) -> Referral:
    try:
        return (
            referrals_visible_to(user)
            .select_related(
                "situation__person__data_key",
                "situation__data_key",
                "data_key",
                "scheme__operator",
                "proposed_by",
                "decline_reason",
                "outcome",
            )
            .get(pk=referral_id)
        )
    except (Referral.DoesNotExist, ValueError):
        raise Http404 from None


def referrals_of_situation(user, situation):
    return (
        referrals_visible_to(user)
        .filter(situation=situation)
        .select_related("scheme__operator", "proposed_by", "decline_reason", "outcome")
        .order_by("-proposed_at")
    )


def referrals_incoming(user):
    """For "Mes orientations": what my partner's schemes received and still reads, answers due first."""
    membership = membership_of(user)
    if membership is None:
        return Referral.objects.none()
    grace = datetime.timedelta(days=settings.PARCOURS_REFERRAL_GRACE_DAYS)
    return (
        referrals_visible_to(user)
        .filter(scheme__operator_id=membership.partner_id)
        # Still open, or ended within the grace period in which the operator writes its closing notes.
        .filter(Q(state__in=Referral.OPEN_TO_OPERATOR) | Q(ended_at__gt=timezone.now() - grace))
        .select_related("situation__person__data_key", "scheme")
        .annotate(
            awaiting=Case(When(state=Referral.State.SENT, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
        .order_by("awaiting", "deadline", "-sent_at")
    )


def referrals_to_answer_for(user):
    """Referrals sent to my partner's schemes that await its answer, nearest deadline first."""
    return referrals_incoming(user).filter(state=Referral.State.SENT)


def referrals_overdue(today: datetime.date | None = None):
    """Referrals sent and unanswered past their deadline (no permission filter: for tasks)."""
    today = today or timezone.localdate()
    return Referral.objects.filter(state=Referral.State.SENT, deadline__lt=today)


def referrals_overdue_for(user, today: datetime.date | None = None):
    """The coordination's list of referrals unanswered past their deadline."""
    if not is_coordinator(user):
        return Referral.objects.none()
    return (
        referrals_overdue(today)
        .filter(situation__in=situations_for(user))
        .select_related("situation", "scheme__operator")
        .order_by("deadline", "sent_at")
    )


def schemes_listed(user):
    schemes = (
        Scheme.objects.select_related("operator", "action").prefetch_related("territories", "motifs").order_by("name")
    )
    return schemes if is_coordinator(user) else schemes.filter(active=True)
