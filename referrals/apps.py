from django.apps import AppConfig


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = "Orientations"

    def ready(self):
        # Imports here, not at the top: models load only once the app registry is ready.
        from audit.registry import register_audited
        from casework.closing import register_closing
        from referrals.models import Referral, Scheme
        from referrals.services import referrals_end_on_closing

        register_audited(Scheme, m2m_fields={"territories", "motifs"})
        register_audited(Referral)
        register_closing("referrals", referrals_end_on_closing)
