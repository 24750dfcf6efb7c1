"""The casework models: young people, situations, notes, information records and their coded lists,
retention rules and the anonymous counters a purge leaves. Everything is importable from `casework.models`."""

from casework.models.core import (
    COUNTER_DIMENSIONS,
    PURGEABLE_STATUSES,
    Association,
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
    Source,
    Territory,
)
from casework.models.followup import ConsentJustification, Signalement

__all__ = [
    "Association",
    "COUNTER_DIMENSIONS",
    "PURGEABLE_STATUSES",
    "ClosureReason",
    "ConsentJustification",
    "CodedEntry",
    "EvaluationCount",
    "Gender",
    "Information",
    "Motif",
    "Note",
    "Person",
    "ReferenceCounter",
    "RetentionRule",
    "Signalement",
    "Situation",
    "Source",
    "Territory",
]
