"""The conditions that come before any grant (privacy invariant 4): a person reads case contents only
with a case role (intervenant, coordonnateur), in an active partner that signed the charter, having
accepted the current charter themselves. Which situations they read is the grant ledger's answer
(`access.ledger`).
"""

from django.contrib.auth.models import Group
from django.db.models import Subquery
from django.utils.translation import gettext as _

from access.models import CASE_ROLES, COORDINATION_GROUP, CharterAcceptance, CharterVersion, Role


def coordination_group() -> Group:
    group, _ = Group.objects.get_or_create(name=COORDINATION_GROUP)
    return group


def membership_of(user):
    if not user.is_authenticated or not user.is_active:
        return None
    try:
        return user.membership
    except user._meta.model.membership.RelatedObjectDoesNotExist:
        return None


def role_of(user) -> str | None:
    """The role of an active member, None for anyone else."""
    membership = membership_of(user)
    return membership.role if membership else None


def has_accepted_current_charter(user) -> bool:
    """Cached on the user object, which lives for one request."""
    cached = getattr(user, "_parcours_charter_accepted", None)
    if cached is not None:
        return cached
    # One query on every request: the current version is a subquery (none published: nothing accepted).
    current = CharterVersion.objects.order_by("-version").values("pk")[:1]
    accepted = CharterAcceptance.objects.filter(user=user, charter_id=Subquery(current)).exists()
    user._parcours_charter_accepted = accepted
    return accepted


def may_read_cases(user) -> bool:
    """Role, partner and charter conditions that come before any object permission. Cached per request."""
    cached = getattr(user, "_parcours_may_read_cases", None)
    if cached is not None:
        return cached
    membership = membership_of(user)
    allowed = bool(
        membership
        and membership.role in CASE_ROLES
        and membership.partner.may_share
        and has_accepted_current_charter(user)
    )
    if user.is_authenticated:
        user._parcours_may_read_cases = allowed
    return allowed


def case_access_refusal(user) -> str | None:
    """Why this person may not read case contents, in words they can act on (None when they may)."""
    if may_read_cases(user):
        return None
    membership = membership_of(user)
    if membership is None:
        return _("Votre compte n'est rattaché à aucun partenaire : demandez-le à l'administrateur.")
    if membership.role not in CASE_ROLES:
        return _("Votre rôle (%(role)s) ne donne pas accès au contenu des situations.") % {
            "role": membership.get_role_display()
        }
    if not membership.partner.active:
        return _("Votre partenaire n'est plus actif dans le groupe.")
    if membership.partner.charter_signed_on is None:
        return _(
            "Votre partenaire n'a pas encore signé la charte déontologique du groupe : "
            "aucune situation ne peut vous être communiquée. Contactez le coordonnateur du CLSPD."
        )
    return _("Vous devez accepter la charte déontologique avant d'accéder aux situations.")


def is_coordinator(user) -> bool:
    membership = membership_of(user)
    return bool(membership and membership.role == Role.COORDINATOR)


def sync_membership_groups(membership) -> None:
    """Put a person in the groups their role calls for, and only those."""
    user = membership.user
    partner_groups = Group.objects.filter(partner__isnull=False)
    user.groups.remove(*partner_groups, coordination_group())
    if membership.role == Role.STAFF:
        user.groups.add(membership.partner.group)
    elif membership.role == Role.COORDINATOR:
        user.groups.add(membership.partner.group, coordination_group())
    user.__dict__.pop("_parcours_may_read_cases", None)
