"""Sign-in (password, then a TOTP code) and acceptance of the ethics charter."""

from base64 import b32encode

import django_otp
import qrcode
import qrcode.image.svg
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django_otp.plugins.otp_totp.models import TOTPDevice

from access import services, throttling
from access.forms import CharterForm, LoginForm, TokenForm
from access.models import CharterAcceptance, CharterVersion
from audit.models import Kind
from audit.services import security_record


class LoginView(auth_views.LoginView):
    """A locked (identifier, address) gets axes' page instead (access.throttling.lockout_response)."""

    template_name = "access/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True

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
    return render(request, "access/mfa_verify.html", {"form": form, "next": next_url})


@never_cache
@sensitive_post_parameters("token")
@login_required
def mfa_enrol(request):
    next_url = _next_url(request)
    # Once a device is confirmed, adding another needs the first one: a stolen password alone
    # must not let anyone enrol their own phone.
    if _confirmed_devices(request.user).exists():
        return redirect(_with_next("access:mfa_verify", next_url))
    device = TOTPDevice.objects.filter(user=request.user, confirmed=False).order_by("pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=request.user, name="Parcours", confirmed=False)
    form = TokenForm(_posted(request), user=request.user, devices=[device])
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            device = form.device
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            TOTPDevice.objects.filter(user=request.user, confirmed=False).delete()
            security_record(Kind.MFA_ENROLLED, user=request.user, request=request)
        _verified(request, device)
        return redirect(next_url)
    context = {
        "form": form,
        "next": next_url,
        "qr_svg": mark_safe(_qr_svg(device.config_url)),  # noqa: S308 - built by qrcode from our own URL
        "secret": _group_by_four(b32encode(device.bin_key).decode()),
    }
    return render(request, "access/mfa_enrol.html", context)


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
