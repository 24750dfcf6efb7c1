"""Data-protection screens: notices, retention, next purges, rights requests, inventory, breach.

The DPO works on references and metadata; the only personal content they receive is the access
file they asked for, once a coordinator confirmed the request.
"""

import csv
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from access.models import Role
from access.permissions import membership_of
from audit.services import access_record
from casework.models import Situation
from casework.services import situation_restrict
from privacy import inventory as data_inventory
from privacy import selectors, services
from privacy.forms import BreachForm, RestrictionForm, RetentionForm, RightsRequestForm
from privacy.models import RetentionRule, RightsRequest
from privacy.purge import retention_rules
from privacy.subject_access import pdf_render


def roles_required(*roles):
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapper(request, *args, **kwargs):
            membership = membership_of(request.user)
            if not membership or membership.role not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


dpo_only = roles_required(Role.DPO)
dpo_or_coordinator = roles_required(Role.DPO, Role.COORDINATOR)

NOTICES = {"individuelle": "privacy/notice_individual.html", "collective": "privacy/notice_collective.html"}


@login_required
def notice(request, kind):
    """Printable information notices (GDPR art. 13/14), with the periods the DPO set."""
    if kind not in NOTICES:
        raise Http404
    context = {
        "rules": retention_rules(),
        "controller": settings.PARCOURS_CONTROLLER,
        "dpo_contact": settings.PARCOURS_DPO_CONTACT,
        "audit_days": settings.PARCOURS_AUDIT_RETENTION_DAYS,
    }
    return render(request, NOTICES[kind], context)


@dpo_only
def retention(request):
    rules = list(RetentionRule.objects.order_by("status"))
    form = RetentionForm(request.POST or None, rules=rules)
    if request.method == "POST" and form.is_valid():
        for status, days, dpia in form.values():
            services.retention_rule_set(status=status, days=days, dpia_reference=dpia, by=request.user)
        messages.success(request, _("Les durées de conservation sont enregistrées."))
        return redirect("privacy:retention")
    return render(request, "privacy/retention.html", {"form": form})


@dpo_or_coordinator
def purge_schedule(request):
    schedule = selectors.purge_schedule_for(request.user, today=timezone.localdate())
    situations = Situation.objects.in_bulk([due.situation_id for due in schedule])
    access_record(request, ((situations[due.situation_id], due.reference) for due in schedule), screen="purge_schedule")
    return render(
        request,
        "privacy/purge_schedule.html",
        {
            "schedule": schedule,
            "days": selectors.SCHEDULE_DAYS,
            "rules": retention_rules(),
            "today": timezone.localdate(),
        },
    )


@dpo_or_coordinator
def rights(request):
    form = RightsRequestForm(request.POST or None) if membership_of(request.user).role == Role.DPO else None
    if form is not None and request.method == "POST" and form.is_valid():
        person, reason = selectors.person_lookup(**form.lookup())
        if person is None:
            form.add_error(None, reason)
        else:
            try:
                created = services.rights_request_create(kind=form.cleaned_data["kind"], person=person, by=request.user)
            except services.RightsRefused as refusal:
                form.add_error(None, str(refusal))
            else:
                messages.success(request, _("La demande est enregistrée : un coordonnateur doit la confirmer."))
                return redirect("privacy:rights_detail", request_id=created.pk)
    context = {
        "form": form,
        "requests": selectors.rights_requests_for(request.user)[:100],
        "restriction_form": RestrictionForm(),
    }
    return render(request, "privacy/rights.html", context)


def _request_for(user, request_id) -> RightsRequest:
    found = selectors.rights_requests_for(user).filter(pk=request_id).first()
    if found is None:
        raise Http404
    return found


@dpo_or_coordinator
def rights_detail(request, request_id):
    rights_request = _request_for(request.user, request_id)
    template = "privacy/_rights_status.html" if request.htmx else "privacy/rights_detail.html"
    return render(request, template, {"rights_request": rights_request})


@require_POST
@dpo_or_coordinator
def rights_confirm(request, request_id):
    rights_request = _request_for(request.user, request_id)
    try:
        services.rights_request_confirm(request_id=rights_request.pk, by=request.user)
    except services.RightsRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Demande confirmée."))
    return redirect("privacy:rights_detail", request_id=rights_request.pk)


@require_POST
@dpo_or_coordinator
def rights_cancel(request, request_id):
    rights_request = _request_for(request.user, request_id)
    try:
        services.rights_request_cancel(request_id=rights_request.pk, by=request.user)
    except services.RightsRefused as refusal:
        messages.error(request, str(refusal))
    else:
        messages.success(request, _("Demande annulée."))
    return redirect("privacy:rights_detail", request_id=rights_request.pk)


@dpo_only
def rights_download(request, request_id, fmt):
    if fmt not in ("pdf", "json"):
        raise Http404
    rights_request = _request_for(request.user, request_id)
    try:
        body, fmt = services.subject_access_download(request_id=rights_request.pk, by=request.user, fmt=fmt)
    except services.RightsRefused as refusal:
        messages.error(request, str(refusal))
        return redirect("privacy:rights_detail", request_id=rights_request.pk)
    access_record(
        request,
        ((rights_request, reference) for reference in rights_request.references.split()),
        screen="privacy:rights_download",
    )
    content_type = "application/pdf" if fmt == "pdf" else "application/json; charset=utf-8"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="droit-acces-{rights_request.short_id}.{fmt}"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@dpo_or_coordinator
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
    return redirect("privacy:rights")


@dpo_only
def inventory(request):
    return render(request, "privacy/inventory.html", {"entries": data_inventory.inventory()})


@dpo_only
def inventory_markdown(request):
    response = HttpResponse(data_inventory.inventory_markdown(), content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="inventaire-parcours.md"'
    return response


@dpo_only
def inventory_pdf(request):
    pdf = pdf_render("privacy/inventory_pdf.html", {"entries": data_inventory.inventory(), "now": timezone.now()})
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="inventaire-parcours.pdf"'
    return response


@dpo_only
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
            writer = csv.writer(response, delimiter=";")
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
    return render(request, "privacy/breach.html", {"form": form, "rows": rows, "query": request.GET.urlencode()})
