"""The casework models, one module per part of the domain.

`core`: young people, situations, notes and their coded lists. Group sessions (séances) and the
local strategy add their own modules here; everything is importable from `casework.models`.
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

__all__ = [
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
