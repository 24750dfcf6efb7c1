from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = "Orientations"

    def ready(self):
        # Imports here, not at the top: models load only once the app registry is ready.
        from audit.registry import register_audited
        from referrals.models import Referral, Scheme

        register_audited(Scheme, m2m_fields={"territories", "motifs"})
        register_audited(Referral)
