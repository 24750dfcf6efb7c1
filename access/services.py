"""Writes about people's access: charter acceptance and memberships."""

from django.db import transaction

from access.models import CharterAcceptance, CharterVersion, Membership, Partner, Role
from access.permissions import sync_membership_groups


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
