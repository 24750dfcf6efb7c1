"""Every view decorator of Parcours: who may reach a screen by role, charter and partner.

Case access is then checked per object, by the selectors (`situation_for` answers 404).
"""

from functools import wraps
from urllib.parse import urlsplit

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from access.models import Role
from access.permissions import case_access_refusal, is_coordinator, membership_of


def page_to_return_to(request) -> str:
    """Where to come back after signing in. For a GET, the page asked for. For a POST (a note sent
    once the session had expired), the page the form was on: its address answers only POST, and
    after signing in the browser follows `next` with a GET (a blank 405). The page comes from the
    Referer (same origin only, as SECURE_REFERRER_POLICY sends it), else the address one level up
    (`/situations/<id>/notes/` → `/situations/<id>/`)."""
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        parts = urlsplit(referer)
        return parts.path + (f"?{parts.query}" if parts.query else "")
    return request.path.rstrip("/").rpartition("/")[0] + "/"


def signed_in_required(view):
    """Django's login_required, except that a POST comes back to the page its form was on."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(page_to_return_to(request))
        return view(request, *args, **kwargs)

    return wrapper


def role_required(*roles: str):
    """Signed-in people whose membership has one of `roles`; everyone else gets 403."""

    def decorator(view):
        @wraps(view)
        @signed_in_required
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
    @signed_in_required
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
        @signed_in_required
        def wrapper(request, *args, **kwargs):
            if not test(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
