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
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from access import ledger
from access import services as access_services
from access.decorators import case_reader_required, coordinator_required, dpo_or_coordinator_required
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
    PersonMergeForm,
    PersonSearchForm,
    ReopenForm,
    SignalementForm,
    SituationCreateForm,
    SituationEditForm,
    SituationFilterForm,
)
from casework.matching import TypedIdentity
from casework.models import Association, Person, Signalement, Situation
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
        if not person_form.is_valid():
            # An invalid search lists nothing, and says what to correct rather than « aucune situation ».
            return render(
                request,
                "casework/situation_list.html",
                {"form": form, "person_form": person_form, "situations": [], "filtered": True},
            )
        filters["person"] = person_form.criteria()
    elif form.is_valid():
        data = form.cleaned_data
        filters = {
            "status": data["status"],
            "motif": data["motif"],
            "referent": data["referent"],
            "query": data["q"],
            "to_inform": data["to_inform"],
        }
    sort = request.GET.get("tri", selectors.DEFAULT_SITUATION_SORT)
    if sort.removeprefix("-") not in selectors.SITUATION_SORTS:
        sort = selectors.DEFAULT_SITUATION_SORT
    situations = selectors.situation_list(request.user, sort=sort, **filters)
    # No COUNT: counting every situation a coordinator may read costs more than the page, and grows with them.
    page = uncounted_page(situations, request.GET.get("page"), per_page=settings.PARCOURS_PAGE_SIZE)
    access_record(request, ((s, s.reference) for s in page.object_list), screen="situation_list")
    query = request.GET.copy()
    query.pop("page", None)
    unsorted = query.copy()
    unsorted.pop("tri", None)
    context = {
        "sort": sort,
        "unsorted_query": unsorted.urlencode(),
        "form": form,
        "person_form": person_form,
        "page": page,
        "situations": _list_rows(request.user, page.object_list),
        "query": query.urlencode(),
        "filtered": bool(set(request.GET) - {"tri", "page"}) or person_form.is_bound,
    }
    return render(request, "casework/situation_list.html", context)


# A row's link: the route reversed once per page, each row's id put in its place.
_ANY_ID = "00000000-0000-0000-0000-000000000000"


def _list_rows(user, situations) -> list[dict]:
    """What each row of the list shows, as plain values: the page's loop then reads a dict key where
    it would resolve attributes, methods and filters on four model instances per row (for 25 rows,
    the list's largest share of CPU after the queries)."""
    if not situations:
        return []
    motifs = selectors.motif_labels_for([s.pk for s in situations])
    sees_to_inform = is_coordinator(user)
    detail_url = reverse("casework:situation_detail", args=[_ANY_ID])
    rows = []
    for s in situations:
        # As User.get_full_name, or the login when the référent has no name.
        referent = f"{s.referent_first_name or ''} {s.referent_last_name or ''}".strip() or s.referent_username
        rows.append(
            {
                "url": detail_url.replace(_ANY_ID, str(s.pk)),
                "reference": s.reference,
                "name": s.person.full_name if s.person_id else "",
                "status": s.status,
                "status_label": s.get_status_display(),
                "danger": s.danger,
                "restricted": s.restricted,
                "to_inform": s.status == Situation.Status.ACTIVE
                and s.person_id is not None
                and not s.young_person_informed
                and (sees_to_inform or s.referent_id == user.pk),
                "motifs": ", ".join(motifs[s.pk]),
                "received_on": f"{s.received_on:%d/%m/%Y}",
                "partner": s.partner_name,
                "referent": referent or "—",
                "next_review_on": f"{s.next_review_on:%d/%m/%Y}" if s.next_review_on else "—",
            }
        )
    return rows


# What the consent policy of this deployment means for a situation whose family refused.
CONSENT_POLICY_TEXT = {
    "justification": gettext_lazy(
        "l'orienter ou l'inscrire à une séance demande une justification écrite, lue par le groupe et recensée "
        "par le DPO."
    ),
    "refus": gettext_lazy("elle ne peut être ni orientée ni inscrite à une séance."),
    "libre": gettext_lazy("la politique de ce groupe laisse l'orienter ou l'inscrire à une séance sans justification."),
}


def _record_situation_read(request, situation, shown, *, screen: str) -> None:
    """Record the read of a situation and of the rows of it a screen shows, for the purpose of the
    grant that lets this reader read it (`ledger.reading_reason`)."""
    reason = ledger.reading_reason(request.user, situation)
    access_record(
        request,
        [(situation, situation.reference), *((row, situation.reference) for row in shown)],
        screen=screen,
        purpose=ledger.purpose_of(reason),
        grant_reason=reason or "",
    )


def _render_detail(request, situation, note_form, status=200):
    notes = list(selectors.notes_for(request.user, situation))
    informations = list(selectors.informations_for(situation))
    justifications = selectors.justifications_for(situation)
    signalements = selectors.signalements_for(situation)
    _record_situation_read(
        request, situation, [*notes, *informations, *justifications, *signalements], screen="situation_detail"
    )
    may_change = selectors.user_may_change(request.user, situation)
    context = {
        "situation": situation,
        "motif_labels": selectors.motif_labels_for([situation.pk])[situation.pk],
        "notes": notes,
        "informations": informations,
        "justifications": justifications,
        "signalements": signalements,
        "consent_refused": selectors.consent_refused_in(informations),
        "consent_policy_text": CONSENT_POLICY_TEXT[settings.PARCOURS_CONSENT_POLICY],
        "note_form": note_form,
        "may_change": may_change and not situation.is_read_only,
        "may_annotate": selectors.user_may_annotate(request.user, situation) and not situation.is_read_only,
        "may_reopen": may_change and situation.is_ended and not situation.restricted,
        "involved": selectors.involved_partners(situation),
        "may_merge": situation.person_id is not None and is_coordinator(request.user),
        **selectors.linked_situations_for(request.user, situation),
    }
    return render(request, "casework/situation_detail.html", context, status=status)


@case_reader_required
def situation_detail(request, situation_id):
    situation = selectors.situation_for(request.user, situation_id)
    return _render_detail(request, situation, NoteForm())


# The change history shown on demand: the last ones, most recent first.
HISTORY_SIZE = 50


@require_GET
@case_reader_required
def situation_history(request, situation_id):
    """The situation's change history, loaded on demand from the detail page (htmx), or as a page of
    its own without JavaScript. Not needed at first sight, it is not fetched with the page; each load
    is a read of its own (404 for anything not granted, as the page)."""
    situation = selectors.situation_for(request.user, situation_id)
    _record_situation_read(request, situation, [], screen="situation_history")
    history = ChangeEntry.objects.get_for_object(situation).select_related("actor").order_by("-timestamp")
    template = "_history.html" if request.htmx else "situation_history.html"
    context = {"situation": situation, "history": history[:HISTORY_SIZE]}
    return render(request, f"casework/{template}", context)


@require_GET
@case_reader_required
def situation_print(request, situation_id):
    """The situation on paper: no menu, no form, marked confidential with who printed it and when.

    The same fetch as the detail page (404 for anything not granted), recorded as a read of its own
    screen, since a printed page outlives the session that showed it."""
    situation = selectors.situation_for(request.user, situation_id)
    notes = list(selectors.notes_for(request.user, situation))
    informations = list(selectors.informations_for(situation))
    _record_situation_read(request, situation, [*notes, *informations], screen="situation_print")
    context = {"situation": situation, "notes": notes, "informations": informations, "printed_at": timezone.now()}
    return render(request, "casework/situation_print.html", context)


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
                typed = TypedIdentity.of(identity.last_name, identity.first_name, identity.birth_date)
                duplicates, hidden_exists = selectors.possible_duplicates(request.user, typed)
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


@require_http_methods(["GET", "POST"])
@case_reader_required
def signalement_create(request, situation_id):
    """Record the trace of a signalement (CRIP, prosecutor). From the « danger » alert, one click posts
    `rapide=1` with today's date, the CRIP and the usual form; the full form allows the rest."""
    situation = selectors.situation_for(request.user, situation_id, codename="change_situation")
    initial = {"sent_on": timezone.localdate(), "recipient": Signalement.Recipient.CRIP, "mode": Signalement.Mode.FORM}
    data = request.POST or None
    if request.method == "POST" and request.POST.get("rapide") == "1":
        data = {**initial, "sent_on": timezone.localdate().isoformat()}
    form = SignalementForm(data, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.signalement_record(situation_id=situation.pk, by=request.user, **form.cleaned_data)
        except Refusal as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("La transmission est enregistrée sur la situation."))
            return redirect("casework:situation_detail", situation_id=situation.pk)
    return render(
        request,
        "casework/signalement_form.html",
        {"form": form, "situation": situation},
        status=400 if request.method == "POST" else 200,
    )


@require_GET
@coordinator_required
def signalement_list(request):
    """The coordinator's list of signalements on the group's situations (coded facts; comments stay on
    each situation)."""
    rows = (
        Signalement.objects.filter(situation__in=selectors.situations_for(request.user))
        .select_related("situation", "recorded_by")
        .order_by("-sent_on", "-created_at")
    )
    page = uncounted_page(rows, request.GET.get("page"), settings.PARCOURS_PAGE_SIZE)
    return render(request, "casework/signalement_list.html", {"page": page})


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


def notice(request, kind):
    """Printable information notices (GDPR art. 13/14), with the periods the DPO set.

    Public, as the notice posted in a school hall is: the footer's « Données personnelles » link
    reaches it signed out. It names no one."""
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


MERGE_IDENTITY_FIELDS = (
    "last_name",
    "first_name",
    "birth_date",
    "address",
    "phone",
    "school",
    "legal_representatives",
)


def _merge_record(user, person) -> dict:
    fields = [(Person._meta.get_field(name).verbose_name, getattr(person, name)) for name in MERGE_IDENTITY_FIELDS]
    return {
        "person": person,
        "fields": fields,
        "situations": list(selectors.situations_for(user).filter(person=person)),
    }


@require_http_methods(["GET", "POST"])
@case_reader_required
def person_merge(request, situation_id):
    """Merge the young person of this situation with another record (coordinator): first both records
    side by side, then the merge once confirmed. There is no un-merge."""
    if not is_coordinator(request.user):
        raise Http404
    situation = selectors.situation_for(request.user, situation_id)
    if situation.person is None:
        messages.error(request, _("Cette situation est anonyme : elle n'a pas de fiche à fusionner."))
        return redirect("casework:situation_detail", situation_id=situation.pk)
    form = PersonMergeForm(request.POST or None)
    records = None
    if request.method == "POST" and form.is_valid():
        other = selectors.situations_for(request.user).filter(reference=form.cleaned_data["other_reference"]).first()
        if other is None:
            form.add_error("other_reference", _("Aucune situation que vous pouvez consulter ne porte cette référence."))
        elif other.person_id is None:
            form.add_error("other_reference", _("Cette situation est anonyme : elle n'a pas de fiche à fusionner."))
        elif other.person_id == situation.person_id:
            form.add_error("other_reference", _("Ces deux situations concernent déjà la même fiche."))
        else:
            this_one, other_one = situation.person, other.person
            kept, merged = (
                (this_one, other_one) if form.cleaned_data["keep"] == form.KEEP_THIS else (other_one, this_one)
            )
            if "merge" in request.POST and form.cleaned_data["confirm"]:
                try:
                    services.person_merge(kept_id=kept.pk, merged_id=merged.pk, by=request.user)
                except Refusal as refusal:
                    form.add_error(None, str(refusal))
                else:
                    messages.success(request, _("Les deux fiches sont fusionnées."))
                    return redirect("casework:situation_detail", situation_id=situation.pk)
            elif "merge" in request.POST:
                form.add_error("confirm", _("Cochez la confirmation pour fusionner les deux fiches."))
            records = [_merge_record(request.user, kept), _merge_record(request.user, merged)]
            access_record(
                request,
                [(s, s.reference) for record in records for s in record["situations"]],
                screen="person_merge",
            )
    return render(request, "casework/person_merge.html", {"situation": situation, "form": form, "records": records})
