from oauth2_provider.oauth2_validators import OAuth2Validator


class AgentValidator(OAuth2Validator):
    """ProConnect's claims: e-mail and names, plus the authentication level (acr, amr) in the ID token."""

    oidc_claim_scope = None

    def get_additional_claims(self, request):
        user = request.user
        strong = user.is_staff
        return {
            "email": user.email,
            "given_name": user.first_name,
            "usual_name": user.last_name,
            "acr": "eidas2" if strong else "eidas1",
            "amr": ["pwd", "otp"] if strong else ["pwd"],
        }
