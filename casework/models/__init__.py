"""The casework models, one module per part of the domain.

`core`: young people, situations, notes and their coded lists. Group sessions (séances) and the
local strategy (`strategy`) add their own modules here; everything is importable from `casework.models`.
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
from casework.models.strategy import Action, Axis, SituationAction, Strategy

__all__ = [
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
