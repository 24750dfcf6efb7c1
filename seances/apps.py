from django.apps import AppConfig


class SeancesConfig(AppConfig):
    name = "seances"
    verbose_name = "Séances du groupe"

    def ready(self):
        # Imports here, not at the top: models load only once the app registry is ready.
        from audit.registry import register_audited
        from casework.closing import register_closing
        from seances.models import (
            Addendum,
            AgendaItem,
            Attendance,
            Decision,
            Invitation,
            Objective,
            Seance,
            Step,
        )
        from seances.services import objectives_reach_on_closing, steps_end_on_closing

        for model in (Seance, Invitation, Attendance, AgendaItem, Decision, Objective, Step, Addendum):
            register_audited(model)
        register_closing("steps", steps_end_on_closing)
        register_closing("objectives", objectives_reach_on_closing)
