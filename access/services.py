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


# Roles whose granting the DPO hears about at once: they read every situation, the trail, or administer.
ELEVATED_ROLES = (Role.COORDINATOR, Role.DPO, Role.ADMIN)


@transaction.atomic
def membership_set(*, user, partner: Partner, role: str, by=None) -> Membership:
    """Attach `user` to `partner` with `role`, and put them in the groups that role calls for.

    A change is a security event naming its actor (`by`; None for the machine: demo loading); granting
    the coordinator's, the DPO's or the administrator's role also alerts the DPO.
    """
    if role not in Role.values:
        raise ValueError(f"Unknown role: {role!r}")
    before = Membership.objects.filter(user=user).select_related("partner").first()
    membership, _ = Membership.objects.update_or_create(user=user, defaults={"partner": partner, "role": role})
    sync_membership_groups(membership)
    if before is None or (before.partner_id, before.role) != (partner.pk, role):
        was = f"{before.role} chez « {before.partner} »" if before else "aucun"
        security_record(
            Kind.ROLE_CHANGED,
            user=by,
            obj=user,
            detail=f"utilisateur n° {user.pk} : {was} → {role} chez « {partner} »"[:200],
        )
        if role in ELEVATED_ROLES and (before is None or before.role != role):
            privilege_alert(user=user, what=role)
    return membership


def privilege_alert(*, user, what: str) -> None:
    """Tell the DPO that an account received an elevated role or the superuser flag (no name: a link)."""
    stamp = timezone.now().strftime("%Y%m%d%H%M%S%f")
    dpo_alert(Notification.Kind.PRIVILEGE_GRANTED, dedupe_key=f"droits:{user.pk}:{what}:{stamp}")


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
