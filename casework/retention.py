"""Retention periods (privacy invariant 7): which situations are due for purge, and when.

Each end state (non retenue, clôturée) has a period set by the DPO (`RetentionRule`); a situation is
due once that period has run from `status_since`. The purge itself (`dpo.purge`) reaches every app
that holds rows about a situation, so it sits above them all; what it keeps for the evaluation is
described here, on the situation: `counter_dimensions`.
"""

import datetime
from dataclasses import dataclass

from django.db.models import Q

from casework.models import RetentionRule, Situation

AGE_BANDS = ((12, "< 13"), (15, "13-15"), (17, "16-17"), (21, "18-21"))
OLDEST_BAND = "22 +"
# Months between the saisine and the closure.
FOLLOWUP_BANDS = ((3, "< 3 mois"), (6, "3-6 mois"), (12, "6-12 mois"), (24, "12-24 mois"))
LONGEST_FOLLOWUP = "24 mois +"


class Cause:
    RETENTION = "conservation échue"
    ERASURE = "effacement sur demande"


@dataclass(frozen=True)
class DueSituation:
    situation_id: object
    reference: str
    status: str
    status_since: datetime.date
    due_on: datetime.date


def retention_rules() -> dict[str, RetentionRule]:
    return {rule.status: rule for rule in RetentionRule.objects.all()}


def due_filter(*, on: datetime.date, rules: dict[str, RetentionRule] | None = None) -> Q:
    """Situations whose retention period ends on `on` or before."""
    rules = retention_rules() if rules is None else rules
    due = Q(pk__in=[])
    for rule in rules.values():
        due |= Q(status=rule.status, status_since__lte=on - datetime.timedelta(days=rule.days))
    return due


def purge_schedule(situations, *, until: datetime.date) -> list[DueSituation]:
    """`situations` (already filtered by the caller's permissions) due for purge by `until`, soonest first."""
    rules = retention_rules()
    rows = situations.filter(due_filter(on=until, rules=rules)).values_list("pk", "reference", "status", "status_since")
    schedule = [
        DueSituation(pk, reference, status, since, since + datetime.timedelta(days=rules[status].days))
        for pk, reference, status, since in rows
    ]
    return sorted(schedule, key=lambda due: (due.due_on, due.reference))


def band(value: int, bands, last: str) -> str:
    for limit, label in bands:
        if value <= limit:
            return label
    return last


def counter_dimensions(situation: Situation) -> dict:
    """What a purged situation leaves behind in `EvaluationCount`: coded values and bands only."""
    person = situation.person
    followup = ""
    if situation.closed_on:
        months = (situation.closed_on - situation.received_on).days // 30
        followup = band(months, FOLLOWUP_BANDS, LONGEST_FOLLOWUP)
    return {
        "received_year": situation.received_on.year,
        "received_month": situation.received_on.month,
        "source": situation.source.code,
        "motifs": " ".join(sorted(situation.motifs.values_list("code", flat=True)))[:600],
        "actions": " ".join(sorted(situation.action_links.values_list("action__code", flat=True)))[:300],
        "status": situation.status,
        "closure_reason": situation.closure_reason.code if situation.closure_reason else "",
        "age_band": band(situation.received_on.year - person.birth_year, AGE_BANDS, OLDEST_BAND) if person else "",
        "gender": person.gender if person else "",
        "territory": person.territory.code if person and person.territory else "",
        "followup_band": followup,
        "anonymous": person is None,
        "youth_outcome": situation.youth_outcome,
    }
