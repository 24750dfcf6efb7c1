from django.apps import AppConfig


class DpoConfig(AppConfig):
    name = "dpo"
    verbose_name = "Protection des données"

    def ready(self):
        # Imports here, not at the top: models load only once the app registry is ready.
        from audit.registry import register_audited
        from dpo.models import RightsRequest

        register_audited(RightsRequest)

        # Each adds its sections to the subject-access file (dpo.subject_access.section).
        from dpo import subject_access_referrals, subject_access_seances  # noqa: F401
