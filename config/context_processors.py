"""What every page needs: the role, the demo banner, the unread notifications, the menus' conditions."""

from django.conf import settings
from django.utils.functional import SimpleLazyObject

from access.middleware import SessionRefreshMiddleware
from access.models import Role
from access.permissions import may_read_cases, membership_of
from notifications.services import unread_count
from strategy.selectors import may_evaluate


def parcours(request):
    user = getattr(request, "user", None)
    signed_in = user is not None and user.is_authenticated
    membership = membership_of(user) if user is not None else None
    return {
        "demo_mode": settings.DEMO_MODE,
        "membership": membership,
        "may_read_cases": bool(signed_in and may_read_cases(user)),
        "is_dpo": bool(membership and membership.role == Role.DPO),
        "is_coordinator": bool(membership and membership.role == Role.COORDINATOR),
        "may_evaluate": SimpleLazyObject(lambda: signed_in and may_evaluate(user)),
        # Counted only when a template shows it (the navigation bar, for signed-in people).
        "unread_notifications": SimpleLazyObject(lambda: unread_count(user) if signed_in else 0),
        # The idle timeout as the page's script must count it: the session may end this early after
        # the last request (access.middleware.SessionRefreshMiddleware refreshes once a minute).
        "session_idle_seconds": settings.SESSION_COOKIE_AGE - SessionRefreshMiddleware.REFRESH_SECONDS,
    }
