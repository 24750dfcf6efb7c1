"""The relevé de décisions (minutes) of a closed séance, as a PDF (WeasyPrint, imported lazily).

What leaves the room is the decisions only: séance facts, attendance by partner, and for each point
the situation's pseudonymous reference, the coded decisions, the partner answerable and the dates.
Never a young person's name, a note, the review summary or the wording of an action. Every page
carries the name of the person who downloaded it and the time; each download is a security event.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from audit.models import Kind as AuditKind
from audit.services import security_record
from core.pdf import pdf_render
from core.wording import counted
from seances.models import AgendaItem, Decision, Seance

Kind = Decision.Kind


@dataclass
class MinutesItem:
    position: int
    reference: str
    reason: str
    decisions: list[tuple[str, str, str]] = field(default_factory=list)


def _decision_row(decision: Decision) -> tuple[str, str, str]:
    """(decision, partner answerable, date) in coded words."""
    label = decision.get_kind_display()
    partner = str(decision.partner) if decision.partner else ""
    date = ""
    if decision.kind == Kind.NOT_RETAINED and decision.not_retained_reason:
        label = f"{label} — {decision.not_retained_reason}"
    elif decision.kind == Kind.FOLLOW_UP and decision.referent:
        label = f"{label} : {decision.referent.get_full_name() or decision.referent.username}"
    elif decision.kind == Kind.REFERRAL and decision.referral:
        label = f"{label} : {decision.referral.scheme.name}"
        if decision.referral.deadline:
            date = f"réponse attendue le {decision.referral.deadline:%d/%m/%Y}"
    elif decision.kind == Kind.ACTION and decision.step:
        date = f"échéance le {decision.step.due_on:%d/%m/%Y}"
    elif decision.kind == Kind.STEP_CLOSED and decision.step:
        # The step's state is coded; its wording is the young person's and stays out of the minutes.
        label = f"{label} — {decision.step.get_status_display().lower()}"
    elif decision.kind == Kind.OBJECTIVE and decision.objective:
        # The domain is coded; the objective's wording is the young person's and stays out of the minutes.
        label = f"{label} — {decision.objective.get_domain_display().lower()}"
    elif decision.kind == Kind.NEXT_REVIEW and decision.next_review_on:
        date = f"le {decision.next_review_on:%d/%m/%Y}"
    elif decision.kind == Kind.CLOSURE and decision.closure_reason:
        label = f"{label} — {decision.closure_reason}"
    return label, partner, date


def minutes_context(seance: Seance, *, reader, at: datetime.datetime) -> tuple[dict, list[AgendaItem]]:
    seance = Seance.objects.select_related("territory", "closed_by").get(pk=seance.pk)
    items = list(
        AgendaItem.objects.filter(seance=seance)
        .select_related("situation")
        .prefetch_related(
            "decisions__not_retained_reason",
            "decisions__closure_reason",
            "decisions__partner",
            "decisions__referent",
            "decisions__referral__scheme",
            "decisions__step",
            "decisions__objective",
        )
        .order_by("position")
    )
    rows = []
    for item in items:
        row = MinutesItem(item.position, item.situation.reference, item.get_reason_display())
        row.decisions = [_decision_row(d) for d in sorted(item.decisions.all(), key=lambda d: d.decided_at)]
        rows.append(row)
    by_partner = defaultdict(list)
    for attendance in seance.attendances.select_related("user", "partner").order_by("partner__name", "user__last_name"):
        by_partner[attendance.partner.name].append(attendance)
    addenda = list(seance.addenda.select_related("item__situation", "author", "data_key").order_by("created_at"))
    local = timezone.localtime(at)
    context = {
        "seance": seance,
        "items": rows,
        "attendance": sorted(by_partner.items()),
        "attendance_count": sum(len(people) for people in by_partner.values()),
        # A point is examined once it has a decision: the others say « point non examiné » below.
        "agenda_count": len(rows),
        "examined_count": sum(1 for row in rows if row.decisions),
        "addenda": addenda,
        "watermark": f"Téléchargé par {reader.get_full_name() or reader.username} le {local:%d/%m/%Y à %H:%M}",
        "city": settings.PARCOURS_CITY_NAME,
        "generated_at": local,
    }
    return context, items


def minutes_pdf(seance: Seance, *, reader, at: datetime.datetime) -> tuple[bytes, list[AgendaItem]]:

    context, items = minutes_context(seance, reader=reader, at=at)
    return pdf_render("seances/minutes_pdf.html", context), items


def minutes_download_record(seance: Seance, *, user, request, seconds: float) -> None:

    security_record(
        AuditKind.MINUTES_DOWNLOAD,
        user=user,
        obj=seance,
        detail=f"{seance} — {counted(seance.items.count(), 'point', 'points')}, produit en {seconds:.1f} s",
        request=request,
    )
