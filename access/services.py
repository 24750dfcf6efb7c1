"""Writes about people's access: charter acceptance, memberships, exceptional (break-glass) access."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from access.models import BreakGlassAccess, CharterAcceptance, CharterVersion, Membership, Partner, Role
from access.permissions import (
    VIEW,
    grant_situation_access,
    is_coordinator,
    may_read_cases,
    revoke_situation_access,
    sync_membership_groups,
    user_holds,
)
from core.refusal import Refusal
from notifications.models import Notification


@transaction.atomic
def charter_accept(*, user, charter: CharterVersion) -> CharterAcceptance:
    """Record that `user` accepted this version of the charter. Accepting twice keeps the first date."""
    acceptance, _ = CharterAcceptance.objects.get_or_create(user=user, charter=charter)
    return acceptance


@transaction.atomic
def membership_set(*, user, partner: Partner, role: str) -> Membership:
    """Attach `user` to `partner` with `role`, and put them in the groups that role calls for."""
    if role not in Role.values:
        raise ValueError(f"Unknown role: {role!r}")
    membership, _ = Membership.objects.update_or_create(user=user, defaults={"partner": partner, "role": role})
    sync_membership_groups(membership)
    return membership


BREAK_GLASS_MIN_REASON = 30


@transaction.atomic
def break_glass_open(*, situation, user, reason: str) -> BreakGlassAccess:
    """Open a time-limited read access outside the user's grants, for a coordinator, with a reason.

    Flagged in the DPO console (a security event, reads recorded with the break-glass purpose) and
    notified to the DPO. The expiry task closes it (`break_glass_expire`).
    """
    from access.alerts import dpo_alert
    from audit.models import Kind
    from audit.services import security_record

    if not is_coordinator(user) or not may_read_cases(user):
        raise Refusal(_("Seul un coordonnateur ayant accepté la charte peut ouvrir un accès exceptionnel."))
    if situation.is_closed:
        raise Refusal(_("Cette situation est clôturée : aucun accès exceptionnel ne peut y être ouvert."))
    if user_holds(user, situation):
        raise Refusal(_("Vous avez déjà accès à cette situation."))
    reason = reason.strip()
    if len(reason) < BREAK_GLASS_MIN_REASON:
        raise Refusal(
            _("Expliquez en au moins %(count)d caractères pourquoi cet accès est nécessaire.")
            % {"count": BREAK_GLASS_MIN_REASON}
        )
    access = BreakGlassAccess.objects.create(
        situation=situation,
        data_key=situation.data_key,
        user=user,
        reason=reason,
        expires_at=timezone.now() + timedelta(hours=settings.PARCOURS_BREAK_GLASS_HOURS),
    )
    grant_situation_access(situation, user=user, codenames=(VIEW,))
    security_record(
        Kind.BREAK_GLASS,
        user=user,
        obj=situation,
        situation_reference=situation.reference,
        detail=f"jusqu'au {timezone.localtime(access.expires_at):%d/%m/%Y %H:%M}",
    )
    dpo_alert(Notification.Kind.BREAK_GLASS_OPENED, dedupe_key=f"bris-de-glace:{access.pk}")
    return access


def open_break_glass(user):
    """This user's exceptional accesses still open (a queryset, to filter or to use in `Exists`)."""
    return BreakGlassAccess.objects.filter(user=user, closed_at__isnull=True, expires_at__gt=timezone.now())


def break_glass_active(user, situation) -> bool:
    return open_break_glass(user).filter(situation=situation).exists()


def break_glass_expire(*, now=None) -> int:
    """Close expired exceptional accesses and take the read grant back; returns how many."""
    now = now or timezone.now()
    closed = 0
    for access_id in BreakGlassAccess.objects.filter(closed_at__isnull=True, expires_at__lte=now).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            access = (
                BreakGlassAccess.objects.select_for_update().select_related("situation").filter(pk=access_id).first()
            )
            if access is None or access.closed_at is not None:
                continue
            access.closed_at = now
            access.save(update_fields=["closed_at"])
            # A référent, or an attendee of a séance still in its window, holds the situation for
            # another reason: that grant stays.
            from seances.selectors import user_holds_otherwise

            if not user_holds_otherwise(access.user_id, access.situation_id, now=now):
                revoke_situation_access(access.situation, user=access.user, codenames=(VIEW,))
            closed += 1
    return closed
