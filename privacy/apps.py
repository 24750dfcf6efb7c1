from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = "Protection des données"

    def ready(self):
        from audit.registry import register_audited
        from privacy.models import RetentionRule, RightsRequest

        register_audited(RetentionRule)
        register_audited(RightsRequest)
