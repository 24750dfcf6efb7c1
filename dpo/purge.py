"""Retention enforced by the machine (privacy invariant 7), and erasure on request (art. 17).

A situation whose retention period has run out is purged irreversibly, each in its own transaction:
its referrals, notes, information records, break-glass reasons, séance points (with their decisions,
summaries and addenda), follow-up actions, associations and grants of the ledger are deleted with it
(the séance itself and its attendance stay: they hold nothing about the young person); when no
other situation of the young person remains, the person's row (identity ciphertext and
blind index) is deleted and the data key destroyed, so that any copy of the ciphertext left in a
backup can no longer be read (crypto-shredding). Only anonymous counters stay: `EvaluationCount` for
the situation (with its confirmed fiches-actions) and `ReferralCount` for each of its referrals, so
that the evaluation's figures do not drop when retention runs. An audit event names the reference and
counts what went.

The purge sits with the DPO's tools, above every app it reaches (situations, referrals, séances,
access files); which situations are due is casework's rule (`casework.retention`).

A run that stops half-way leaves every situation either untouched or fully purged: running it again
finds the rest still due and purges them, and never counts a situation twice.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass

from auditlog.context import disable_auditlog
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from access.models import BreakGlassAccess
from audit.models import Kind
from audit.services import security_record
from casework.models import EvaluationCount, Information, Note, Situation
from casework.retention import Cause, counter_dimensions, due_filter
from core.wording import counted
from dpo.models import SubjectAccessFile
from referrals.models import Referral, ReferralCount
from seances.models import AgendaItem, Objective, Step


@dataclass(frozen=True)
class PurgeResult:
    reference: str
    notes: int
    informations: int
    key_destroyed: bool


def _count(situation: Situation) -> None:
    dimensions = counter_dimensions(situation)
    EvaluationCount.objects.get_or_create(**dimensions)
    EvaluationCount.objects.filter(**dimensions).update(count=F("count") + 1)
    for referral in situation.referrals.select_related("scheme", "action", "outcome"):
        referral_dimensions = referral.counter_dimensions()
        if not ReferralCount.objects.filter(**referral_dimensions).update(count=F("count") + 1):
            ReferralCount.objects.create(**referral_dimensions, count=1)


def situation_purge(*, situation_id, cause: str = Cause.RETENTION) -> PurgeResult | None:
    """Purge one situation for good; None when it is already gone (an earlier or concurrent run)."""
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
        Step.objects.filter(situation=situation).delete()
        Objective.objects.filter(situation=situation).delete()
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
                f"{cause} ({situation.status}) — {counted(referrals, 'orientation', 'orientations')}, "
                f"{counted(notes, 'note', 'notes')}, {counted(informations, 'information', 'informations')}, "
                f"{counted(break_glass, 'accès exceptionnel', 'accès exceptionnels')}, "
                f"{counted(items, 'point de séance', 'points de séance')} ; "
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
