"""Séance screens. Views parse, call a selector or a service, record reads, and render.

What each screen shows decides what it records: the agenda names situations by their pseudonymous
reference only (nothing personal to record); session mode, a point's page, the identity shown on
demand, the minutes and the addenda record a read with the purpose « séance ».
"""

import time

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from access.decorators import case_reader_required, coordinator_required
from access.permissions import is_coordinator, membership_of
from audit.models import Purpose
from audit.services import access_record
from casework import selectors as casework_selectors
from casework.models import Note
from core.refusal import Refusal
from referrals.models import Referral
from seances import calendar, minutes, selectors, services
from seances.forms import (
    AddendumForm,
    AddItemForm,
    AttendanceForm,
    DecisionForm,
    MemberForm,
    ObjectiveForm,
    ObjectiveStatusForm,
    SeanceCloseForm,
    SeanceForm,
    SelfAttendanceForm,
    StepAbandonForm,
    StepForm,
    StepStatusForm,
    SummaryForm,
)
from seances.models import Invitation, Objective, Seance, Step

LAST_NOTES = 3


def _page(request, queryset):
    return Paginator(queryset, settings.PARCOURS_PAGE_SIZE).get_page(request.GET.get("page"))


def _back(seance, anchor: str = ""):
    response = redirect("seances:seance_detail", seance_id=seance.pk)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


def _run(request, action, success: str) -> bool:
    """Call a service; report its refusal as an error message. True when it went through."""
    try:
        action()
    except Refusal as error:
        messages.error(request, error.message)
        return False
    messages.success(request, success)
    return True


@require_GET
@case_reader_required
def seance_list(request):
    seances = selectors.seances_for(request.user).select_related("territory")
    upcoming = selectors.seances_upcoming_for(request.user)
    past = _page(request, seances.filter(status=Seance.Status.CLOSED).order_by("-date", "-start_time"))
    return render(
        request,
        "seances/seance_list.html",
        {"upcoming": list(upcoming), "past": past, "may_manage": is_coordinator(request.user)},
    )


@require_GET
@case_reader_required
def seance_calendar(request, seance_id):
    """The séance as an .ics for the invitees' and the coordinator's diaries: date, time, place only."""
    seance = selectors.seance_for(request.user, seance_id)
    response = HttpResponse(calendar.seance_ics(seance), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="seance-gsn-{seance.date:%Y-%m-%d}.ics"'
    return response


@require_http_methods(["GET", "POST"])
@coordinator_required
def seance_create(request):
    form = SeanceForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            seance = services.seance_create(by=request.user, **form.cleaned_data)
        except Refusal as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("La séance est créée : préparez son ordre du jour."))
            return redirect("seances:seance_detail", seance_id=seance.pk)
    return render(request, "seances/seance_form.html", {"form": form})


@require_http_methods(["GET", "POST"])
@coordinator_required
def seance_edit(request, seance_id):
    seance = selectors.seance_for(request.user, seance_id)
    initial = {
        "date": seance.date,
        "start_time": seance.start_time,
        "place": seance.place,
        "territory": seance.territory,
    }
    form = SeanceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.seance_edit(seance_id=seance.pk, by=request.user, **form.cleaned_data)
        except Refusal as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("La séance est modifiée."))
            return _back(seance)
    return render(request, "seances/seance_form.html", {"form": form, "seance": seance})


@require_GET
@case_reader_required
def seance_detail(request, seance_id):
    """The séance's page: the agenda by reference, invitations, attendance and the next step.

    References, reasons and coded decisions only: no read of personal data to record.
    """
    seance = selectors.seance_for(request.user, seance_id)
    coordinator = is_coordinator(request.user)
    items = list(selectors.agenda_of(seance))
    attendances = list(seance.attendances.select_related("user", "partner"))
    present = any(a.user_id == request.user.pk for a in attendances)
    context = {
        "seance": seance,
        "items": items,
        "attendances": attendances,
        "present": present,
        "coordinator": coordinator,
        "addenda_count": seance.addenda.count(),
        "access_hours": settings.PARCOURS_SEANCE_ACCESS_HOURS,
    }
    if coordinator:
        invitations = list(seance.invitations.select_related("user__membership__partner").order_by("user__last_name"))
        proposal = selectors.agenda_proposal(seance, request.user) if not seance.is_closed else []
        # The button adds what it says: a situation the family refused is left for the form below.
        held = {p.situation.pk for p in proposal if selectors.held_from_proposal(p.situation)}
        context.update(
            invitations=invitations,
            proposal=proposal,
            proposal_held=held,
            proposal_addable=len(proposal) - len(held),
            consent_policy=settings.PARCOURS_CONSENT_POLICY,
            add_form=AddItemForm(),
            invite_form=MemberForm(prefix="invite"),
            attendance_form=AttendanceForm(prefix="presence"),
        )
    else:
        context["self_form"] = SelfAttendanceForm()
        context["invited"] = Invitation.objects.filter(seance=seance, user=request.user).exists()
    return render(request, "seances/seance_detail.html", context)


@require_POST
@coordinator_required
def seance_proposal_accept(request, seance_id):
    seance = selectors.seance_for(request.user, seance_id)
    try:
        count = services.agenda_proposal_accept(seance_id=seance.pk, by=request.user)
    except Refusal as error:
        messages.error(request, error.message)
    else:
        message = ngettext(
            "%(count)d situation ajoutée à l'ordre du jour.", "%(count)d situations ajoutées à l'ordre du jour.", count
        )
        messages.success(request, message % {"count": count})
    return _back(seance, "ordre-du-jour")


@require_POST
@coordinator_required
def seance_item_add(request, seance_id):
    seance = selectors.seance_for(request.user, seance_id)
    form = AddItemForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Indiquez la référence de la situation (GSN-AAAA-NNNN)."))
        return _back(seance, "ordre-du-jour")
    reference = form.cleaned_data["reference"]
    situation = casework_selectors.situations_for(request.user).filter(reference=reference).first()
    if situation is None:
        messages.error(request, _("Aucune situation accessible ne porte la référence %(ref)s.") % {"ref": reference})
        return _back(seance, "ordre-du-jour")
    _run(
        request,
        lambda: services.agenda_item_add(
            seance_id=seance.pk,
            situation=situation,
            by=request.user,
            consent_justification=form.cleaned_data["consent_justification"],
        ),
        _("La situation %(ref)s est ajoutée à l'ordre du jour.") % {"ref": reference},
    )
    return _back(seance, "ordre-du-jour")


@require_http_methods(["GET", "POST"])
@coordinator_required
def seance_item_remove(request, seance_id, item_id):
    seance = selectors.seance_for(request.user, seance_id)
    item = selectors.item_for(seance, item_id)
    if request.method == "POST":
        _run(
            request,
            lambda: services.agenda_item_remove(seance_id=seance.pk, item_id=item.pk, by=request.user),
            _("Le point %(ref)s est retiré de l'ordre du jour.") % {"ref": item.situation.reference},
        )
        return _back(seance, "ordre-du-jour")
    return render(request, "seances/item_remove.html", {"seance": seance, "item": item})


@require_POST
@coordinator_required
def seance_item_move(request, seance_id, item_id, offset: int):
    seance = selectors.seance_for(request.user, seance_id)
    item = selectors.item_for(seance, item_id)
    try:
        services.agenda_item_move(seance_id=seance.pk, item_id=item.pk, by=request.user, offset=offset)
    except Refusal as error:
        messages.error(request, error.message)
    return _back(seance, "ordre-du-jour")


@require_POST
@coordinator_required
def seance_invite(request, seance_id):
    seance = selectors.seance_for(request.user, seance_id)
    form = MemberForm(request.POST, prefix="invite")
    if form.is_valid():
        user = form.cleaned_data["user"]
        _run(
            request,
            lambda: services.invitation_create(seance_id=seance.pk, user=user, by=request.user),
            _("%(name)s est invité·e.") % {"name": user.get_full_name() or user.username},
        )
    else:
        messages.error(request, _("Choisissez la personne à inviter."))
    return _back(seance, "invitations")


@require_POST
@coordinator_required
def seance_uninvite(request, seance_id, user_id):
    seance = selectors.seance_for(request.user, seance_id)
    _run(
        request,
        lambda: services.invitation_remove(seance_id=seance.pk, user_id=user_id, by=request.user),
        _("L'invitation est retirée."),
    )
    return _back(seance, "invitations")


@require_POST
@case_reader_required
def seance_attendance(request, seance_id):
    """The coordinator marks a member present; a member invited marks themselves present."""
    seance = selectors.seance_for(request.user, seance_id)
    if is_coordinator(request.user):
        form = AttendanceForm(request.POST, prefix="presence")
        if form.is_valid():
            user = form.cleaned_data["user"]
    else:
        form = SelfAttendanceForm(request.POST)
        user = request.user
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return _back(seance, "presences")
    _run(
        request,
        lambda: services.attendance_record(seance_id=seance.pk, user=user, by=request.user, pledge=True),
        _("La présence de %(name)s et son engagement de confidentialité sont enregistrés.")
        % {"name": user.get_full_name() or user.username},
    )
    return _back(seance, "presences")


@require_POST
@coordinator_required
def seance_attendance_remove(request, seance_id, user_id):
    seance = selectors.seance_for(request.user, seance_id)
    _run(
        request,
        lambda: services.attendance_remove(seance_id=seance.pk, user_id=user_id, by=request.user),
        _("La présence est retirée ; l'accès de séance de cette personne est fermé."),
    )
    return _back(seance, "presences")


@require_POST
@coordinator_required
def seance_start(request, seance_id):
    seance = selectors.seance_for(request.user, seance_id)
    if _run(
        request,
        lambda: services.seance_start(seance_id=seance.pk, by=request.user),
        _("La séance est ouverte : les membres présents accèdent aux situations de l'ordre du jour."),
    ):
        return redirect("seances:seance_mode", seance_id=seance.pk)
    return _back(seance)


@require_http_methods(["GET", "POST"])
@coordinator_required
def seance_close(request, seance_id):
    seance = selectors.seance_for(request.user, seance_id)
    items = list(selectors.agenda_of(seance))
    form = SeanceCloseForm(request.POST if request.method == "POST" else None)
    if form.is_valid() and _run(
        request,
        lambda: services.seance_close(seance_id=seance.pk, by=request.user),
        _("La séance est clôturée : le relevé de décisions est disponible."),
    ):
        return _back(seance)
    undecided = [item for item in items if not item.decisions.all()]
    return render(
        request,
        "seances/seance_close.html",
        {
            "seance": seance,
            "form": form,
            "undecided": undecided,
            "access_hours": settings.PARCOURS_SEANCE_ACCESS_HOURS,
        },
        status=400 if form.errors else 200,
    )


def _item_context(request, seance, item):
    """A point's situation as the group examines it: facts, last group notes, open referrals."""

    situation = casework_selectors.situation_for(request.user, item.situation_id)
    notes = list(
        Note.objects.filter(situation=situation, visibility=Note.Visibility.GROUP)
        .select_related("partner", "data_key")
        .order_by("-created_at")[:LAST_NOTES]
    )
    referrals = list(
        Referral.objects.filter(situation=situation, state__in=(Referral.State.PROPOSED, *Referral.OPEN_TO_OPERATOR))
        .select_related("scheme__operator")
        .order_by("-proposed_at")
    )
    decisions = list(
        item.decisions.select_related("not_retained_reason", "closure_reason", "partner", "referral__scheme", "step")
    )
    plan = selectors.plan_of(situation)
    signalements = list(situation.signalements.select_related("recorded_by"))
    return situation, {
        "signalements": signalements,
        "situation": situation,
        "notes": notes,
        "referrals": referrals,
        "decisions": decisions,
        "plan": plan,
    }


def plan_rows(plan) -> list:
    """The objectives and steps of a plan, as rows to record as read."""
    rows = []
    for objective, steps in plan:
        if objective is not None:
            rows.append(objective)
        rows.extend(steps)
    return rows


def _record_item(request, item, situation, extra, screen: str) -> None:
    access_record(
        request,
        [
            (situation, situation.reference),
            (item, situation.reference),
            *((note, situation.reference) for note in extra["notes"]),
            *((referral, situation.reference) for referral in extra["referrals"]),
            *((row, situation.reference) for row in plan_rows(extra["plan"])),
            *((signalement, situation.reference) for signalement in extra["signalements"]),
        ],
        screen=screen,
        purpose=Purpose.SESSION,
    )


@require_GET
@coordinator_required
def seance_mode(request, seance_id):
    """For the projector: one point at a time, large type, identity only on demand."""
    seance = selectors.seance_for(request.user, seance_id)
    if not seance.is_running:
        messages.error(request, _("Le mode séance n'est disponible que pendant la séance."))
        return _back(seance)
    items = _items_in_order(seance)
    if not items:
        raise Http404
    try:
        index = min(max(int(request.GET.get("point", "1")), 1), len(items)) - 1
    except ValueError:
        index = 0
    decision_form = DecisionForm(prefix="decision", situation=items[index].situation)
    return _render_mode(request, seance, items, index, decision_form)


def _items_in_order(seance) -> list:
    """The points of a séance in agenda order, with their situations (séance mode, addenda)."""
    return list(seance.items.select_related("situation").order_by("position"))


def _render_mode(request, seance, items, index, decision_form, status=200):
    """The projected point n (index + 1), with its decision form (bound and in error after an empty
    decision: the error is shown without leaving the projected view)."""
    item = items[index]
    situation, extra = _item_context(request, seance, item)
    _record_item(request, item, situation, extra, "seance_mode")
    context = {
        "seance": seance,
        "item": item,
        "number": index + 1,
        "total": len(items),
        "previous": index if index > 0 else None,
        "next": index + 2 if index + 1 < len(items) else None,
        # The list to jump to point n, and the decision taken without leaving the projected view.
        "points": [(number, other.situation.reference) for number, other in enumerate(items, start=1)],
        "decision_form": decision_form,
        "in_mode": True,
        **extra,
    }
    return render(request, "seances/seance_mode.html", context, status=status)


@require_GET
@coordinator_required
def seance_identity(request, seance_id, item_id):
    """The young person's identity, shown on demand in session mode (a read with purpose séance)."""
    seance = selectors.seance_for(request.user, seance_id)
    item = selectors.item_for(seance, item_id)
    situation = casework_selectors.situation_for(request.user, item.situation_id)
    objects = [(situation, situation.reference)]
    if situation.person:
        objects.append((situation.person, situation.reference))
    access_record(request, objects, screen="seance_identity", purpose=Purpose.SESSION)
    template = "_identity.html" if request.headers.get("HX-Request") else "identity_page.html"
    return render(request, f"seances/{template}", {"situation": situation, "seance": seance})


@require_http_methods(["GET", "POST"])
@coordinator_required
def seance_item(request, seance_id, item_id):
    """A point: its situation, the review summary and the decisions, recorded while the séance runs."""
    seance = selectors.seance_for(request.user, seance_id)
    item = selectors.item_for(seance, item_id)
    decision_form = DecisionForm(prefix="decision", situation=item.situation)
    summary_form = SummaryForm(initial={"summary": item.summary}, prefix="synthese")
    # The summary's form is told by its field; any other POST is a decision, even with nothing ticked
    # (no radio chosen sends no "decision-kind": it must come back with an error, not a blank reload).
    if request.method == "POST" and "synthese-summary" not in request.POST:
        decision_form = DecisionForm(request.POST, prefix="decision", situation=item.situation)
        if decision_form.is_valid():
            try:
                services.decision_record(
                    seance_id=seance.pk, item_id=item.pk, by=request.user, **decision_form.cleaned_data
                )
            except Refusal as error:
                decision_form.add_error(None, error.message)
            else:
                messages.success(request, _("La décision est enregistrée."))
                if request.GET.get("retour") == "mode":
                    return redirect(f"{reverse('seances:seance_mode', args=[seance.pk])}?point={item.position}")
                return redirect("seances:seance_item", seance_id=seance.pk, item_id=item.pk)
        if request.GET.get("retour") == "mode" and seance.is_running:
            # Sent from the projected view: the error is shown there, and the next try returns there.
            items = _items_in_order(seance)
            return _render_mode(request, seance, items, items.index(item), decision_form, status=400)
    elif request.method == "POST":
        summary_form = SummaryForm(request.POST, prefix="synthese")
        if summary_form.is_valid():
            try:
                services.item_summary_set(
                    seance_id=seance.pk, item_id=item.pk, by=request.user, summary=summary_form.cleaned_data["summary"]
                )
            except Refusal as error:
                summary_form.add_error(None, error.message)
            else:
                messages.success(request, _("La synthèse est enregistrée."))
                return redirect("seances:seance_item", seance_id=seance.pk, item_id=item.pk)
    situation, extra = _item_context(request, seance, item)
    _record_item(request, item, situation, extra, "seance_item")
    positions = list(seance.items.order_by("position").values_list("pk", flat=True))
    index = positions.index(item.pk)
    return render(
        request,
        "seances/item_detail.html",
        {
            "seance": seance,
            "item": item,
            "decision_form": decision_form,
            "summary_form": summary_form,
            "previous_id": positions[index - 1] if index > 0 else None,
            "next_id": positions[index + 1] if index + 1 < len(positions) else None,
            **extra,
        },
        status=400 if request.method == "POST" else 200,
    )


@require_GET
@case_reader_required
def seance_minutes(request, seance_id):
    """The relevé de décisions, watermarked with the reader's name; each download is recorded."""
    seance = selectors.seance_for(request.user, seance_id)
    if not seance.is_closed:
        messages.error(request, _("Le relevé de décisions est disponible une fois la séance clôturée."))
        return _back(seance)
    started = time.monotonic()
    content, items = minutes.minutes_pdf(seance, reader=request.user, at=timezone.now())
    access_record(
        request, ((item, item.situation.reference) for item in items), screen="seance_minutes", purpose=Purpose.SESSION
    )
    minutes.minutes_download_record(seance, user=request.user, request=request, seconds=time.monotonic() - started)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="releve-decisions-{seance.date:%Y-%m-%d}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "POST"])
@case_reader_required
def seance_addenda(request, seance_id):
    """The corrections of a closed séance; the coordination adds them."""
    seance = selectors.seance_for(request.user, seance_id)
    items = _items_in_order(seance)
    coordinator = is_coordinator(request.user)
    form = AddendumForm(request.POST or None, items=items) if coordinator else None
    if request.method == "POST":
        if not coordinator:
            raise Http404
        if form.is_valid():
            try:
                services.addendum_add(
                    seance_id=seance.pk,
                    by=request.user,
                    text=form.cleaned_data["text"],
                    item_id=form.cleaned_data["item"] or None,
                )
            except Refusal as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("L'addendum est ajouté au relevé de décisions."))
                return redirect("seances:seance_addenda", seance_id=seance.pk)
    addenda = list(seance.addenda.select_related("item__situation", "author", "data_key").order_by("created_at"))
    access_record(
        request,
        [(seance, "")] + [(a, a.item.situation.reference if a.item else "") for a in addenda],
        screen="seance_addenda",
        purpose=Purpose.SESSION,
    )
    return render(request, "seances/addenda.html", {"seance": seance, "addenda": addenda, "form": form})


# --- The plan d'accompagnement of a situation -------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@case_reader_required
def situation_plan(request, situation_id):
    """The plan of a situation: everyone who reads the situation sees it; its référent and the
    coordination add objectives and steps; a step's partner moves it along."""
    situation = casework_selectors.situation_for(request.user, situation_id)
    may_edit = services.may_edit_plan(request.user, situation) and not situation.is_ended
    objective_form = ObjectiveForm(prefix="objectif")
    step_form = StepForm(prefix="etape", situation=situation)
    if request.method == "POST":
        if "objectif-label" in request.POST:
            objective_form = ObjectiveForm(request.POST, prefix="objectif")
            form, call, done = (
                objective_form,
                lambda data: services.objective_add(situation_id=situation.pk, by=request.user, **data),
                _("L'objectif est ajouté au plan."),
            )
        else:
            step_form = StepForm(request.POST, prefix="etape", situation=situation)
            form, call, done = (
                step_form,
                lambda data: services.step_add(situation_id=situation.pk, by=request.user, **data),
                _("L'étape est ajoutée au plan ; le partenaire responsable est notifié."),
            )
        if form.is_valid():
            try:
                call(form.cleaned_data)
            except Refusal as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, done)
                return redirect("seances:situation_plan", situation_id=situation.pk)
    plan = selectors.plan_of(situation)
    access_record(
        request,
        [(situation, situation.reference), *((row, situation.reference) for row in plan_rows(plan))],
        screen="situation_plan",
    )
    return render(
        request,
        "seances/plan.html",
        {
            "situation": situation,
            "plan": plan,
            "may_edit": may_edit,
            "objective_form": objective_form,
            "step_form": step_form,
            "step_statuses": StepStatusForm.base_fields["status"].choices,
            "objective_statuses": Objective.Status.choices,
            "movable": {
                step.pk for _objective, steps in plan for step in steps if services.may_move_step(request.user, step)
            },
            "reachable": {
                objective.pk
                for objective, steps in plan
                if may_edit and services.objective_may_be_marked_reached(objective, steps)
            },
        },
        status=400 if request.method == "POST" else 200,
    )


def _step_for(request, step_id) -> Step:
    """A step of my partner's actions or of a situation I read; any other id answers 404."""
    step = selectors.followup_actions_for(request.user, pending_only=False).filter(pk=step_id).first()
    if step is None:
        step = Step.objects.filter(pk=step_id, situation__in=casework_selectors.situations_for(request.user)).first()
    if step is None:
        raise Http404
    return step


@require_POST
@case_reader_required
def step_status(request, step_id):
    step = _step_for(request, step_id)
    form = StepStatusForm(request.POST)
    plan = reverse("seances:situation_plan", kwargs={"situation_id": step.situation_id})
    if form.is_valid():
        status = form.cleaned_data["status"]
        if (
            _run(
                request,
                lambda: services.step_set_status(step_id=step.pk, by=request.user, status=status),
                _("L'état de l'étape est enregistré."),
            )
            and status == Step.Status.DONE
            and _offer_objective_reached(request, step)
        ):
            return redirect(f"{plan}#objectif-{step.objective_id}")
    else:
        messages.error(request, _("Choisissez l'état de l'étape."))
    return redirect(_next_or(request, "seances:situation_plan", situation_id=step.situation_id))


def _offer_objective_reached(request, step: Step) -> bool:
    """The last step of an objective is done: whoever edits the plan is taken to it, where one click
    marks the objective reached (see `services.objective_may_be_marked_reached`). No wording in the
    message: messages travel through the session."""
    if not (services.objective_ready_after(step) and services.may_edit_plan(request.user, step.situation)):
        return False
    messages.info(
        request,
        _("Toutes les étapes de cet objectif sont closes : s'il est atteint, marquez-le « atteint » ci-dessous."),
    )
    return True


@require_http_methods(["GET", "POST"])
@case_reader_required
def step_abandon(request, step_id):
    """Abandon a step, with its reason and a confirmation: the page shows the step it concerns."""
    step = _step_for(request, step_id)
    situation = step.situation
    back = _next_or(request, "seances:situation_plan", situation_id=situation.pk)
    form = StepAbandonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.step_set_status(
                step_id=step.pk, by=request.user, status=Step.Status.ABANDONED, reason=form.cleaned_data["reason"]
            )
        except Refusal as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("L'étape est abandonnée ; le motif est enregistré."))
            return redirect(back)
    # A partner no longer reading the situation still sees its action by reference, without its wording.
    readable = getattr(step, "readable", True)
    if readable:
        access_record(request, [(step, situation.reference)], screen="step_abandon", purpose=Purpose.SESSION)
    context = {
        "readable": readable,
        "step": step,
        "situation": situation,
        "form": form,
        "back": back,
        "retour": request.POST.get("retour") or request.GET.get("retour", ""),
        "may_move": services.may_move_step(request.user, step) and step.is_pending and not situation.is_ended,
    }
    return render(request, "seances/step_abandon.html", context, status=400 if request.method == "POST" else 200)


@require_POST
@case_reader_required
def objective_status(request, objective_id):
    objective = Objective.objects.filter(
        pk=objective_id, situation__in=casework_selectors.situations_for(request.user)
    ).first()
    if objective is None:
        raise Http404
    form = ObjectiveStatusForm(request.POST)
    if form.is_valid():
        _run(
            request,
            lambda: services.objective_set_status(
                objective_id=objective.pk, by=request.user, status=form.cleaned_data["status"]
            ),
            _("L'état de l'objectif est enregistré."),
        )
    return redirect("seances:situation_plan", situation_id=objective.situation_id)


def _next_or(request, name: str, **kwargs) -> str:
    """Back to the list the form was posted from (« Actions à suivre »), else to `name`."""
    if (request.POST.get("retour") or request.GET.get("retour")) == "actions":
        return reverse("seances:followup_list")
    return reverse(name, kwargs=kwargs)


@require_GET
@case_reader_required
def followup_list(request):
    """« Actions à suivre »: what the group asked of my partner (everything, for the coordination)."""
    show_done = request.GET.get("realisees") == "1"
    page = _page(request, selectors.followup_actions_for(request.user, pending_only=not show_done))
    actions = list(page.object_list)
    access_record(
        request,
        [(action, action.situation.reference) for action in actions if action.readable],
        screen="followup_list",
        purpose=Purpose.SESSION,
    )
    membership = membership_of(request.user)
    return render(
        request,
        "seances/followup_list.html",
        {
            "page": page,
            "actions": actions,
            "show_done": show_done,
            "today": timezone.localdate(),
            "my_partner_id": membership.partner_id if membership else None,
            "coordinator": is_coordinator(request.user),
        },
    )
