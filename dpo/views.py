"""The DPO console: who accessed what, when, from where and why; what looks abnormal. And the
data-protection screens: retention periods, rights requests, restriction, inventory, breach.

Metadata and references only, never identity or content. The only personal text shown is the
written reason of a break-glass access, which the DPO must read to judge it; each display of it is
recorded like any other read. The only personal content the DPO receives is the access file they
asked for, once a coordinator confirmed the request.
"""

import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from access.decorators import dpo_or_coordinator_required, dpo_required
from access.models import BreakGlassAccess, Role
from access.permissions import membership_of
from audit.models import Event, Kind, Purpose
from audit.services import access_record, security_record
from casework import selectors as casework_selectors
from casework.models import ConsentJustification, RetentionRule, Situation
from casework.services import retention_rule_set, situation_restrict
from core.paging import uncounted_page
from core.pdf import pdf_render
from core.refusal import Refusal
from core.spreadsheet import csv_writer
from dpo import anomalies, labels, selectors, services
from dpo import inventory as inventory_module
from dpo.forms import (
    REFERENCE_REGEX,
    AnomalyPeriodForm,
    BreachForm,
    EventSearchForm,
    HistoryPeriodForm,
    PeriodForm,
    RestrictionForm,
    RetentionForm,
    RightsRequestForm,
)
from dpo.models import RightsRequest

EXPORT_LIMIT = 1_000_000


@dataclass(frozen=True)
class EventRow:
    """An event of a page in words, as `dpo/_events_table.html` shows it."""

    at: str
    kind: str
    user: str
    user_url: str
    partner: str
    reference: str
    reference_url: str
    object: str
    screen: str
    purpose: str
    grant_reason: str
    detail: str
    ip_address: str
    warning: bool


WARNING_KINDS = frozenset({Kind.BREAK_GLASS, Kind.AUDIT_ALERT})


def _event_rows(page) -> list[EventRow]:
    """A page of events in words, each label, name and link made once per page for each value it
    takes rather than by template filters and tags on every row (a page is 50 rows); the accounts
    the details name by number are read in one query."""
    if page is None:
        return []
    events = page.object_list
    people = selectors.people_named_in([event.detail for event in events])
    words: dict = {}

    def once(function, value):
        key = (function, value)
        if key not in words:
            words[key] = function(value)
        return words[key]

    def user_url(user_id):
        return reverse("dpo:user", args=[user_id])

    def reference_url(reference):
        return reverse("dpo:situation", args=[reference])

    def object_words(object_type):
        return labels.object_label(object_type) if object_type and object_type != "casework.situation" else ""

    rows = []
    for event in events:
        rows.append(
            EventRow(
                at=timezone.localtime(event.at).strftime("%d/%m/%Y %H:%M:%S"),
                kind=once(labels.kind_label, event.kind),
                user=once(lambda _pk, user=event.user: labels.person_label(user), event.user_id)
                if event.user_id
                else event.username,
                user_url=once(user_url, event.user_id) if event.user_id else "",
                partner=event.partner.name if event.partner_id else "",
                reference=event.situation_reference,
                reference_url=once(reference_url, event.situation_reference) if event.situation_reference else "",
                object=once(object_words, event.object_type),
                screen=once(labels.screen_label, event.screen),
                purpose=once(labels.purpose_label, event.purpose) if event.purpose else "",
                grant_reason=once(labels.grant_reason_label, event.grant_reason) if event.grant_reason else "",
                detail=labels.detail_label(event.detail, people) if event.detail else "",
                ip_address=event.ip_address or "",
                warning=event.purpose == Purpose.BREAK_GLASS or event.kind in WARNING_KINDS,
            )
        )
    return rows


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M")


def _situation_rows(rows) -> None:
    """Rows of reads by situation (`values` dicts) with their link and dates in words, made here once
    rather than by a URL tag and date filters on every row."""
    for row in rows:
        row["url"] = reverse("dpo:situation", args=[row["situation_reference"]])
        row["first_at"], row["last_at"] = _local(row["first"]), _local(row["last"])


def _reader_rows(rows) -> list[dict]:
    """Readers of a situation (`values` dicts), with their name, link and dates in words."""
    rows = list(rows)
    for row in rows:
        if row["user"]:
            row["url"] = reverse("dpo:user", args=[row["user"]])
            row["name"] = labels.row_person_label(row)
        row["first_at"], row["last_at"] = _local(row["first"]), _local(row["last"])
    return rows


def _query_without_page(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@dpo_required
def console(request):
    form = EventSearchForm(request.GET or None)
    page = None
    if form.is_bound and form.is_valid():
        page = uncounted_page(selectors.events_search(form.filters()), request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "rows": _event_rows(page),
        "subjects": getattr(form, "subjects", []) if page is not None else [],
        "reference": form.cleaned_data.get("reference", "") if page is not None else "",
        "query": _query_without_page(request),
        "export_query": request.GET.urlencode(),
    }
    return render(request, "dpo/console.html", context)


class Echo:
    def write(self, value):
        return value


EXPORT_COLUMNS = [
    ("at", _("date")),
    ("kind", _("nature")),
    ("user__username", _("utilisateur")),
    ("username", _("identifiant saisi")),
    ("partner__name", _("partenaire")),
    ("situation_reference", _("référence")),
    ("object_type", _("type d'objet")),
    ("object_id", _("identifiant d'objet")),
    ("screen", _("écran")),
    ("purpose", _("finalité")),
    ("detail", _("détail")),
    ("ip_address", _("adresse IP")),
    ("uid", _("identifiant de l'événement")),
]


@dpo_required
def export(request):
    """The rows of a search as CSV, streamed in chunks so that memory stays flat; recorded.

    Identifiers typed at the login form and other texts may start like a formula: `csv_writer`
    writes them as inert text (a leading single quote, see core.spreadsheet)."""
    form = EventSearchForm(request.GET)
    if not form.is_valid():
        return render(request, "dpo/console.html", {"form": form, "page": None}, status=400)
    filters = form.filters()
    security_record(
        Kind.AUDIT_EXPORT,
        user=request.user,
        screen="dpo:export",
        situation_reference=filters.get("situation_reference", ""),
        detail=_("export CSV — %(query)s") % {"query": request.GET.urlencode()[:150]},
        request=request,
    )
    names = [name for name, _label in EXPORT_COLUMNS]
    rows = Event.objects.filter(**filters).order_by("-at", "-id").values_list(*names)[:EXPORT_LIMIT]
    writer = csv_writer(Echo(), delimiter=";")

    def lines():
        yield "\ufeff" + writer.writerow([label for _name, label in EXPORT_COLUMNS])
        for row in rows.iterator(chunk_size=2000):
            yield writer.writerow(
                [timezone.localtime(value).isoformat() if index == 0 else value for index, value in enumerate(row)]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="journal-{timezone.localdate():%Y%m%d}.csv"'
    return response


# The columns of the console's CSV exports in words, as the screens show them.
WORDS_COLUMNS = [
    _("date"),
    _("nature"),
    _("utilisateur"),
    _("partenaire"),
    _("situation"),
    _("objet"),
    _("écran"),
    _("consultation"),
    _("finalité"),
    _("motif du droit"),
    _("détail"),
    _("adresse IP"),
]


def _events_csv(request, events, *, filename: str, situation_reference: str = "") -> StreamingHttpResponse:
    """Events as CSV in words (labels, names), streamed; the export is itself recorded.

    `csv_writer` writes any cell that starts like a formula as inert text (core.spreadsheet)."""
    security_record(
        Kind.AUDIT_EXPORT,
        user=request.user,
        screen=request.resolver_match.view_name,
        situation_reference=situation_reference,
        detail=_("export CSV — %(path)s %(query)s") % {"path": request.path, "query": request.GET.urlencode()[:100]},
        request=request,
    )
    writer = csv_writer(Echo(), delimiter=";")
    people: dict = {}

    def row(event):
        read = event.kind == Kind.READ
        return [
            timezone.localtime(event.at).strftime("%d/%m/%Y %H:%M:%S"),
            labels.kind_label(event.kind),
            labels.person_label(event.user) if event.user_id else event.username,
            event.partner.name if event.partner_id else "",
            event.situation_reference,
            labels.object_label(event.object_type),
            labels.screen_label(event.screen),
            (_("a vu dans une liste") if labels.is_list_screen(event.screen) else _("a ouvert la fiche"))
            if read
            else "",
            labels.purpose_label(event.purpose) if event.purpose else "",
            labels.grant_reason_label(event.grant_reason) if event.grant_reason else "",
            labels.detail_label(event.detail, selectors.people_named_in([event.detail], known=people)),
            event.ip_address or "",
        ]

    def lines():
        yield "\ufeff" + writer.writerow([str(label) for label in WORDS_COLUMNS])
        for event in events[:EXPORT_LIMIT].iterator(chunk_size=2000):
            yield writer.writerow(row(event))

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _wants_csv(request) -> bool:
    return request.GET.get("format") == "csv"


@dpo_required
def situation_history(request, reference):
    if not re.fullmatch(REFERENCE_REGEX, reference):
        raise Http404
    form = HistoryPeriodForm(request.GET or None)
    recorded_on = selectors.situation_recorded_on(reference)
    period = form.period(since=recorded_on)
    events = selectors.access_events_for_reference(reference, period)
    if _wants_csv(request) and (not form.is_bound or form.is_valid()):
        return _events_csv(
            request,
            events,
            filename=f"historique-{reference}-{period.first_day:%Y%m%d}-{period.last_day:%Y%m%d}.csv",
            situation_reference=reference,
        )
    page = uncounted_page(events, request.GET.get("page"))
    context = {
        "reference": reference,
        "form": form,
        "period": period,
        "since_recording": recorded_on is not None and form.starts_at_recording(),
        "opened": _reader_rows(selectors.situation_access_summary(reference, period)),
        "listed": _reader_rows(selectors.situation_access_summary(reference, period, listed=True)),
        "grants": selectors.situation_grants(reference),
        "changes": selectors.situation_changes(reference)[:100],
        "page": page,
        "rows": _event_rows(page),
        "query": _query_without_page(request),
        "csv_query": _csv_query(request),
    }
    return render(request, "dpo/situation_history.html", context)


def _csv_query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    query["format"] = "csv"
    return query.urlencode()


@dpo_required
def user_report(request, user_id):
    subject = selectors.user_by_pk(user_id)
    if subject is None:
        raise Http404
    form = PeriodForm(request.GET or None)
    period = form.period()
    if _wants_csv(request) and (not form.is_bound or form.is_valid()):
        return _events_csv(
            request,
            selectors.user_events(subject, period),
            filename=f"activite-utilisateur-{subject.pk}-{period.first_day:%Y%m%d}-{period.last_day:%Y%m%d}.csv",
        )
    activity = selectors.user_activity(subject, period)
    situations = Paginator(activity["situations"], 50).get_page(request.GET.get("page"))
    listed = Paginator(activity["situations_listed"], 50).get_page(request.GET.get("listes"))
    for rows in (situations, listed):
        _situation_rows(rows.object_list)
    context = {
        "subject": subject,
        "form": form,
        "period": period,
        "activity": activity,
        "page": situations,
        "listed": listed,
        "query": _query_without_page(request),
        "csv_query": _csv_query(request),
    }
    return render(request, "dpo/user_report.html", context)


@dpo_required
def accounts(request):
    """Who was invited, activated, given a role or a second factor, and every administrative act."""
    page = uncounted_page(selectors.account_events(), request.GET.get("page"))
    return render(request, "dpo/accounts.html", {"page": page, "rows": _event_rows(page), "query": ""})


@dpo_required
def anomaly_report(request):
    form = AnomalyPeriodForm(request.GET or None)
    period = form.period()
    context = {
        "form": form,
        "period": period,
        "found": anomalies.report(period),
        "hours": anomalies.working_hours(),
        "hidden_duplicate_limit": settings.PARCOURS_HIDDEN_DUPLICATE_NOTICES_PER_DAY,
    }
    return render(request, "dpo/anomalies.html", context)


@dpo_required
def break_glass_list(request):
    accesses = BreakGlassAccess.objects.select_related("situation", "user", "data_key").order_by("-opened_at")
    page = Paginator(accesses, 25).get_page(request.GET.get("page"))
    access_record(
        request,
        [(access, access.situation.reference) for access in page.object_list],
        screen="dpo:break_glass",
        purpose=Purpose.ROUTINE,
    )
    return render(request, "dpo/break_glass.html", {"page": page, "query": "", "now": timezone.now()})


@dpo_or_coordinator_required
def consent_justifications(request):
    """Every time the group went on despite a refusal (PARCOURS_CONSENT_POLICY « justification »), with
    what it wrote; showing a justification is itself recorded.

    The DPO lists them all (the issue's « the DPO can list »); the coordination, which wrote most of
    them and sees each on its situation, lists those of the situations the ledger lets it read, in
    SQL, under « Protection des données » which both share."""
    rows = ConsentJustification.objects.select_related("situation", "created_by", "data_key").order_by(
        "-created_at", "-pk"
    )
    dpo = membership_of(request.user).role == Role.DPO
    if not dpo:
        rows = rows.filter(situation__in=casework_selectors.situations_for(request.user).values("pk"))
    page = uncounted_page(rows, request.GET.get("page"), per_page=settings.PARCOURS_PAGE_SIZE)
    access_record(
        request,
        [(row, row.situation.reference) for row in page.object_list],
        screen="dpo:consent_justifications",
        purpose=Purpose.ROUTINE,
    )
    return render(request, "dpo/consent_justifications.html", {"page": page, "query": "", "dpo": dpo})


@dpo_required
def retention(request):
    rules = list(RetentionRule.objects.order_by("status"))
    form = RetentionForm(request.POST or None, rules=rules)
    if request.method == "POST" and form.is_valid():
        for status, days, dpia in form.values():
            retention_rule_set(status=status, days=days, dpia_reference=dpia, by=request.user)
        messages.success(request, _("Les durées de conservation sont enregistrées."))
        return redirect("dpo:retention")
    return render(request, "dpo/retention.html", {"form": form})


def _rights_person(form: RightsRequestForm):
    """(person, why none, candidates): by reference at once; by identity, the people who may match
    are listed first, and the request is recorded for the one the DPO confirms among them."""
    typed = form.typed_identity()
    if typed is None:
        person, reason = selectors.person_by_reference(form.cleaned_data["reference"].upper())
        return person, reason, None
    candidates = selectors.person_candidates(typed)
    if not candidates:
        return None, _("Aucune personne ne correspond à cette identité, même avec une orthographe approchante."), None
    chosen = form.cleaned_data["candidate"]
    if chosen is None:
        return None, "", candidates
    person = selectors.candidate_person(candidates, chosen)
    if person is None:
        return None, _("Choisissez la personne parmi celles qui correspondent à l'identité indiquée."), candidates
    return person, "", candidates


@dpo_or_coordinator_required
def rights(request):
    form = RightsRequestForm(request.POST or None) if membership_of(request.user).role == Role.DPO else None
    candidates = None
    if form is not None and request.method == "POST" and form.is_valid():
        person, reason, candidates = _rights_person(form)
        if person is None:
            if reason:
                form.add_error(None, reason)
        else:
            try:
                created = services.rights_request_create(kind=form.cleaned_data["kind"], person=person, by=request.user)
            except Refusal as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(request, _("La demande est enregistrée : un coordonnateur doit la confirmer."))
                return redirect("dpo:rights_detail", request_id=created.pk)
    context = {
        "form": form,
        "candidates": candidates,
        "requests": selectors.rights_requests_for(request.user)[:100],
        "restriction_form": RestrictionForm(),
    }
    return render(request, "dpo/rights.html", context)


def _request_for(user, request_id) -> RightsRequest:
    found = selectors.rights_requests_for(user).filter(pk=request_id).first()
    if found is None:
        raise Http404
    return found


@dpo_or_coordinator_required
def rights_detail(request, request_id):
    rights_request = _request_for(request.user, request_id)
    template = "dpo/_rights_status.html" if request.htmx else "dpo/rights_detail.html"
    return render(request, template, {"rights_request": rights_request})


def _rights_decide(request, request_id, service, done: str):
    rights_request = _request_for(request.user, request_id)
    try:
        service(request_id=rights_request.pk, by=request.user)
    except Refusal as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, done)
    return redirect("dpo:rights_detail", request_id=rights_request.pk)


@require_POST
@dpo_or_coordinator_required
def rights_confirm(request, request_id):
    return _rights_decide(request, request_id, services.rights_request_confirm, _("Demande confirmée."))


@require_POST
@dpo_or_coordinator_required
def rights_cancel(request, request_id):
    return _rights_decide(request, request_id, services.rights_request_cancel, _("Demande annulée."))


@dpo_required
def rights_download(request, request_id, fmt):
    if fmt not in ("pdf", "json"):
        raise Http404
    rights_request = _request_for(request.user, request_id)
    try:
        body, fmt = services.subject_access_download(request_id=rights_request.pk, by=request.user, fmt=fmt)
    except Refusal as refusal:
        messages.error(request, str(refusal))
        return redirect("dpo:rights_detail", request_id=rights_request.pk)
    access_record(
        request,
        ((rights_request, reference) for reference in rights_request.references.split()),
        screen="dpo:rights_download",
    )
    content_type = "application/pdf" if fmt == "pdf" else "application/json; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="droit-acces-{rights_request.short_id}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@dpo_or_coordinator_required
def restriction(request):
    form = RestrictionForm(request.POST)
    situation = None
    if form.is_valid():
        situation = Situation.objects.filter(reference=form.cleaned_data["reference"].upper()).first()
    if situation is None:
        messages.error(request, _("Aucune situation ne porte cette référence."))
    else:
        situation_restrict(situation_id=situation.pk, by=request.user, restricted=form.cleaned_data["restricted"])
        if form.cleaned_data["restricted"]:
            messages.success(request, _("Le traitement de %(ref)s est limité.") % {"ref": situation.reference})
        else:
            messages.success(request, _("La limitation de %(ref)s est levée.") % {"ref": situation.reference})
    return redirect("dpo:rights")


@dpo_required
def inventory(request):
    return render(request, "dpo/inventory.html", {"entries": inventory_module.inventory()})


@dpo_required
def inventory_markdown(request):
    response = HttpResponse(inventory_module.inventory_markdown(), content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="inventaire-parcours.md"'
    return response


@dpo_required
def inventory_pdf(request):
    pdf = pdf_render("dpo/inventory_pdf.html", {"entries": inventory_module.inventory(), "now": timezone.now()})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="inventaire-parcours.pdf"'
    return response


@dpo_required
def breach(request):
    form = BreachForm(request.GET or None)
    rows = None
    if form.is_bound and form.is_valid():
        period = form.period()
        rows = list(
            selectors.breach_references(
                partner=form.cleaned_data.get("partner"),
                user=form.cleaned_data.get("user"),
                start=period.start,
                end=period.end,
            )
        )
        if request.GET.get("format") == "csv":
            response = HttpResponse(content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = 'attachment; filename="violation-references.csv"'
            writer = csv_writer(response, delimiter=";")
            writer.writerow([_("référence"), _("lectures"), _("lecteurs"), _("première"), _("dernière")])
            for row in rows:
                writer.writerow(
                    [
                        row["situation_reference"],
                        row["reads"],
                        row["readers"],
                        timezone.localtime(row["first"]).isoformat(),
                        timezone.localtime(row["last"]).isoformat(),
                    ]
                )
            return response
    return render(request, "dpo/breach.html", {"form": form, "rows": rows, "query": request.GET.urlencode()})
