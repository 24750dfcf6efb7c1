"""Writes about people's access: charter acceptance, memberships, exceptional (break-glass) access."""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from access import ledger
from access.alerts import dpo_alert
from access.models import BreakGlassAccess, CharterAcceptance, CharterVersion, Membership, Partner, Reason, Role
from access.permissions import is_coordinator, may_read_cases, sync_membership_groups
from audit.models import Kind
from audit.services import security_record
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
    notified to the DPO. Its grant ends by itself at `expires_at`: every read checks the expiry.
    """
    if not is_coordinator(user) or not may_read_cases(user):
        raise Refusal(_("Seul un coordonnateur ayant accepté la charte peut ouvrir un accès exceptionnel."))
    if situation.is_closed:
        raise Refusal(_("Cette situation est clôturée : aucun accès exceptionnel ne peut y être ouvert."))
    if ledger.holds(user, situation):
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
    ledger.grant(situation, user=user, reason=Reason.BREAK_GLASS, by=user, source=access, expires_at=access.expires_at)
    security_record(
        Kind.BREAK_GLASS,
        user=user,
        obj=situation,
        situation_reference=situation.reference,
        detail=f"jusqu'au {timezone.localtime(access.expires_at):%d/%m/%Y %H:%M}",
    )
    dpo_alert(Notification.Kind.BREAK_GLASS_OPENED, dedupe_key=f"bris-de-glace:{access.pk}")
    return access
