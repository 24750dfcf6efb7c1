"""Security events that Django and django-axes announce by signal: logins, failures, lockouts, logouts."""

from axes.signals import user_locked_out
from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from audit.models import UNKNOWN_IDENTIFIER, Kind
from audit.services import security_record


def _account(username: str):
    return get_user_model().objects.filter(username=username).first() if username else None


def _identifier_recorded(username: str):
    """(the account, the identifier to keep): what was typed only when it names an account.

    People type their password into the identifier field, or a colleague's name misspelt: an identifier
    that names no account is not kept, the trail says UNKNOWN_IDENTIFIER and the address tells bursts
    apart (dpo/anomalies.py: failed_logins)."""
    account = _account(username)
    return account, (account.get_username() if account is not None else UNKNOWN_IDENTIFIER)


@receiver(user_logged_in, dispatch_uid="audit_login")
def login_recorded(sender, request, user, **kwargs):
    security_record(Kind.LOGIN, user=user, username=user.get_username(), request=request)


@receiver(user_logged_out, dispatch_uid="audit_logout")
def logout_recorded(sender, request, user, **kwargs):
    if user is not None:
        security_record(Kind.LOGOUT, user=user, username=user.get_username(), request=request)


@receiver(user_login_failed, dispatch_uid="audit_login_failed")
def login_failure_recorded(sender, credentials, request=None, **kwargs):
    # Django has already masked the password in `credentials`; the identifier is kept only if it names an account.
    account, identifier = _identifier_recorded(str(credentials.get("username", "")))
    security_record(Kind.LOGIN_FAILED, user=account, username=identifier, request=request)


@receiver(user_locked_out, dispatch_uid="audit_lockout")
def lockout_recorded(sender, request, username, **kwargs):
    account, identifier = _identifier_recorded(str(username or ""))
    security_record(Kind.LOCKOUT, user=account, username=identifier, request=request)
