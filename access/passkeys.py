"""Passkeys (WebAuthn, django-otp-webauthn) as a second factor next to the authenticator app.

A passkey is added only from a session that has already passed its second factor (TOTP or a recovery
code): a password alone never enrols anything (see access/accounts.py). It is a django-otp device, so a
session that used one is verified like one that typed a TOTP code. Passkeys never replace the password
(OTP_WEBAUTHN_ALLOW_PASSWORDLESS_LOGIN is off).
"""

from django.db import transaction
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from audit.models import Kind
from audit.services import security_record
from core.refusal import Refusal


def passkeys_for(user):
    return WebAuthnCredential.objects.filter(user=user, confirmed=True).order_by("created_at")


def passkey_for(user, pk):
    """One of the person's passkeys, or 404 (another person's credential is not found either)."""
    return get_object_or_404(WebAuthnCredential, pk=pk, user=user)


def has_passkey(user) -> bool:
    return passkeys_for(user).exists()


def factor_count(user) -> int:
    """Second factors that sign in on their own: the authenticator app and passkeys (recovery codes are
    a way back, not a factor to keep)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).count() + passkeys_for(user).count()


def passkey_registered(*, user, device, request=None) -> None:
    """Name a newly registered passkey and record its enrolment."""
    if not device.name:
        device.name = _("Clé d'accès ajoutée le %(date)s") % {"date": f"{timezone.localdate():%d/%m/%Y}"}
        device.save(update_fields=["name"])
    security_record(Kind.MFA_ENROLLED, user=user, detail=f"clé d'accès n° {device.pk}", request=request)


def passkey_used(*, user, device, request=None) -> None:
    security_record(Kind.PASSKEY_USED, user=user, detail=f"clé d'accès n° {device.pk}", request=request)


@transaction.atomic
def passkey_remove(*, user, pk, request=None) -> None:
    """Remove one of the person's passkeys; the last second factor they have is never removed."""
    # Two removals at once must not both see a second factor left: the person's passkeys are locked.
    list(WebAuthnCredential.objects.select_for_update().filter(user=user))
    device = passkey_for(user, pk)
    if factor_count(user) <= 1:
        raise Refusal(
            _("C'est votre dernier second facteur : il ne peut pas être retiré sans vous empêcher de vous connecter.")
        )
    device.delete()
    security_record(Kind.PASSKEY_REMOVED, user=user, detail=f"clé d'accès n° {pk}", request=request)
