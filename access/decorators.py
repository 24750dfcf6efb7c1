"""View decorators that admit people by their role (case access is checked per object elsewhere)."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from access.models import Role
from access.permissions import membership_of


def role_required(*roles: str):
    """Signed-in people whose membership has one of `roles`; everyone else gets 403."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            membership = membership_of(request.user)
            if not membership or membership.role not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


dpo_required = role_required(Role.DPO)
dpo_or_coordinator_required = role_required(Role.DPO, Role.COORDINATOR)
