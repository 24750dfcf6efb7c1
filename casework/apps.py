from django.apps import AppConfig


class CaseworkConfig(AppConfig):
    name = "casework"
    verbose_name = "Situations"

    def ready(self):
        from audit.registry import register_audited
        from casework.models import (
            Action,
            Addendum,
            AgendaItem,
            Attendance,
            Axis,
            Decision,
            FollowUpAction,
            Information,
            Invitation,
            Note,
            Person,
            RetentionRule,
            Seance,
            SeanceAccess,
            Situation,
            SituationAction,
            Strategy,
        )

        register_audited(Person)
        register_audited(Situation, m2m_fields={"motifs"})
        register_audited(Note)
        register_audited(Information)
        register_audited(RetentionRule)
        register_audited(SituationAction)
        register_audited(Strategy)
        register_audited(Axis)
        register_audited(Action, m2m_fields={"partners", "suggested_for_motifs"})
        for model in (Seance, Invitation, Attendance, AgendaItem, Decision, FollowUpAction, Addendum, SeanceAccess):
            register_audited(model)

        from casework.seances import subject_access  # noqa: F401 - adds the séances to the subject-access file
