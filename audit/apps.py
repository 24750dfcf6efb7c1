from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Journal d'audit"

    def ready(self):
        # Imports here, not at the top: models load only once the app registry is ready.
        from audit import signals  # noqa: F401 - connects the security-event receivers
