"""Login throttling: a growing lock per (identifier, address), a growing delay per identifier.

Nothing here locks an account: someone guessing from one address must not lock the real person out
from theirs. Two rules instead:

- **Per identifier and address** (django-axes, `AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]`).
  After `AXES_FAILURE_LIMIT` wrong passwords for one identifier from one address (5), that pair is
  locked after its last failure for

      cool-off = min(first × 2^(failures − limit), longest)

  with `first = PARCOURS_LOGIN_COOLOFF_MINUTES` (1) and `longest = PARCOURS_LOGIN_COOLOFF_MAX_MINUTES`
  (60): 1 minute at the 5th failure; once it is over, one more wrong password locks the pair again
  for 2 minutes, then 4, 8, 16, 32, then 60 for every further failure. The pair's failures are
  forgotten `AXES_COOLOFF_TIME` (24 hours) after its last one, or at its next successful sign-in.
  An attempt refused during a lock is not counted and does not restart it.
- **Per identifier, from every address** (a guess spread over many addresses). Over the last hour,
  each address counts for at most `AXES_FAILURE_LIMIT` of the identifier's failures, so that one
  address alone never triggers it (its own lock deals with it). From `PARCOURS_LOGIN_DELAY_AFTER`
  (10) such failures, an attempt must wait after the identifier's previous failure

      delay = min(2^(n − after + 1) seconds, PARCOURS_LOGIN_DELAY_MAX_SECONDS)

  that is 2 seconds at 10 failures, then 4, 8, 16… up to 5 minutes. The wait is checked before the
  password (`access.forms.LoginForm`); an attempt it refuses is not a failure, so only real guesses
  (each one slower than the last) move it. Those can still renew it, so a browser that signed in as
  that identifier over the last 90 days (`known_device`: a signed cookie holding a keyed hash of the
  identifier, never the identifier) is not kept waiting: the guesser cannot hold the real person
  back on the browser they use.

Both rules say the same thing for an identifier that matches no account, so neither tells whether
an account exists.

Why a handler rather than a callable `AXES_COOLOFF_TIME`: axes' database handler also uses that value
as the threshold below which it deletes the attempts of *every* identifier
(`clean_expired_user_attempts`), so a cool-off computed for one request would erase other pairs'
longer locks early, and with `AXES_USE_ATTEMPT_EXPIRATION` the attempts would be deleted when each
lock ends, taking with them the failures the next lock must grow from. So `AXES_COOLOFF_TIME` stays
one constant (how long a pair is remembered) and `ThrottlingHandler.is_locked` applies the cool-off.
The failures per identifier are read from axes' failure log (`AccessFailureLog`), which holds one row
per password actually checked and refused: attempts refused by a lock or by the delay are not there.
"""

from datetime import timedelta
from math import ceil

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessFailureLog
from django.conf import settings
from django.core import signing
from django.db.models import Count, Max, Sum
from django.shortcuts import render
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import ngettext

DELAY_WINDOW = timedelta(hours=1)
# Beyond this, 2^n is far past any cap: stop doubling before timedelta overflows.
_MAX_DOUBLINGS = 20
KNOWN_DEVICE_COOKIE = "parcours_appareil"
KNOWN_DEVICE_AGE = timedelta(days=90)
_KNOWN_DEVICE_SALT = "access.throttling.known_device"


def cool_off(failures: int, limit: int) -> timedelta:
    """How long a pair stays locked after its last failure, once it has `failures` (≥ `limit`)."""
    first = timedelta(minutes=settings.PARCOURS_LOGIN_COOLOFF_MINUTES)
    longest = timedelta(minutes=settings.PARCOURS_LOGIN_COOLOFF_MAX_MINUTES)
    return min(first * 2 ** min(max(failures - limit, 0), _MAX_DOUBLINGS), longest)


def delay(failures: int) -> timedelta:
    """How long an attempt waits after the identifier's previous failure, once it has `failures`
    (counted as in `identifier_wait`, at least `PARCOURS_LOGIN_DELAY_AFTER`)."""
    doublings = min(max(failures - settings.PARCOURS_LOGIN_DELAY_AFTER + 1, 0), _MAX_DOUBLINGS)
    return timedelta(seconds=min(2**doublings, settings.PARCOURS_LOGIN_DELAY_MAX_SECONDS))


class ThrottlingHandler(AxesDatabaseHandler):
    """`AXES_HANDLER`: axes' database handler, whose lock lasts the pair's own cool-off.

    Axes still records each failure on the pair's row, signals the lockout at every failure from
    the limit on, refuses the locked pair in its backend and forgets the pair at a successful
    sign-in; only "is this pair locked now" is decided here.
    """

    def is_locked(self, request, credentials=None) -> bool:
        return self.lock_remaining(request, credentials) is not None

    def lock_remaining(self, request, credentials=None) -> timedelta | None:
        """What is left of the pair's lock, or None when it may try."""
        if not settings.AXES_LOCK_OUT_AT_FAILURE:
            return None
        limit = get_failure_limit(request, credentials)
        remaining = None
        # One queryset per lockout parameter (here one: the pair), over the remembered attempts.
        for attempts in self.get_user_attempts(request, credentials):
            state = attempts.aggregate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
            failures = state["failures"] or 0
            if failures < limit:
                continue
            left = state["last"] + cool_off(failures, limit) - request.axes_attempt_time
            if left > timedelta(0) and (remaining is None or left > remaining):
                remaining = left
        return remaining

    def remove_out_of_limit_failure_logs(self, *, username: str, limit: int | None = None) -> int:
        # Axes deletes an arbitrary slice (its log has no ordering); the delay reads the newest rows.
        limit = settings.AXES_ACCESS_FAILURE_LOG_PER_USER_LIMIT if limit is None else limit
        newest_first = AccessFailureLog.objects.filter(username=username).order_by("-attempt_time", "-id")
        stale = list(newest_first.values_list("id", flat=True)[limit:])
        if not stale:
            return 0
        count, _ = AccessFailureLog.objects.filter(id__in=stale).delete()
        return count


def identifier_wait(username: str, *, now=None) -> timedelta | None:
    """How long an attempt for `username` must still wait, whatever its address (None: no wait)."""
    now = now or timezone.now()
    per_address = list(
        AccessFailureLog.objects.filter(username=username, attempt_time__gt=now - DELAY_WINDOW)
        .values("ip_address")
        .annotate(failures=Count("id"), last=Max("attempt_time"))
        .order_by()
    )
    counted = sum(min(row["failures"], settings.AXES_FAILURE_LIMIT) for row in per_address)
    if counted < settings.PARCOURS_LOGIN_DELAY_AFTER:
        return None
    left = max(row["last"] for row in per_address) + delay(counted) - now
    return left if left > timedelta(0) else None


def _device_token(username: str) -> str:
    # A keyed hash: the cookie does not tell who signed in on this browser.
    return salted_hmac(_KNOWN_DEVICE_SALT, username, algorithm="sha256").hexdigest()


def remember_device(response, username: str) -> None:
    """After a successful password: this browser may skip the delay of `username` from now on."""
    response.set_cookie(
        KNOWN_DEVICE_COOKIE,
        signing.TimestampSigner(salt=_KNOWN_DEVICE_SALT).sign(_device_token(username)),
        max_age=int(KNOWN_DEVICE_AGE.total_seconds()),
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
        samesite="Lax",
    )


def known_device(request, username: str) -> bool:
    """Whether this browser signed in as `username` over the last `KNOWN_DEVICE_AGE`."""
    value = request.COOKIES.get(KNOWN_DEVICE_COOKIE) if request is not None else None
    if not value:
        return False
    try:
        token = signing.TimestampSigner(salt=_KNOWN_DEVICE_SALT).unsign(value, max_age=KNOWN_DEVICE_AGE)
    except signing.BadSignature:
        return False
    return constant_time_compare(token, _device_token(username))


def wait_text(wait: timedelta) -> str:
    """« 45 secondes », « 2 minutes »: rounded up, so that trying again at that time works."""
    seconds = max(ceil(wait.total_seconds()), 1)
    if seconds < 60:
        return ngettext("%(count)d seconde", "%(count)d secondes", seconds) % {"count": seconds}
    minutes = ceil(seconds / 60)
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


def retry_after(wait: timedelta) -> str:
    """The Retry-After header's value, in whole seconds."""
    return str(max(ceil(wait.total_seconds()), 1))


def lockout_response(request, original_response=None, credentials=None):
    """`AXES_LOCKOUT_CALLABLE`: the locked pair's page, with the time left (never whose account)."""
    wait = ThrottlingHandler().lock_remaining(request, credentials)
    context = {"wait": wait_text(wait) if wait else None}
    response = render(request, "access/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)
    if wait:
        response["Retry-After"] = retry_after(wait)
    return response
