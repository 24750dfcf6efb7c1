from django.apps import AppConfig


class SeancesConfig(AppConfig):
    name = "seances"
    verbose_name = "Séances du groupe"

    def ready(self):
        from audit.registry import register_audited
        from seances.models import (
            Addendum,
            AgendaItem,
            Attendance,
            Decision,
            FollowUpAction,
            Invitation,
            Seance,
            SeanceAccess,
        )

        for model in (Seance, Invitation, Attendance, AgendaItem, Decision, FollowUpAction, Addendum, SeanceAccess):
            register_audited(model)
