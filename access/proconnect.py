"""Sign-in with ProConnect, the State's OpenID Connect federation for public agents (collectivités included).

Authorization code flow with PKCE (S256), `state` and `nonce`, through Authlib: it keeps the three in the
session, checks `state` on the way back, and checks the ID token's RS256 signature against the
provider's JWKS (found by discovery), its issuer, audience, expiry and `nonce`. What Parcours adds:

- **No account from the provider alone.** The first sign-in links the identity (issuer, `sub`) to the
  one existing Parcours account with that e-mail address, which an administrator created and invited;
  later sign-ins follow the link. The partner and the role still come from Parcours' memberships.
- **A deactivated account stays out**, whatever the provider says.
- **The second factor** is waived only when the provider asserts an authentication level the
  deployment accepts (`PARCOURS_PROCONNECT_MFA_ACR`, `PARCOURS_PROCONNECT_MFA_AMR`); otherwise the
  person enters their Parcours TOTP code (or passkey) as after a password.
- **Signing out ends both sessions**: Parcours', then ProConnect's (`end_session_endpoint`).
"""

from authlib.integrations.django_client import OAuth
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from access.models import Membership, ProConnectIdentity
from audit.models import Kind
from audit.services import security_record
from core.refusal import Refusal

# Session keys: the ID token (for the provider's sign-out) and the accepted level (waives the factor).
ID_TOKEN_SESSION_KEY = "parcours_proconnect_id_token"
MFA_SESSION_KEY = "parcours_proconnect_mfa"
NEXT_SESSION_KEY = "parcours_proconnect_next"

UNKNOWN = (
    "Aucun compte Parcours ne correspond à cette identité ProConnect. "
    "Demandez une invitation à l'administrateur de Parcours."
)
DEACTIVATED = "Ce compte Parcours est désactivé : la connexion par ProConnect est refusée."
UNREACHABLE = (
    "ProConnect ne répond pas pour le moment ; réessayez plus tard, ou connectez-vous avec votre mot de passe."
)
FAILED = "La connexion par ProConnect a échoué ; réessayez, ou connectez-vous avec votre mot de passe."


def enabled() -> bool:
    return settings.PARCOURS_PROCONNECT_ENABLED


def client():
    """An Authlib client for the configured provider (discovery is read when first needed)."""
    oauth = OAuth()
    return oauth.register(
        name="proconnect",
        server_metadata_url=settings.PARCOURS_PROCONNECT_DISCOVERY_URL,
        client_id=settings.PARCOURS_PROCONNECT_CLIENT_ID,
        client_secret=settings.PARCOURS_PROCONNECT_CLIENT_SECRET,
        client_kwargs={"scope": settings.PARCOURS_PROCONNECT_SCOPES, "code_challenge_method": "S256"},
    )


def mfa_waived(claims: dict) -> bool:
    """Whether the provider asserted a multi-factor sign-in that this deployment accepts."""
    acr = claims.get("acr")
    amr = claims.get("amr") or []
    if isinstance(amr, str):
        amr = amr.split()
    accepted_amr = set(settings.PARCOURS_PROCONNECT_MFA_AMR)
    return (acr is not None and acr in settings.PARCOURS_PROCONNECT_MFA_ACR) or bool(accepted_amr & set(amr))


def identity_sign_in(*, claims: dict, issuer: str):
    """The Parcours account this verified identity signs in as, linking it by e-mail the first time.

    Raises Refusal, after recording a failed sign-in (outside any transaction the refusal would undo),
    for an identity that matches no account, or one that matches a deactivated account.
    """
    subject = str(claims.get("sub") or "")
    email = str(claims.get("email") or "").strip()
    linked = ProConnectIdentity.objects.select_related("user").filter(issuer=issuer, subject=subject).first()
    if linked is not None:
        user = linked.user
    else:
        candidates = list(get_user_model().objects.filter(email__iexact=email)[:2]) if email and subject else []
        user = candidates[0] if len(candidates) == 1 else None
        if (
            user is None
            or not Membership.objects.filter(user=user).exists()
            or ProConnectIdentity.objects.filter(user=user).exists()
        ):
            security_record(Kind.LOGIN_FAILED, username="(identité ProConnect inconnue)", detail="ProConnect")
            raise Refusal(UNKNOWN)
    if not user.is_active:
        security_record(
            Kind.LOGIN_FAILED, user=user, username=user.get_username(), detail="ProConnect : compte désactivé"
        )
        raise Refusal(DEACTIVATED)
    if linked is None:
        with transaction.atomic():
            ProConnectIdentity.objects.create(user=user, issuer=issuer, subject=subject)
            security_record(
                Kind.ACCOUNT_ACTIVATED, user=user, username=user.get_username(), detail="Identité ProConnect liée"
            )
    return user


class ProConnectMFAMiddleware:
    """After django_otp's: a session signed in through ProConnect at an accepted level counts as verified."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and request.session.get(MFA_SESSION_KEY):
            user.is_verified = lambda: True
        return self.get_response(request)
