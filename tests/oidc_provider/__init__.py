"""A real, tiny OpenID Connect provider for the ProConnect tests (django-oauth-toolkit with OIDC on):
discovery, JWKS, RS256-signed ID tokens, PKCE, nonce, RP-initiated logout. It runs as its own Django
project in a subprocess (`python -m tests.oidc_provider.serve`), never inside Parcours' settings.

Its agents stand in for ProConnect's: `is_staff` marks one who signed in with a multi-factor method
at their identity provider (acr `eidas2`, amr `pwd otp`), the others get acr `eidas1`, amr `pwd`.
"""
