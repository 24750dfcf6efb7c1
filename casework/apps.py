from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = "Situations"

    def ready(self):
        # Imports here, not at the top: models load only once the app registry is ready.
        from audit.registry import register_audited
        from casework.models import (
            Association,
            ConsentJustification,
            Information,
            Note,
            Person,
            RetentionRule,
            Signalement,
            Situation,
        )

        register_audited(Person)
        register_audited(Situation, m2m_fields={"motifs"})
        register_audited(Note)
        register_audited(Information)
        register_audited(RetentionRule)
        register_audited(Association)
        register_audited(ConsentJustification)
        register_audited(Signalement)
