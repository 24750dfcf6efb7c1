"""Every view decorator of Parcours: who may reach a screen by role, charter and partner.

Case access is then checked per object, by the selectors (`situation_for` answers 404).
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from access.models import Role
from access.permissions import case_access_refusal, is_coordinator, membership_of


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
# Screens that show no case content (the strategy's fiches-actions): the role is enough.
coordinator_role_required = role_required(Role.COORDINATOR)


def case_reader_required(view):
    """Only roles that may read case contents reach these screens (DPO and admin do not)."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        refusal = case_access_refusal(request.user)
        if refusal:
            return render(request, "casework/no_access.html", {"reason": refusal}, status=403)
        return view(request, *args, **kwargs)

    return wrapper


def coordinator_required(view):
    """Case readers who coordinate the group; other case readers get 403."""

    @wraps(view)
    @case_reader_required
    def wrapper(request, *args, **kwargs):
        if not is_coordinator(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def passes_test(test):
    """Signed-in people for whom `test(user)` holds; everyone else gets 403 (the apps above pass their rule)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            if not test(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
