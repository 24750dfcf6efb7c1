"""Sign-in (password, then a TOTP code) and acceptance of the ethics charter."""

import logging
import secrets
from base64 import b32encode
from functools import wraps

import django_otp
import qrcode
import qrcode.image.svg
from authlib.integrations.base_client.errors import OAuthError
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_otp.plugins.otp_totp.models import TOTPDevice
from joserfc.errors import JoseError
from requests import RequestException

from access import accounts, passkeys, proconnect, services, throttling
from access.decorators import role_required
from access.forms import CharterForm, FactorResetConfirmForm, InvitationForm, LoginForm, RecoveryCodeForm, TokenForm
from access.middleware import SessionRefreshMiddleware
from access.models import CharterAcceptance, CharterVersion, FactorReset, Role
from audit.models import Kind as AuditKind
from audit.services import security_record
from core.refusal import Refusal

logger = logging.getLogger(__name__)


class LoginView(auth_views.LoginView):
    """A locked (identifier, address) gets axes' page instead (access.throttling.lockout_response)."""

    template_name = "access/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        # A session cookie the server no longer knows, on the way to a page: the session expired.
        stale = settings.SESSION_COOKIE_NAME in self.request.COOKIES and not self.request.user.is_authenticated
        return {
            **super().get_context_data(**kwargs),
            "session_expired": stale and bool(self.get_redirect_url()),
            "proconnect": proconnect.enabled(),
        }

    def form_valid(self, form):
        response = super().form_valid(form)
        # This browser has proven it knows the password: the delay per identifier spares it from now on.
        throttling.remember_device(response, form.get_user().get_username())
        return response

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.wait:
            # The form again, with the wait in its error and the identifier still typed.
            response.status_code = 429
            response["Retry-After"] = throttling.retry_after(form.wait)
        return response


@require_http_methods(["POST"])
def keep_alive(request):
    """« Rester connecté »: the idle-timeout warning's button. Extends the session now (the refresh
    middleware would wait for its minute), answers 204; 401 once the session is gone, so that the
    page tells the person to sign in again instead of following a redirect."""
    if not request.user.is_authenticated:
        return HttpResponse(status=401)
    request.session[SessionRefreshMiddleware.KEY] = int(timezone.now().timestamp())
    return HttpResponse(status=204)


def _next_url(request, default: str = "home") -> str:
    """The `next` parameter when it points inside this site, else `default`."""
    candidate = request.POST.get("next") or request.GET.get("next")
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(default)


def _posted(request):
    """The submitted data, or None to build an unbound form (an empty POST is still a submission)."""
    return request.POST if request.method == "POST" else None


def _with_next(url_name: str, next_url: str) -> str:
    return f"{resolve_url(url_name)}?{urlencode({'next': next_url})}"


def _confirmed_devices(user):
    return TOTPDevice.objects.devices_for_user(user, confirmed=True)


def _qr_svg(text: str) -> str:
    # Drawn here as inline SVG: the secret must never go to an outside QR service.
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, border=2)
    return image.to_string(encoding="unicode")


def _group_by_four(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _verified(request, device):
    # A new session id once the second factor is proven, as Django does after the password.
    request.session.cycle_key()
    django_otp.login(request, device)


@never_cache
@sensitive_post_parameters("token")
@login_required
def mfa_verify(request):
    next_url = _next_url(request)
    if request.user.is_verified():
        return redirect(next_url)
    devices = list(_confirmed_devices(request.user))
    if not devices:
        return redirect(_with_next("access:mfa_enrol", next_url))
    form = TokenForm(_posted(request), user=request.user, devices=devices)
    if request.method == "POST" and form.is_valid():
        _verified(request, form.device)
        return redirect(next_url)
    context = {"form": form, "next": next_url, "has_passkey": passkeys.has_passkey(request.user)}
    return render(request, "access/mfa_verify.html", context)


@never_cache
@login_required
def mfa_enrol(request):
    """No second factor is enrolled on a password alone: an account without one (created before
    invitations, or whose factor was reset) gets a fresh invitation from the administrator."""
    if _confirmed_devices(request.user).exists():
        return redirect(_with_next("access:mfa_verify", _next_url(request)))
    return render(request, "access/mfa_invitation_needed.html", status=403)


@never_cache
@sensitive_post_parameters("code")
@login_required
def mfa_recovery(request):
    """Sign in with a one-time recovery code instead of the authenticator (the code is spent)."""
    next_url = _next_url(request)
    if request.user.is_verified():
        return redirect(next_url)
    form = RecoveryCodeForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        device = accounts.recovery_code_use(user=request.user, code=form.cleaned_data["code"], request=request)
        if device is not None:
            _verified(request, device)
            remaining = device.token_set.count()
            messages.warning(
                request,
                _(
                    "Code de secours accepté. Il vous en reste %(count)d ; quand votre téléphone est perdu, "
                    "demandez à l'administrateur de réinitialiser votre double authentification."
                )
                % {"count": remaining},
            )
            return redirect(next_url)
        form.add_error("code", _("Ce code de secours n'est pas valable (ou a déjà servi)."))
    return render(request, "access/mfa_recovery.html", {"form": form, "next": next_url})


def _verified_session_required(view):
    """Only a session that passed its second factor in this sign-in (demonstration mode waives nothing
    here: a factor is never added on a password alone)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_verified():
            return redirect(_with_next("access:mfa_verify", request.get_full_path()))
        return view(request, *args, **kwargs)

    return wrapped


@never_cache
@login_required
@_verified_session_required
def passkey_list(request):
    """« Clés d'accès »: the person's passkeys, and the button that adds one (django-otp-webauthn's script)."""
    return render(request, "access/passkeys.html", {"passkeys": passkeys.passkeys_for(request.user)})


@never_cache
@login_required
@_verified_session_required
@require_http_methods(["GET", "POST"])
def passkey_remove(request, pk):
    device = passkeys.passkey_for(request.user, pk)
    last = passkeys.factor_count(request.user) <= 1
    if request.method == "POST":
        try:
            passkeys.passkey_remove(user=request.user, pk=device.pk, request=request)
        except Refusal as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(request, _("La clé d'accès « %(name)s » est retirée.") % {"name": device.name})
        return redirect("access:passkeys")
    return render(request, "access/passkey_remove.html", {"passkey": device, "last": last})


@never_cache
@sensitive_post_parameters("new_password1", "new_password2", "token")
def invitation(request, token):
    """The single way into a new account: password and second factor, in one form, on one link."""
    found = accounts.invitation_for(token)
    if found is None:
        return render(request, "access/invitation_invalid.html", {"reason": "unknown"}, status=404)
    if not found.is_usable:
        reason = "used" if found.used_at else "expired"
        return render(request, "access/invitation_invalid.html", {"reason": reason}, status=410)
    if request.user.is_authenticated and request.user.pk != found.user_id:
        return render(request, "access/invitation_invalid.html", {"reason": "signed_in"}, status=409)
    secret = accounts.enrolment_secret(request.session, found)
    form = InvitationForm(found.user, _posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            activation = accounts.invitation_complete(
                invitation_id=found.pk,
                session=request.session,
                password=form.cleaned_data["new_password1"],
                token=form.cleaned_data["token"],
            )
        except Refusal as refusal:
            form.add_error(None, refusal.message)
        except ValidationError as error:
            form.add_error("new_password1", error)
        else:
            # The user as saved with the new password: the session's hash must be taken from it.
            auth_login(request, activation.user, backend="django.contrib.auth.backends.ModelBackend")
            _verified(request, activation.device)
            # Shown once, in this response only: nothing keeps them in clear afterwards.
            return render(request, "access/recovery_codes.html", {"codes": activation.recovery_codes})
    context = {
        "form": form,
        "invitation": found,
        "qr_svg": mark_safe(_qr_svg(accounts.provisioning_uri(found.user, secret))),  # noqa: S308 - built by qrcode
        "secret": _group_by_four(b32encode(secret).decode().rstrip("=")),
    }
    return render(request, "access/invitation.html", context)


@role_required(Role.ADMIN, Role.DPO)
@require_http_methods(["GET", "POST"])
def factor_resets(request):
    """Second factors to reset, awaiting a second person's confirmation (an administrator or the DPO)."""
    form = FactorResetConfirmForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            reset = accounts.factor_reset_confirm(reset_id=form.cleaned_data["reset"], by=request.user)
        except Refusal as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(
                request,
                _("Le second facteur de %(user)s est réinitialisé ; une nouvelle invitation lui est envoyée.")
                % {"user": reset.user.get_username()},
            )
        return redirect("access:factor_resets")
    pending = FactorReset.objects.filter(confirmed_at__isnull=True).select_related("user", "requested_by")
    done = FactorReset.objects.filter(confirmed_at__isnull=False).select_related("user", "requested_by", "confirmed_by")
    return render(request, "access/factor_resets.html", {"pending": pending, "done": done[:20], "form": form})


@never_cache
@login_required
def charter(request):
    current = CharterVersion.current()
    if current is None:
        return render(request, "access/charter_missing.html")
    next_url = _next_url(request)
    acceptance = CharterAcceptance.objects.filter(user=request.user, charter=current).first()
    form = CharterForm(_posted(request))
    if request.method == "POST" and acceptance is None and form.is_valid():
        services.charter_accept(user=request.user, charter=current)
        return redirect(next_url)
    return render(
        request,
        "access/charter.html",
        {"charter": current, "acceptance": acceptance, "form": form, "next": next_url},
    )


# --- ProConnect (access/proconnect.py) ----------------------------------------------------------------------
def _proconnect_or_404():
    if not proconnect.enabled():
        raise Http404


@never_cache
@require_http_methods(["GET"])
def proconnect_start(request):
    """Off to ProConnect, with state, nonce and a PKCE challenge kept in this session."""
    _proconnect_or_404()
    request.session[proconnect.NEXT_SESSION_KEY] = _next_url(request)
    callback = request.build_absolute_uri(reverse("access:proconnect_callback"))
    try:
        return proconnect.client().authorize_redirect(request, callback)
    except RequestException as error:
        logger.warning("ProConnect: fournisseur injoignable (%s)", type(error).__name__)
        messages.error(request, proconnect.UNREACHABLE)
        return redirect("access:login")


@never_cache
@require_http_methods(["GET"])
def proconnect_callback(request):
    """Back from ProConnect: verify everything, find the Parcours account, sign in; the factor may follow."""
    _proconnect_or_404()
    next_url = request.session.pop(proconnect.NEXT_SESSION_KEY, resolve_url("home"))
    provider = proconnect.client()
    try:
        token = provider.authorize_access_token(request)
        claims = token["userinfo"]
        user = proconnect.identity_sign_in(claims=claims, issuer=provider.load_server_metadata()["issuer"])
    except Refusal as refusal:
        messages.error(request, refusal.message)
        return redirect("access:login")
    except (OAuthError, JoseError, KeyError, ValueError, RequestException) as error:
        # The error's type only: its text may quote the provider's answer.
        logger.warning("ProConnect: réponse refusée (%s)", type(error).__name__)
        security_record(AuditKind.LOGIN_FAILED, username="(ProConnect)", detail="ProConnect : réponse refusée")
        messages.error(request, proconnect.FAILED)
        return redirect("access:login")
    auth_login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    request.session[proconnect.ID_TOKEN_SESSION_KEY] = token["id_token"]
    if proconnect.mfa_waived(claims):
        request.session[proconnect.MFA_SESSION_KEY] = True
    return redirect(next_url)


@require_http_methods(["POST"])
def logout(request):
    """Sign out of Parcours, then of ProConnect when the session came from it."""
    id_token = request.session.get(proconnect.ID_TOKEN_SESSION_KEY)
    auth_logout(request)
    if not (id_token and proconnect.enabled()):
        return redirect("access:login")
    try:
        end_session = proconnect.client().load_server_metadata().get("end_session_endpoint")
    except RequestException:
        end_session = None
    if not end_session:
        # Signed out of Parcours all the same; the provider's own session ends with its own timeout.
        return redirect("access:login")
    query = urlencode(
        {
            "id_token_hint": id_token,
            "state": secrets.token_urlsafe(16),
            "post_logout_redirect_uri": request.build_absolute_uri(reverse("access:login")),
        }
    )
    return redirect(f"{end_session}?{query}")
