"""The casework models, one module per part of the domain.

`core`: young people, situations, notes and their coded lists; `seance`: group sessions (agenda,
attendance, decisions, actions, addenda). The local strategy adds its own module here; everything
is importable from `casework.models`.
"""

from casework.models.core import (
    COUNTER_DIMENSIONS,
    PURGEABLE_STATUSES,
    ClosureReason,
    CodedEntry,
    EvaluationCount,
    Gender,
    Information,
    Motif,
    Note,
    Person,
    ReferenceCounter,
    RetentionRule,
    Situation,
    SituationGroupObjectPermission,
    SituationUserObjectPermission,
    Source,
    Territory,
)
from casework.models.seance import (
    Addendum,
    AgendaItem,
    Attendance,
    Decision,
    FollowUpAction,
    Invitation,
    NotRetainedReason,
    Seance,
    SeanceAccess,
)

__all__ = [
    "AgendaItem",
    "Addendum",
    "Attendance",
    "Decision",
    "FollowUpAction",
    "Invitation",
    "NotRetainedReason",
    "Seance",
    "SeanceAccess",
    "COUNTER_DIMENSIONS",
    "PURGEABLE_STATUSES",
    "ClosureReason",
    "CodedEntry",
    "EvaluationCount",
    "Gender",
    "Information",
    "Motif",
    "Note",
    "Person",
    "ReferenceCounter",
    "RetentionRule",
    "Situation",
    "SituationGroupObjectPermission",
    "SituationUserObjectPermission",
    "Source",
    "Territory",
]
