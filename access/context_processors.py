from django.conf import settings

from access.models import Role
from access.permissions import may_read_cases, membership_of


def parcours(request):
    user = getattr(request, "user", None)
    membership = membership_of(user) if user is not None else None
    return {
        "demo_mode": settings.DEMO_MODE,
        "membership": membership,
        "may_read_cases": bool(user is not None and user.is_authenticated and may_read_cases(user)),
        "is_dpo": bool(membership and membership.role == Role.DPO),
        "is_coordinator": bool(membership and membership.role == Role.COORDINATOR),
    }
