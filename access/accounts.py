"""Accounts from invitation to second factor: a second factor is never enrolled on a password alone.

An account starts without a usable password. The administrator (or, for the very first one, the
command line: `manage.py invite`) sends an invitation: a single-use, expiring link. On it, and only
there, the person sets their password and enrols their authenticator app in the same form. The TOTP
secret belongs to that one browser session: it is made the first time the session opens the link,
kept in the session only, never shown to another session, and dies with it; the device exists in the
database only once a code from it was typed. Recovery codes (django-otp's static tokens) are made at
the same moment and shown once.
"""

import hashlib
import secrets
from base64 import b32encode
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from access.alerts import dpo_alert
from access.models import AccountInvitation, FactorReset, Role
from access.permissions import role_of
from audit.models import Kind
from audit.services import security_record
from core.refusal import Refusal
from core.wording import counted
from notifications.models import Notification
from notifications.services import notification_queue

TOKEN_BYTES = 32
SECRET_BYTES = 20
RECOVERY_CODES = 10
SESSION_SECRET = "parcours-enrolment-secret:{}"
AUTHENTICATOR_NAME = "Application d'authentification"
RECOVERY_NAME = "Codes de secours"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_url(token: str) -> str:
    return settings.PARCOURS_BASE_URL + reverse("access:invitation", args=[token])


@transaction.atomic
def invitation_create(*, user, by) -> tuple[AccountInvitation, str]:
    """A new invitation for `user`, revoking any still open; returns it with its token (to send)."""
    now = timezone.now()
    AccountInvitation.objects.filter(user=user, used_at__isnull=True, revoked_at__isnull=True).update(revoked_at=now)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    invitation = AccountInvitation.objects.create(
        user=user,
        token_hash=_hash(token),
        created_by=by,
        expires_at=now + timedelta(hours=settings.PARCOURS_INVITATION_HOURS),
    )
    security_record(
        Kind.INVITATION_SENT,
        user=by,
        obj=user,
        detail=f"utilisateur n° {user.pk}, valable jusqu'au {timezone.localtime(invitation.expires_at):%d/%m/%Y %H:%M}",
    )
    return invitation, token


def invitation_send(*, user, by) -> AccountInvitation:
    """Create an invitation and e-mail its link to `user` once the transaction commits.

    The link is a credential: it goes to the person's address only, never to the screen of the
    administrator who invited them.
    """
    if not user.email:
        raise Refusal(_("Ce compte n'a pas d'adresse électronique : l'invitation ne peut pas lui être envoyée."))
    invitation, token = invitation_create(user=user, by=by)
    hours = settings.PARCOURS_INVITATION_HOURS
    body = _(
        "Bonjour,\n\nUn compte Parcours vous a été ouvert. Pour choisir votre mot de passe et activer la double "
        "authentification, ouvrez ce lien dans les %(hours)d heures :\n\n%(url)s\n\nCe lien ne sert qu'une fois. "
        "Si vous n'attendiez pas ce message, ignorez-le et prévenez le coordonnateur du CLSPD."
    ) % {"hours": hours, "url": invitation_url(token)}
    transaction.on_commit(
        lambda: send_mail(_("Votre compte Parcours"), body, settings.DEFAULT_FROM_EMAIL, [user.email]),
        robust=False,
    )
    return invitation


def invitation_for(token: str) -> AccountInvitation | None:
    """The invitation behind a token, usable or not (None for a token that was never issued)."""
    return AccountInvitation.objects.select_related("user").filter(token_hash=_hash(token)).first()


def enrolment_secret(session, invitation: AccountInvitation) -> bytes:
    """This session's TOTP secret for this invitation: made once per session, kept there only."""
    key = SESSION_SECRET.format(invitation.pk)
    if key not in session:
        session[key] = secrets.token_hex(SECRET_BYTES)
    return bytes.fromhex(session[key])


def provisioning_uri(user, secret: bytes) -> str:
    label = f"{settings.OTP_TOTP_ISSUER}:{user.get_username()}"
    encoded = b32encode(secret).decode().rstrip("=")
    return f"otpauth://totp/{label}?secret={encoded}&issuer={settings.OTP_TOTP_ISSUER}&digits=6&period=30"


@dataclass(frozen=True)
class Activation:
    user: object
    device: TOTPDevice
    recovery_codes: list[str]


@transaction.atomic
def invitation_complete(*, invitation_id, session, password: str, token: str) -> Activation:
    """Set the password, enrol the authenticator whose secret this session holds, make the recovery
    codes and use up the invitation, all at once; nothing is saved when any of it is refused."""
    invitation = AccountInvitation.objects.select_for_update().select_related("user").get(pk=invitation_id)
    if not invitation.is_usable:
        raise Refusal(_("Ce lien d'invitation n'est plus valable : demandez-en un nouveau à l'administrateur."))
    key = SESSION_SECRET.format(invitation.pk)
    if key not in session:
        raise Refusal(_("La page a expiré : rouvrez le lien de l'invitation pour recommencer."))
    secret = bytes.fromhex(session[key])
    totp = TOTP(secret, step=30, digits=6)
    if not totp.verify(int(token), tolerance=1):
        raise Refusal(
            _("Ce code ne correspond pas : vérifiez l'heure de votre téléphone et saisissez le code affiché.")
        )
    user = invitation.user
    validate_password(password, user)
    user.set_password(password)
    user.is_active = True
    user.save(update_fields=["password", "is_active"])
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(
        user=user, name=AUTHENTICATOR_NAME, key=secret.hex(), confirmed=True, last_t=totp.t()
    )
    codes = recovery_codes_make(user)
    invitation.used_at = timezone.now()
    invitation.save(update_fields=["used_at"])
    del session[key]
    security_record(Kind.ACCOUNT_ACTIVATED, user=user, detail="mot de passe choisi par la personne")
    security_record(Kind.MFA_ENROLLED, user=user, detail=f"{AUTHENTICATOR_NAME} et {RECOVERY_CODES} codes de secours")
    return Activation(user=user, device=device, recovery_codes=codes)


def recovery_codes_make(user) -> list[str]:
    """Replace the person's recovery codes with new ones; returned once, stored as django-otp keeps them."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODES)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


def recovery_code_use(*, user, code: str, request=None) -> StaticDevice | None:
    """The recovery device that accepted `code` (now spent), or None."""
    code = code.strip().lower().replace(" ", "")
    for device in StaticDevice.objects.devices_for_user(user, confirmed=True):
        if device.verify_token(code):
            remaining = device.token_set.count()
            left = counted(remaining, "code de secours restant", "codes de secours restants")
            security_record(Kind.RECOVERY_CODE_USED, user=user, detail=left, request=request)
            return device
    return None


# --- A lost second factor: reset by two people ------------------------------------------------------------


@transaction.atomic
def factor_reset_request(*, user, by) -> FactorReset:
    """An administrator asks to reset `user`'s second factor; another person must confirm it."""
    if role_of(by) != Role.ADMIN:
        raise Refusal(_("Seul un administrateur demande la réinitialisation d'un second facteur."))
    if user.pk == by.pk:
        raise Refusal(_("On ne réinitialise pas son propre second facteur : demandez-le à un autre administrateur."))
    if FactorReset.objects.filter(user=user, confirmed_at__isnull=True).exists():
        raise Refusal(_("Une réinitialisation attend déjà confirmation pour ce compte."))
    reset = FactorReset.objects.create(user=user, requested_by=by)
    security_record(Kind.FACTOR_RESET_REQUESTED, user=by, obj=user, detail=f"utilisateur n° {user.pk}")
    for confirmer in _confirmers(exclude=by):
        notification_queue(
            recipient=confirmer,
            kind=Notification.Kind.FACTOR_RESET_PENDING,
            link=reverse("access:factor_resets"),
            dedupe_key=f"reinit:{reset.pk}",
        )
    return reset


def _confirmers(*, exclude):
    return (
        get_user_model()
        .objects.filter(is_active=True, membership__role__in=(Role.ADMIN, Role.DPO))
        .exclude(pk=exclude.pk)
    )


@transaction.atomic
def factor_reset_confirm(*, reset_id, by) -> FactorReset:
    """A second person (another administrator or the DPO) confirms: the devices and recovery codes go,
    the person is told, and a fresh invitation lets them enrol a new factor."""
    reset = FactorReset.objects.select_for_update().select_related("user").get(pk=reset_id)
    if reset.confirmed_at is not None:
        raise Refusal(_("Cette réinitialisation est déjà faite."))
    if role_of(by) not in (Role.ADMIN, Role.DPO):
        raise Refusal(_("Seul un administrateur ou le DPO confirme une réinitialisation."))
    if by.pk in (reset.requested_by_id, reset.user_id):
        raise Refusal(_("La confirmation revient à une autre personne que celle qui a fait la demande."))
    user = reset.user
    removed = sum(
        model.objects.filter(user=user).delete()[0] for model in (TOTPDevice, StaticDevice, WebAuthnCredential)
    )
    reset.confirmed_by, reset.confirmed_at = by, timezone.now()
    reset.save(update_fields=["confirmed_by", "confirmed_at"])
    security_record(
        Kind.FACTOR_RESET,
        user=by,
        obj=user,
        detail=(
            f"utilisateur n° {user.pk} : {counted(removed, 'élément retiré', 'éléments retirés')}, "
            f"demandé par n° {reset.requested_by_id}"
        ),
    )
    dpo_alert(Notification.Kind.FACTOR_REMOVED, dedupe_key=f"facteur:{reset.pk}")
    notification_queue(
        recipient=user,
        kind=Notification.Kind.YOUR_FACTOR_RESET,
        link=reverse("access:login"),
        dedupe_key=f"reinit:{reset.pk}",
    )
    if user.email:
        invitation_send(user=user, by=by)
    return reset
