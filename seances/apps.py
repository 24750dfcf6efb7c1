from django.apps import AppConfig


class SeancesConfig(AppConfig):
    name = "seances"
    verbose_name = "Séances du groupe"

    def ready(self):
        # Imports here, not at the top: models load only once the app registry is ready.
        from audit.registry import register_audited
        from seances.models import (
            Addendum,
            AgendaItem,
            Attendance,
            Decision,
            FollowUpAction,
            Invitation,
            Seance,
        )

        for model in (Seance, Invitation, Attendance, AgendaItem, Decision, FollowUpAction, Addendum):
            register_audited(model)
