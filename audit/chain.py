"""The tamper-evident chain over the audit tables (privacy invariant 6).

Each row carries two HMAC-SHA256 values made with the audit key, which lives outside the database
(`PARCOURS_AUDIT_KEY` or `audit.key` in `PARCOURS_KEY_DIR`):

- `mac`, over the row's canonical content, written with the row;
- `chain`, over its sequence number, its id, its `mac` and the previous row's `chain`, written by
  the sealer, which also gives the row its `seq`.

Why seal in batches rather than chain on insert: chaining on insert needs a lock on the chain head
from the insert until the end of the writing transaction. Audit rows are written inside the
request's or the service's transaction (a change entry is written by django-auditlog during the
save), so every request that reads or writes a situation would wait for the one before it: the
whole application would serialize on one row. Here a request only INSERTs its rows, with no lock
and no extra query. A periodic task (`audit.tasks.audit_seal`, every
`PARCOURS_AUDIT_SEAL_SECONDS`) takes the head lock for one short batch, checks each pending row's
`mac` (so a row slipped into the table without the key is never sealed), and extends the chain.
The price is a window of a few seconds during which a row is protected by its `mac` and the
triggers but not yet by the chain; `verify_audit` reports pending rows and checks their `mac` too.

`verify` walks each chain in `seq` order and names the first entry that was changed (its `mac` or
`chain` no longer matches), deleted (a gap in `seq`, or a head beyond the last row) or inserted (a
row whose `chain` does not follow from its predecessor).
"""

import datetime
import hmac
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max

from audit.mac import chain_mac, content_mac, head_mac

SEAL_BATCH = 5000


class AuditChainError(Exception):
    """The chain head does not authenticate: the sealer refuses to extend a forged chain."""


def _deleted(first: int, last: int) -> str:
    """« entrée 7 supprimée », « entrées 7 à 9 supprimées »."""
    return f"entrée {first} supprimée" if first == last else f"entrées {first} à {last} supprimées"


def chained_models():
    from audit.models import ChangeEntry, Event

    return [Event, ChangeEntry]


def _head_for_update(label: str):
    from audit.models import ChainHead

    ChainHead.objects.get_or_create(table=label)
    head = ChainHead.objects.select_for_update().get(table=label)
    if (head.seq or head.floor_seq) and not hmac.compare_digest(head.mac, head_mac(head)):
        raise AuditChainError(f"the head of chain {label} does not authenticate")
    return head


def seal(model, *, batch: int = SEAL_BATCH) -> int:
    """Give pending rows their place in the chain; returns how many were sealed.

    Rows whose `mac` does not match their content stay pending, so that `verify` names them.
    """
    label = model._meta.label_lower
    total = 0
    while True:
        with transaction.atomic():
            head = _head_for_update(label)
            rows = list(model.objects.filter(seq__isnull=True).order_by("id")[:batch])
            sealed = []
            for row in rows:
                if not hmac.compare_digest(row.mac, content_mac(row)):
                    continue
                head.seq += 1
                row.seq = head.seq
                row.chain = head.chain = chain_mac(label, row.seq, row.pk, row.mac, head.chain)
                sealed.append(row)
            if not sealed:
                return total
            model.objects.bulk_update(sealed, ["seq", "chain"], batch_size=1000)
            head.mac = head_mac(head)
            head.save(update_fields=["seq", "chain", "mac"])
        total += len(sealed)
        if len(rows) < batch:
            return total


def seal_all() -> dict[str, int]:
    return {model._meta.label_lower: seal(model) for model in chained_models()}


@dataclass
class Report:
    table: str
    checked: int = 0
    pending: int = 0
    broken: str | None = None

    @property
    def intact(self) -> bool:
        return self.broken is None


def verify(model, *, chunk: int = 5000) -> Report:
    """Walk one chain and stop at the first broken entry."""
    from audit.models import ChainHead

    label = model._meta.label_lower
    report = Report(table=label)
    head = ChainHead.objects.filter(table=label).first()
    if head is None:
        head = ChainHead(table=label)
    elif (head.seq or head.floor_seq) and not hmac.compare_digest(head.mac, head_mac(head)):
        report.broken = f"{label} : la tête de chaîne a été modifiée (séquence {head.seq})"
        return report
    expected, previous = head.floor_seq, head.floor_chain
    for row in model.objects.filter(seq__isnull=False).order_by("seq").iterator(chunk_size=chunk):
        if row.seq != expected + 1:
            report.broken = f"{label} : {_deleted(expected + 1, row.seq - 1)} (avant l'entrée id {row.pk})"
            return report
        if not hmac.compare_digest(row.mac, content_mac(row)):
            report.broken = f"{label} : entrée id {row.pk} (séquence {row.seq}) modifiée"
            return report
        if not hmac.compare_digest(row.chain, chain_mac(label, row.seq, row.pk, row.mac, previous)):
            report.broken = f"{label} : entrée id {row.pk} (séquence {row.seq}) insérée ou déplacée"
            return report
        expected, previous = row.seq, row.chain
        report.checked += 1
    if expected > head.seq:
        report.broken = f"{label} : la tête de chaîne a été modifiée (séquence {head.seq})"
        return report
    if expected != head.seq or previous != head.chain:
        report.broken = f"{label} : {_deleted(expected + 1, head.seq)} (fin de chaîne)"
        return report
    for row in model.objects.filter(seq__isnull=True).order_by("id").iterator(chunk_size=chunk):
        if not hmac.compare_digest(row.mac, content_mac(row)):
            report.broken = f"{label} : entrée id {row.pk} (pas encore scellée) modifiée ou forgée"
            return report
        report.pending += 1
    return report


def verify_all() -> list[Report]:
    return [verify(model) for model in chained_models()]


def purge_before(model, *, cutoff) -> int:
    """Delete the start of a chain, up to the last sealed entry older than `cutoff` (retention).

    Deletion follows `seq`, not time, so the chain stays whole: the few entries sealed before the
    last old one but written a moment after the cutoff go with it. The new floor is the last
    deleted entry's (seq, chain); the head's MAC covers it. The delete triggers let rows through
    only while a `PurgeWindow` is open, for this transaction.
    """
    from audit.models import PurgeWindow

    label = model._meta.label_lower
    time_field = model.TIME_FIELD
    with transaction.atomic():
        head = _head_for_update(label)
        last = (
            model.objects.filter(seq__isnull=False, **{f"{time_field}__lt": cutoff})
            .order_by("-seq")
            .only("seq", "chain")
            .first()
        )
        if last is None or last.seq <= head.floor_seq:
            return 0
        doomed = model.objects.filter(seq__lte=last.seq)
        newest = doomed.aggregate(newest=Max(time_field))["newest"]
        window = PurgeWindow.objects.create(before=newest + datetime.timedelta(microseconds=1))
        deleted, _ = doomed.delete()
        window.delete()
        head.floor_seq, head.floor_chain = last.seq, last.chain
        head.mac = head_mac(head)
        head.save(update_fields=["floor_seq", "floor_chain", "mac"])
    return deleted
