"""Retention enforced by the machine (privacy invariant 7), and erasure on request (art. 17).

A situation whose retention period has run out is purged irreversibly, each in its own transaction:
its referrals, notes, information records, break-glass reasons, séance points (with their decisions,
summaries and addenda), follow-up actions, séance accesses and permission rows are deleted with it
(the séance itself and its attendance stay: they hold nothing about the young person); when no
other situation of the young person remains, the person's row (identity ciphertext and
blind index) is deleted and the data key destroyed, so that any copy of the ciphertext left in a
backup can no longer be read (crypto-shredding). Only anonymous counters stay: `EvaluationCount` for
the situation (with its confirmed fiches-actions) and `ReferralCount` for each of its referrals, so
that the evaluation's figures do not drop when retention runs. An audit event names the reference and
counts what went.

A run that stops half-way leaves every situation either untouched or fully purged: running it again
finds the rest still due and purges them, and never counts a situation twice.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from auditlog.context import disable_auditlog
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from access.models import BreakGlassAccess
from audit.models import SubjectAccessFile
from casework.models import (
    AgendaItem,
    EvaluationCount,
    FollowUpAction,
    Information,
    Note,
    RetentionRule,
    SeanceAccess,
    Situation,
)
from referrals.models import Referral, ReferralCount

AGE_BANDS = ((12, "< 13"), (15, "13-15"), (17, "16-17"), (21, "18-21"))
OLDEST_BAND = "22 +"
# Months between the saisine and the closure.
FOLLOWUP_BANDS = ((3, "< 3 mois"), (6, "3-6 mois"), (12, "6-12 mois"), (24, "12-24 mois"))
LONGEST_FOLLOWUP = "24 mois +"


class Cause:
    RETENTION = "conservation échue"
    ERASURE = "effacement sur demande"


@dataclass(frozen=True)
class PurgeResult:
    reference: str
    notes: int
    informations: int
    key_destroyed: bool


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


def _counter_dimensions(situation: Situation) -> dict:
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
    }


def _count(situation: Situation) -> None:
    dimensions = _counter_dimensions(situation)
    EvaluationCount.objects.get_or_create(**dimensions)
    EvaluationCount.objects.filter(**dimensions).update(count=F("count") + 1)
    for referral in situation.referrals.select_related("scheme", "action", "outcome"):
        referral_dimensions = referral_counter_dimensions(referral)
        if not ReferralCount.objects.filter(**referral_dimensions).update(count=F("count") + 1):
            ReferralCount.objects.create(**referral_dimensions, count=1)


def answer_days(referral: Referral) -> int | None:
    if referral.sent_at is None or referral.answered_at is None:
        return None
    return max((referral.answered_at - referral.sent_at).days, 0)


def referral_counter_dimensions(referral: Referral) -> dict:
    """What a referral leaves behind: coded values and the month it was sent, never a date or an id."""
    sent = timezone.localdate(referral.sent_at) if referral.sent_at else None
    return {
        "sent_year": sent.year if sent else None,
        "sent_month": sent.month if sent else None,
        "scheme": referral.scheme.name,
        "action": referral.action.code if referral.action else "",
        "state": referral.state,
        "outcome": referral.outcome.code if referral.outcome else "",
        "answer_days": answer_days(referral),
    }


def situation_purge(*, situation_id, cause: str = Cause.RETENTION) -> PurgeResult | None:
    """Purge one situation for good; None when it is already gone (an earlier or concurrent run)."""
    from audit.models import Kind
    from audit.services import security_record

    # The purge writes its own audit event below; field-by-field deletion entries would only copy
    # into the trail the coded values the purge is removing.
    with transaction.atomic(), disable_auditlog():
        situation = (
            Situation.objects.select_for_update(of=("self",))
            .select_related("person__territory", "person__data_key", "data_key", "source", "closure_reason")
            .filter(pk=situation_id)
            .first()
        )
        if situation is None:
            return None
        _count(situation)
        # Explicitly, like the notes, so that the event counts them (the situation would cascade).
        # Séance points first: their decisions point at the referrals.
        items = AgendaItem.objects.filter(situation=situation).count()
        AgendaItem.objects.filter(situation=situation).delete()
        FollowUpAction.objects.filter(situation=situation).delete()
        SeanceAccess.objects.filter(situation=situation).delete()
        referrals, _ = Referral.objects.filter(situation=situation).delete()
        notes, _ = Note.objects.filter(situation=situation).delete()
        informations, _ = Information.objects.filter(situation=situation).delete()
        break_glass, _ = BreakGlassAccess.objects.filter(situation=situation).delete()
        person = situation.person
        situation.delete()
        key = None
        if person is None:
            key = situation.data_key
        elif not person.situations.exists():
            SubjectAccessFile.objects.filter(data_key=person.data_key).delete()
            person.delete()
            key = person.data_key
        if key is not None:
            key.destroy()
        security_record(
            Kind.PURGE,
            situation_reference=situation.reference,
            detail=(
                f"{cause} ({situation.status}) — {referrals} orientation(s), {notes} note(s), "
                f"{informations} information(s), "
                f"{break_glass} accès exceptionnel(s), {items} point(s) de séance ; "
                + ("clé de chiffrement détruite" if key else "clé conservée : autre situation en cours")
            ),
        )
    return PurgeResult(situation.reference, notes, informations, key is not None)


def retention_purge(
    *, today: datetime.date | None = None, progress: Callable[[int, int], None] | None = None
) -> list[PurgeResult]:
    """Purge every situation due today, one transaction each, and delete expired access files."""
    today = today or timezone.localdate()
    due = list(
        Situation.objects.filter(due_filter(on=today)).order_by("status_since", "pk").values_list("pk", flat=True)
    )
    results = []
    for done, situation_id in enumerate(due, start=1):
        result = situation_purge(situation_id=situation_id)
        if result is not None:
            results.append(result)
        if progress:
            progress(done, len(due))
    SubjectAccessFile.objects.filter(expires_at__lte=timezone.now()).delete()
    return results
