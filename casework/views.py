"""Situation screens. Views parse, call a selector or a service, record reads, and render."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from access import ledger
from access import services as access_services
from access.decorators import case_reader_required, dpo_or_coordinator_required
from access.forms import BreakGlassForm
from access.ledger import ANNOTATE
from access.models import Partner
from access.permissions import is_coordinator, may_read_cases
from audit.models import ChangeEntry
from audit.services import access_record
from casework import selectors, services
from casework.forms import (
    AssociationForm,
    ClosureForm,
    EndAccessForm,
    IdentityForm,
    InformationForm,
    NoteForm,
    PersonSearchForm,
    ReopenForm,
    SituationCreateForm,
    SituationEditForm,
    SituationFilterForm,
)
from casework.models import Association, Situation
from casework.retention import retention_rules
from core.paging import uncounted_page
from core.refusal import Refusal


@require_http_methods(["GET", "POST"])
@case_reader_required
def situation_list(request):
    """Filters come by GET; a search by name comes by POST, so that no name reaches a URL."""
    form = SituationFilterForm(request.GET or None, user=request.user)
    person_form = PersonSearchForm(request.POST if request.method == "POST" else None, prefix="person")
    filters = {}
    if person_form.is_bound:
        # An invalid search shows nothing rather than everything.
        filters["identity_index"] = person_form.identity_index() if person_form.is_valid() else "-"
    elif form.is_valid():
        data = form.cleaned_data
        filters = {
            "status": data["status"],
            "motif": data["motif"],
            "referent": data["referent"],
            "query": data["q"],
            "to_inform": data["to_inform"],
        }
    situations = selectors.situation_list(request.user, **filters)
    # No COUNT: counting every situation a coordinator may read costs more than the page, and grows with them.
    page = uncounted_page(situations, request.GET.get("page"), per_page=settings.PARCOURS_PAGE_SIZE)
    rows = page.object_list
    access_record(request, ((s, s.reference) for s in rows), screen="situation_list")
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "person_form": person_form,
        "page": page,
        "situations": rows,
        "query": query.urlencode(),
        "filtered": bool(request.GET) or person_form.is_bound,
    }
    return render(request, "casework/situation_list.html", context)


def _render_detail(request, situation, note_form, status=200):
    notes = list(selectors.notes_for(request.user, situation))
    informations = list(selectors.informations_for(situation))
    reason = ledger.reading_reason(request.user, situation)
    access_record(
        request,
        [
            (situation, situation.reference),
            *((note, situation.reference) for note in notes),
            *((information, situation.reference) for information in informations),
        ],
        screen="situation_detail",
        purpose=ledger.purpose_of(reason),
        grant_reason=reason or "",
    )
    history = ChangeEntry.objects.get_for_object(situation).select_related("actor").order_by("-timestamp")[:50]
    may_change = selectors.user_may_change(request.user, situation)
    context = {
        "situation": situation,
        "notes": notes,
        "informations": informations,
        "note_form": note_form,
        "history": history,
        "may_change": may_change and not situation.is_read_only,
        "may_annotate": selectors.user_may_annotate(request.user, situation) and not situation.is_read_only,
        "may_reopen": may_change and situation.is_ended and not situation.restricted,
        "involved": selectors.involved_partners(situation),
        **selectors.linked_situations_for(request.user, situation),
    }
    return render(request, "casework/situation_detail.html", context, status=status)


@case_reader_required
def situation_detail(request, situation_id):
    situation = selectors.situation_for(request.user, situation_id)
    return _render_detail(request, situation, NoteForm())


@case_reader_required
def situation_create(request):
    form = SituationCreateForm(request.POST or None)
    identity_form = IdentityForm(request.POST or None, prefix="identity")
    duplicates, hidden_notice = [], services.NO_HIDDEN_NOTICE
    if request.method == "POST" and form.is_valid():
        anonymous = form.cleaned_data["anonymous"]
        if anonymous or identity_form.is_valid():
            identity = None if anonymous else identity_form.identity()
            if identity and not form.cleaned_data["confirm_new"]:
                index = services.identity_index(identity.last_name, identity.first_name, identity.birth_date)
                duplicates, hidden_exists = selectors.possible_duplicates(request.user, index)
                hidden_notice = services.hidden_duplicate_notice(by=request.user, hidden_exists=hidden_exists)
            if not duplicates and not hidden_notice:
                data = form.cleaned_data
                situation = services.situation_create(
                    by=request.user,
                    source=data["source"],
                    received_on=data["received_on"],
                    motifs=data["motifs"],
                    motif_details=data["motif_details"],
                    identity=identity,
                )
                messages.success(request, _("La situation %(ref)s est enregistrée.") % {"ref": situation.reference})
                return redirect("casework:situation_detail", situation_id=situation.pk)
            access_record(request, ((s, s.reference) for s in duplicates), screen="situation_create_duplicate")
    return render(
        request,
        "casework/situation_form.html",
        {
            "form": form,
            "identity_form": identity_form,
            "duplicates": duplicates,
            "hidden_duplicate": hidden_notice == services.HIDDEN_NOTICE,
            "duplicate_check_limited": hidden_notice == services.LIMIT_NOTICE,
            "creating": True,
        },
    )


@case_reader_required
def situation_edit(request, situation_id):
    situation = selectors.situation_for(request.user, situation_id, codename="change_situation")
    if situation.is_closed:
        return _read_only(request, situation)
    form = SituationEditForm(
        request.POST or None, situation=situation, initial=SituationEditForm.initial_from(situation)
    )
    identity_form = None
    if situation.person:
        identity_form = IdentityForm(
            request.POST or None, prefix="identity", initial=IdentityForm.initial_from(situation.person)
        )
    conflict = False
    if request.method == "POST" and form.is_valid() and (identity_form is None or identity_form.is_valid()):
        data = form.cleaned_data
        changes = {field: data[field] for field in services.SITUATION_EDITABLE}
        try:
            services.situation_update(
                situation_id=situation.pk,
                by=request.user,
                expected_version=data["version"],
                changes=changes,
                motifs=data["motifs"],
                identity=identity_form.identity() if identity_form else None,
            )
        except services.ConflictError:
            conflict = True
        except ValueError as exc:
            form.add_error("status", str(exc))
        else:
            messages.success(request, _("Les modifications sont enregistrées."))
            return redirect("casework:situation_detail", situation_id=situation.pk)
    access_record(request, [(situation, situation.reference)], screen="situation_edit")
    return render(
        request,
        "casework/situation_form.html",
        {"form": form, "identity_form": identity_form, "situation": situation, "conflict": conflict},
        status=409 if conflict else 200,
    )


def _read_only(request, situation):
    messages.error(request, _("Cette situation est clôturée : elle est en lecture seule."))
    return redirect("casework:situation_detail", situation_id=situation.pk)


@case_reader_required
def situation_close(request, situation_id):
    situation = selectors.situation_for(request.user, situation_id, codename="change_situation")
    if situation.is_closed:
        return _read_only(request, situation)
    form = ClosureForm(request.POST or None, situation=situation)
    conflict = False
    if request.method == "POST" and form.is_valid():
        try:
            services.situation_close(
                situation_id=situation.pk,
                by=request.user,
                expected_version=form.cleaned_data["version"],
                reason=form.cleaned_data["reason"],
                closed_on=form.cleaned_data["closed_on"],
                outcome=form.cleaned_data["outcome"],
            )
        except services.ConflictError:
            conflict = True
        except ValueError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("La situation %(ref)s est clôturée.") % {"ref": situation.reference})
            return redirect("casework:situation_detail", situation_id=situation.pk)
    # The page names the situation by its reference only: no read of personal data to record.
    return render(
        request,
        "casework/situation_close.html",
        {"form": form, "situation": situation, "conflict": conflict},
        status=409 if conflict else 200,
    )


@case_reader_required
def situation_reopen(request, situation_id):
    situation = selectors.situation_for(request.user, situation_id, codename="change_situation")
    form = ReopenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            reopened = services.situation_reopen(
                situation_id=situation.pk,
                by=request.user,
                source=data["source"],
                received_on=data["received_on"],
                motifs=data["motifs"],
                motif_details=data["motif_details"],
            )
        except ValueError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("La nouvelle saisine %(ref)s est enregistrée.") % {"ref": reopened.reference})
            return redirect("casework:situation_detail", situation_id=reopened.pk)
    return render(request, "casework/situation_reopen.html", {"form": form, "situation": situation})


@case_reader_required
def information_create(request, situation_id):
    situation = selectors.situation_for(request.user, situation_id, codename="change_situation")
    if situation.is_closed:
        return _read_only(request, situation)
    form = InformationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.information_record(situation=situation, by=request.user, **form.cleaned_data)
        messages.success(request, _("L'information est enregistrée."))
        return redirect("casework:situation_detail", situation_id=situation.pk)
    return render(request, "casework/information_form.html", {"form": form, "situation": situation})


@require_POST
@case_reader_required
def note_create(request, situation_id):
    situation = selectors.situation_for(request.user, situation_id, codename=ANNOTATE)
    form = NoteForm(request.POST)
    if situation.is_closed:
        return _read_only(request, situation)
    if form.is_valid():
        services.note_create(
            situation=situation,
            by=request.user,
            body=form.cleaned_data["body"],
            visibility=form.cleaned_data["visibility"],
        )
        messages.success(request, _("La note est ajoutée."))
    else:
        return _render_detail(request, situation, form, status=400)
    return redirect("casework:situation_detail", situation_id=situation.pk)


@case_reader_required
@require_http_methods(["GET", "POST"])
def association_create(request, situation_id):
    """The coordinator involves a partner in a situation (« partenaire associé »)."""
    if not is_coordinator(request.user):
        raise PermissionDenied
    situation = selectors.situation_for(request.user, situation_id)
    form = AssociationForm(request.POST or None, situation=situation)
    if request.method == "POST" and form.is_valid():
        try:
            association = services.partner_associate(
                situation_id=situation.pk,
                partner=form.cleaned_data["partner"],
                by=request.user,
                motive=form.cleaned_data["motive"],
                until=form.cleaned_data["until"],
            )
        except Refusal as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(
                request,
                _("%(partner)s est associé à la situation %(ref)s ; ses membres sont prévenus.")
                % {"partner": association.partner, "ref": situation.reference},
            )
            return redirect(reverse("casework:situation_detail", args=[situation.pk]) + "#partenaires-associes")
    # The page names the situation by its reference only: no read of personal data to record.
    return render(request, "casework/association_form.html", {"form": form, "situation": situation})


def _end_access(request, situation, *, partner_name: str, end):
    form = EndAccessForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            end()
        except Refusal as refusal:
            messages.error(request, refusal.message)
        else:
            messages.success(
                request,
                _("%(partner)s ne lit plus la situation %(ref)s.")
                % {"partner": partner_name, "ref": situation.reference},
            )
        return redirect(reverse("casework:situation_detail", args=[situation.pk]) + "#partenaires-associes")
    return render(
        request, "casework/access_end.html", {"form": form, "situation": situation, "partner_name": partner_name}
    )


@case_reader_required
@require_http_methods(["GET", "POST"])
def association_end(request, situation_id, association_id):
    if not is_coordinator(request.user):
        raise PermissionDenied
    situation = selectors.situation_for(request.user, situation_id)
    association = get_object_or_404(
        Association.objects.select_related("partner"), pk=association_id, situation=situation
    )
    return _end_access(
        request,
        situation,
        partner_name=str(association.partner),
        end=lambda: services.association_end(association_id=association.pk, by=request.user),
    )


@case_reader_required
@require_http_methods(["GET", "POST"])
def previous_partner_end(request, situation_id, group_id):
    if not is_coordinator(request.user):
        raise PermissionDenied
    situation = selectors.situation_for(request.user, situation_id)
    partner = get_object_or_404(Partner, group_id=group_id)
    return _end_access(
        request,
        situation,
        partner_name=str(partner),
        end=lambda: services.previous_partner_end(situation_id=situation.pk, group_id=group_id, by=request.user),
    )


@login_required
def break_glass_open(request):
    """A coordinator opens a situation outside their grants, with a written reason (flagged to the DPO)."""
    if not is_coordinator(request.user) or not may_read_cases(request.user):
        raise PermissionDenied
    form = BreakGlassForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        situation = Situation.objects.filter(reference=form.cleaned_data["reference"]).first()
        if situation is None:
            form.add_error("reference", _("Aucune situation ne porte cette référence."))
        elif ledger.holds(request.user, situation):
            return redirect("casework:situation_detail", situation_id=situation.pk)
        else:
            try:
                access_services.break_glass_open(
                    situation=situation, user=request.user, reason=form.cleaned_data["reason"]
                )
            except Refusal as refusal:
                form.add_error(None, str(refusal))
            else:
                return redirect("casework:situation_detail", situation_id=situation.pk)
    hours = settings.PARCOURS_BREAK_GLASS_HOURS
    return render(request, "access/break_glass.html", {"form": form, "hours": hours})


NOTICES = {"individuelle": "casework/notice_individual.html", "collective": "casework/notice_collective.html"}


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


@dpo_or_coordinator_required
def purge_schedule(request):
    """The situations purged within the next days: references and dates only."""
    schedule = selectors.purge_schedule_for(request.user, today=timezone.localdate())
    situations = Situation.objects.in_bulk([due.situation_id for due in schedule])
    access_record(request, ((situations[due.situation_id], due.reference) for due in schedule), screen="purge_schedule")
    return render(
        request,
        "casework/purge_schedule.html",
        {
            "schedule": schedule,
            "days": selectors.SCHEDULE_DAYS,
            "rules": retention_rules(),
            "today": timezone.localdate(),
        },
    )
