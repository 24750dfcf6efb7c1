"""Referral screens. Views parse, call a selector or a service, record reads, and render."""

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from access.decorators import case_reader_required, coordinator_required
from access.ledger import CHANGE
from audit.models import Purpose
from audit.services import access_record
from casework.forms import NoteForm
from casework.selectors import consent_refused, situation_for
from casework.services import CONSENT_JUSTIFICATION_MIN, ConsentJustificationRequired
from core.refusal import Refusal
from referrals import selectors, services
from referrals.forms import DeclineForm, EndForm, ProposeForm, SchemeForm
from referrals.models import Referral, Scheme
from referrals.routing import scheme_routing


def _page(request, queryset):
    return Paginator(queryset, settings.PARCOURS_PAGE_SIZE).get_page(request.GET.get("page"))


def _record_referrals(request, referrals, screen: str) -> None:
    access_record(request, ((r, r.situation.reference) for r in referrals), screen=screen, purpose=Purpose.REFERRAL)


@require_http_methods(["GET", "POST"])
@case_reader_required
def situation_referrals(request, situation_id):
    """The situation's "Orientations" tab: its referrals, and for the group side the ranked schemes."""
    codename = CHANGE if request.method == "POST" else "view_situation"
    situation = situation_for(request.user, situation_id, codename=codename)
    group_side = not situation.is_closed and services.may_act_for_group(request.user, situation)
    form = ProposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.referral_propose(
                situation=situation,
                scheme=form.cleaned_data["scheme"],
                by=request.user,
                justification=form.cleaned_data["justification"],
                consent_justification=form.cleaned_data["consent_justification"],
            )
        except Refusal as error:
            field = "justification" if isinstance(error, services.JustificationRequired) else None
            if isinstance(error, ConsentJustificationRequired):
                field = "consent_justification"
            form.add_error(field, error.message)
        else:
            messages.success(request, _("L'orientation est proposée : envoyez-la au partenaire quand elle est prête."))
            return redirect("referrals:referral_detail", referral_id=referral.pk)
    referrals = list(selectors.referrals_of_situation(request.user, situation))
    access_record(
        request,
        [(situation, situation.reference), *((r, situation.reference) for r in referrals)],
        screen="situation_referrals",
        purpose=Purpose.REFERRAL,
    )
    routing = scheme_routing(situation) if group_side else []
    context = {
        "situation": situation,
        "referrals": referrals,
        "group_side": group_side,
        "routing": routing,
        "other_count": sum(not fit.recommended for fit in routing),
        "form": form,
        "consent_refused": group_side and consent_refused(situation),
        "consent_policy": settings.PARCOURS_CONSENT_POLICY,
        "consent_min": CONSENT_JUSTIFICATION_MIN,
    }
    return render(request, "referrals/situation_referrals.html", context, status=400 if form.errors else 200)


def _detail_context(request, referral, **forms):
    return {
        "referral": referral,
        "situation": referral.situation,
        "group_side": services.may_act_for_group(request.user, referral.situation),
        "operator_side": services.may_act_for_operator(request.user, referral),
        "operator_access_until": services.operator_access_until(referral) if referral.is_closed else None,
        "note_form": forms.get("note_form") or NoteForm(),
    }


@case_reader_required
def referral_detail(request, referral_id):
    referral = selectors.referral_for(request.user, referral_id)
    _record_referrals(request, [referral], "referral_detail")
    return render(request, "referrals/referral_detail.html", _detail_context(request, referral))


# action slug → (service, form for the confirmation page or None, success message)
ACTIONS = {
    "envoyer": (services.referral_send, None, _("L'orientation est envoyée au partenaire.")),
    "accepter": (services.referral_accept, None, _("L'orientation est acceptée.")),
    "refuser": (services.referral_decline, DeclineForm, _("L'orientation est refusée.")),
    "commencer": (services.referral_start, None, _("L'accompagnement a commencé.")),
    "terminer": (services.referral_end, EndForm, _("L'orientation est terminée.")),
    "abandonner": (services.referral_abandon, None, _("L'orientation est abandonnée.")),
}
# Actions that cannot be undone are confirmed on a page of their own first.
CONFIRMED = {"refuser", "terminer", "abandonner"}


@require_http_methods(["GET", "POST"])
@case_reader_required
def referral_action(request, referral_id, action):
    if action not in ACTIONS:
        raise Http404
    service, form_class, success = ACTIONS[action]
    referral = selectors.referral_for(request.user, referral_id)
    if request.method == "GET" and action not in CONFIRMED:
        return redirect("referrals:referral_detail", referral_id=referral.pk)
    form = form_class(request.POST or None) if form_class else None
    confirmed = request.method == "POST" and (action not in CONFIRMED or request.POST.get("confirm") == "1")
    if confirmed and (form is None or form.is_valid()):
        try:
            service(referral_id=referral.pk, by=request.user, **(form.cleaned_data if form else {}))
        except Refusal as error:
            messages.error(request, error.message)
        else:
            messages.success(request, success)
        return redirect("referrals:referral_detail", referral_id=referral.pk)
    _record_referrals(request, [referral], f"referral_{action}")
    context = {"referral": referral, "situation": referral.situation, "action": action, "form": form}
    return render(request, "referrals/referral_confirm.html", context, status=400 if form and form.errors else 200)


@require_POST
@case_reader_required
def referral_note(request, referral_id):
    referral = selectors.referral_for(request.user, referral_id)
    form = NoteForm(request.POST)
    if form.is_valid():
        try:
            services.referral_note_add(
                referral_id=referral.pk,
                by=request.user,
                body=form.cleaned_data["body"],
                visibility=form.cleaned_data["visibility"],
            )
        except Refusal as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("La note est ajoutée à la situation."))
        return redirect("referrals:referral_detail", referral_id=referral.pk)
    _record_referrals(request, [referral], "referral_detail")
    context = _detail_context(request, referral, note_form=form)
    return render(request, "referrals/referral_detail.html", context, status=400)


@case_reader_required
def my_referrals(request):
    page = _page(request, selectors.referrals_incoming(request.user))
    rows = list(page.object_list)
    _record_referrals(request, rows, "my_referrals")
    return render(request, "referrals/my_referrals.html", {"page": page, "referrals": rows})


@coordinator_required
def overdue_referrals(request):
    page = _page(request, selectors.referrals_overdue_for(request.user))
    rows = list(page.object_list)
    _record_referrals(request, rows, "overdue_referrals")
    return render(request, "referrals/overdue.html", {"page": page, "referrals": rows})


@case_reader_required
def scheme_list(request):
    page = _page(request, selectors.schemes_listed(request.user))
    return render(request, "referrals/scheme_list.html", {"page": page, "schemes": list(page.object_list)})


@require_http_methods(["GET", "POST"])
@coordinator_required
def scheme_edit(request, scheme_id=None):
    scheme = get_object_or_404(Scheme, pk=scheme_id) if scheme_id else None
    form = SchemeForm(request.POST or None, instance=scheme)
    if request.method == "POST" and form.is_valid():
        scheme = form.save()
        messages.success(request, _("Le dispositif « %(name)s » est enregistré.") % {"name": scheme.name})
        return redirect("referrals:scheme_list")
    return render(request, "referrals/scheme_form.html", {"form": form, "scheme": scheme})


@require_http_methods(["GET", "POST"])
@coordinator_required
def scheme_set_active(request, scheme_id, active: bool):
    scheme = get_object_or_404(Scheme, pk=scheme_id)
    if request.method == "POST":
        services.scheme_set_active(scheme_id=scheme.pk, active=active)
        if active:
            messages.success(request, _("Le dispositif « %(name)s » est réactivé.") % {"name": scheme.name})
        else:
            messages.success(request, _("Le dispositif « %(name)s » est désactivé.") % {"name": scheme.name})
        return redirect("referrals:scheme_list")
    open_count = scheme.referrals.filter(state__in=Referral.OPEN_TO_OPERATOR).count()
    context = {"scheme": scheme, "active": active, "open_count": open_count}
    return render(request, "referrals/scheme_confirm.html", context)
