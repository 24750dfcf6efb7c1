"""The DPO console: who accessed what, when, from where and why; what looks abnormal.

Metadata and references only, never identity or content. The only personal text shown is the
written reason of a break-glass access, which the DPO must read to judge it; each display of it is
recorded like any other read.
"""

import csv
import re
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from access.models import BreakGlassAccess, Role
from access.permissions import membership_of
from audit import anomalies, selectors
from audit.forms import REFERENCE_REGEX, AnomalyPeriodForm, EventSearchForm, PeriodForm
from audit.models import Event, Kind, Purpose
from audit.paging import uncounted_page
from audit.services import access_record, security_record

EXPORT_LIMIT = 1_000_000


def dpo_required(view):
    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        membership = membership_of(request.user)
        if not membership or membership.role != Role.DPO:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


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
        "query": _query_without_page(request),
        "export_query": request.GET.urlencode(),
    }
    return render(request, "audit/console.html", context)


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
    """The rows of a search as CSV, streamed in chunks so that memory stays flat; recorded."""
    form = EventSearchForm(request.GET)
    if not form.is_valid():
        return render(request, "audit/console.html", {"form": form, "page": None}, status=400)
    filters = form.filters()
    security_record(
        Kind.AUDIT_EXPORT,
        user=request.user,
        screen="audit:export",
        situation_reference=filters.get("situation_reference", ""),
        detail=_("export CSV — %(query)s") % {"query": request.GET.urlencode()[:150]},
        request=request,
    )
    names = [name for name, _label in EXPORT_COLUMNS]
    rows = Event.objects.filter(**filters).order_by("-at", "-id").values_list(*names)[:EXPORT_LIMIT]
    writer = csv.writer(Echo(), delimiter=";")

    def lines():
        yield "\ufeff" + writer.writerow([label for _name, label in EXPORT_COLUMNS])
        for row in rows.iterator(chunk_size=2000):
            yield writer.writerow(
                [timezone.localtime(value).isoformat() if index == 0 else value for index, value in enumerate(row)]
            )

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="journal-{timezone.localdate():%Y%m%d}.csv"'
    return response


@dpo_required
def situation_history(request, reference):
    if not re.fullmatch(REFERENCE_REGEX, reference):
        raise Http404
    events = selectors.access_events_for_reference(reference)
    context = {
        "reference": reference,
        "summary": selectors.situation_access_summary(reference),
        "changes": selectors.situation_changes(reference)[:100],
        "page": uncounted_page(events, request.GET.get("page")),
        "query": "",
    }
    return render(request, "audit/situation_history.html", context)


@dpo_required
def user_report(request, user_id):
    subject = selectors.user_by_pk(user_id)
    if subject is None:
        raise Http404
    form = PeriodForm(request.GET or None)
    period = form.period()
    activity = selectors.user_activity(subject, period)
    situations = Paginator(activity["situations"], 50).get_page(request.GET.get("page"))
    context = {
        "subject": subject,
        "form": form,
        "period": period,
        "activity": activity,
        "page": situations,
        "query": _query_without_page(request),
    }
    return render(request, "audit/user_report.html", context)


@dpo_required
def anomaly_report(request):
    form = AnomalyPeriodForm(request.GET or None)
    period = form.period()
    context = {"form": form, "period": period, "found": anomalies.report(period), "hours": anomalies.working_hours()}
    return render(request, "audit/anomalies.html", context)


@dpo_required
def break_glass_list(request):
    accesses = BreakGlassAccess.objects.select_related("situation", "user", "data_key").order_by("-opened_at")
    page = Paginator(accesses, 25).get_page(request.GET.get("page"))
    access_record(
        request,
        [(access, access.situation.reference) for access in page.object_list],
        screen="audit:break_glass",
        purpose=Purpose.ROUTINE,
    )
    return render(request, "audit/break_glass.html", {"page": page, "query": "", "now": timezone.now()})
