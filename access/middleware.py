"""What every request goes through: security headers, no caching of what a signed-in person sees, the
session's absolute lifetime, then the gates after authentication: the keyring cache, MFA, the charter."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import ngettext

from access.permissions import has_accepted_current_charter
from core.keyring import data_key_cache


class SessionRefreshMiddleware:
    """Extend a session's idle timeout at most once a minute, instead of rewriting it on every request.

    SESSION_SAVE_EVERY_REQUEST cost an UPDATE in its own transaction (three round trips) on every
    page. The session now expires between SESSION_COOKIE_AGE - REFRESH_SECONDS and SESSION_COOKIE_AGE
    after the last request.
    """

    REFRESH_SECONDS = 60
    KEY = "_parcours_refreshed"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        if session.session_key is not None:
            now = int(timezone.now().timestamp())
            if now - session.get(self.KEY, 0) >= self.REFRESH_SECONDS:
                session[self.KEY] = now
        return self.get_response(request)


class PermissionsPolicyMiddleware:
    """Deny every powerful browser feature (camera, microphone, geolocation…) on every response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if settings.PARCOURS_PERMISSIONS_POLICY:
            response.setdefault("Permissions-Policy", settings.PARCOURS_PERMISSIONS_POLICY)
        return response


class NoStoreMiddleware:
    """Nothing shown to a signed-in person is kept by the browser or a proxy (Cache-Control: no-store).

    Pages name minors: after sign-out, or once the session has ended, the back button and the disk
    cache of a shared computer must show nothing. Static files are not concerned (WhiteNoise serves
    them above this middleware, with their own long cache lifetime).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # Asked before and after: a sign-out (or an ended session) answers a signed-in person, a
        # sign-in answers someone who was not yet.
        signed_in = request.user.is_authenticated
        response = self.get_response(request)
        if (signed_in or request.user.is_authenticated) and not request.path.startswith(settings.STATIC_URL):
            add_never_cache_headers(response)
        return response


LOGIN_AT = "_parcours_login_at"


def login_time_recorded(sender, request, user, **kwargs):
    """The moment of sign-in (the password), from which the session's absolute lifetime counts.

    Connected to `user_logged_in` by AccessConfig.ready."""
    if request is not None and hasattr(request, "session"):
        request.session[LOGIN_AT] = int(timezone.now().timestamp())


class SessionLifetimeMiddleware:
    """End a session PARCOURS_SESSION_MAX_HOURS after sign-in, however active it has been.

    The idle timeout (SESSION_COOKIE_AGE, extended by SessionRefreshMiddleware) ends a session left
    alone; this one ends a session kept busy all day, or one stolen and kept alive. Like the idle
    timeout, it records no security event: the session simply ends, and the person is told why on the
    sign-in page. The time of sign-in is written by `login_time_recorded`; a session signed in before
    this rule existed starts counting at its first request.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(timezone.now().timestamp())
            login_at = request.session.get(LOGIN_AT)
            if login_at is None:
                request.session[LOGIN_AT] = now
            elif now - login_at >= settings.PARCOURS_SESSION_MAX_HOURS * 3600:
                return self.end(request)
        return self.get_response(request)

    @staticmethod
    def end(request):
        # Not auth.logout(): that is a sign-out by the person, recorded as such in the trail. The session
        # is dropped (data, key and the verified device), as when the idle timeout lets it lapse.
        request.session.flush()
        request.user = AnonymousUser()
        hours = settings.PARCOURS_SESSION_MAX_HOURS
        message = ngettext(
            "Votre session a expiré après %(hours)d heure : reconnectez-vous.",
            "Votre session a expiré après %(hours)d heures : reconnectez-vous.",
            hours,
        ) % {"hours": hours}
        messages.warning(request, message)
        return redirect_with_next(request, "access:login")


class KeyringCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with data_key_cache():
            return self.get_response(request)


def mfa_satisfied(user) -> bool:
    """Whether this session passed the second factor (or demonstration mode waives it)."""
    return settings.DEMO_MODE or user.is_verified()


def redirect_with_next(request, url_name: str):
    """Send the browser to `url_name`, coming back here afterwards when the request was a plain read."""
    url = reverse(url_name)
    if request.method in ("GET", "HEAD"):
        url = f"{url}?{urlencode({'next': request.get_full_path()})}"
    if request.headers.get("HX-Request"):
        # A redirect followed by htmx would swap the whole page into a fragment: ask for a full load.
        response = HttpResponse(status=204)
        response["HX-Redirect"] = url
        return response
    return HttpResponseRedirect(url)


PASSKEY_SIGN_IN_URL_NAMES = (
    "otp_webauthn:credential-authentication-begin",
    "otp_webauthn:credential-authentication-complete",
    "otp_webauthn:js-i18n-catalog",
)


class _Gate:
    exempt_url_names: tuple[str, ...] = ()

    def __init__(self, get_response):
        self.get_response = get_response
        self._exempt_paths = None

    def is_exempt(self, request) -> bool:
        if self._exempt_paths is None:
            self._exempt_paths = frozenset(reverse(name) for name in self.exempt_url_names)
        return request.path in self._exempt_paths or request.path.startswith(settings.STATIC_URL)


class MFARequiredMiddleware(_Gate):
    """A signed-in person must confirm a TOTP code before anything else (enrolling first if needed)."""

    exempt_url_names = (
        "access:login",
        "access:logout",
        "access:mfa_verify",
        "access:mfa_enrol",
        "access:mfa_recovery",
        # Signing in with a passkey is the second factor itself (access/passkeys_api.py).
        *PASSKEY_SIGN_IN_URL_NAMES,
    )

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and not mfa_satisfied(user) and not self.is_exempt(request):
            return redirect_with_next(request, "access:mfa_verify")
        return self.get_response(request)


class CharterRequiredMiddleware(_Gate):
    """A signed-in person sees nothing until they have accepted the current charter."""

    exempt_url_names = (
        "access:logout",
        "access:mfa_verify",
        "access:mfa_enrol",
        "access:mfa_recovery",
        *PASSKEY_SIGN_IN_URL_NAMES,
        "access:charter",
    )

    def __call__(self, request):
        user = request.user
        if (
            user.is_authenticated
            and mfa_satisfied(user)
            and not self.is_exempt(request)
            and not has_accepted_current_charter(user)
        ):
            return redirect_with_next(request, "access:charter")
        return self.get_response(request)
