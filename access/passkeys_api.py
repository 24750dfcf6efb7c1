"""django-otp-webauthn's JSON endpoints, with Parcours' rules: a passkey is added from a verified session
only, used only as the second factor of a signed-in person, and each step is recorded in the trail.

The URL names are the package's own (namespace `otp_webauthn`), so its template tags and static scripts
find them; the scripts are static files and read their settings from a JSON element, which the strict
CSP allows.
"""

import json

from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import JavaScriptCatalog
from django_otp_webauthn import exceptions, views

from access import passkeys


class NotSignedIn(exceptions.OTPWebAuthnApiError):
    status_code = 403
    default_detail = _("Connectez-vous d'abord avec votre identifiant et votre mot de passe.")
    default_code = "not_signed_in"


class _VerifiedOnly:
    def check_can_register(self):
        # The package only asks for verification when the person already has a device; here a person
        # without one never enrols a factor on a password alone.
        if not self.request.user.is_verified():
            raise exceptions.NotVerified(
                detail=_("Confirmez d'abord votre second facteur avant d'ajouter une clé d'accès.")
            )


class BeginRegistration(_VerifiedOnly, views.BeginCredentialRegistrationView):
    pass


class CompleteRegistration(_VerifiedOnly, views.CompleteCredentialRegistrationView):
    def post(self, *args, **kwargs):
        response = super().post(*args, **kwargs)
        if response.status_code == 200:
            device = passkeys.passkey_for(self.request.user, json.loads(response.content)["id"])
            passkeys.passkey_registered(user=self.request.user, device=device, request=self.request)
        return response


class _SignedInOnly:
    def check_can_authenticate(self):
        user = self.get_user()
        if user is None or not user.is_active:
            raise NotSignedIn()


class BeginAuthentication(_SignedInOnly, views.BeginCredentialAuthenticationView):
    pass


class CompleteAuthentication(_SignedInOnly, views.CompleteCredentialAuthenticationView):
    def complete_auth(self, device):
        # A new session id once the second factor is proven, as after the password (access.views._verified).
        self.request.session.cycle_key()
        super().complete_auth(device)
        passkeys.passkey_used(user=self.request.user, device=device, request=self.request)


app_name = "otp_webauthn"

urlpatterns = [
    path("inscription/debut/", BeginRegistration.as_view(), name="credential-registration-begin"),
    path("inscription/fin/", CompleteRegistration.as_view(), name="credential-registration-complete"),
    path("verification/debut/", BeginAuthentication.as_view(), name="credential-authentication-begin"),
    path("verification/fin/", CompleteAuthentication.as_view(), name="credential-authentication-complete"),
    path(
        "jsi18n/",
        JavaScriptCatalog.as_view(packages=["django_otp_webauthn", "access"]),
        name="js-i18n-catalog",
    ),
]
