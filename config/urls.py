from django.contrib import admin
from django.urls import include, path

from config.health import health
from config.views import accessibility, home, legal_notice

admin.site.site_header = "Parcours — administration technique"
admin.site.site_title = "Parcours"

urlpatterns = [
    path("", home, name="home"),
    path("accessibilite/", accessibility, name="accessibility"),
    path("mentions-legales/", legal_notice, name="legal_notice"),
    # For monitoring probes: JSON, no personal data (config/health.py).
    path("sante/", health, name="health"),
    path("", include("access.urls")),
    # django-otp-webauthn's endpoints, under Parcours' rules (access/passkeys_api.py).
    path("mfa/cles/api/", include("access.passkeys_api")),
    path("", include("notifications.urls")),
    path("", include("casework.urls")),
    path("", include("strategy.urls")),
    path("", include("referrals.urls")),
    path("", include("seances.urls")),
    path("", include("evaluation.urls")),
    path("", include("dpo.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "config.errors.bad_request"
handler403 = "config.errors.permission_denied"
handler404 = "config.errors.page_not_found"
handler500 = "config.errors.server_error"
