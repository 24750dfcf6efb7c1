"""The casework models, one module per part of the domain.

`core`: young people, situations, notes and their coded lists; `seance`: group sessions (agenda,
attendance, decisions, actions, addenda); `strategy`: the local strategy (axes, fiches-actions) and
the situations' contributions to it. Everything is importable from `casework.models`.
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
from casework.models.strategy import Action, Axis, SituationAction, Strategy

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
    "Action",
    "Axis",
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
    "SituationAction",
    "SituationGroupObjectPermission",
    "SituationUserObjectPermission",
    "Source",
    "Strategy",
    "Territory",
]
