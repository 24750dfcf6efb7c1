"""Screens of the local strategy: its management by the coordination (/strategie/), the situation's
fiches-actions panel, and the anonymous evaluation (/evaluation/): dashboard, PDF and spreadsheet.

The evaluation pages show aggregates only (no reference, no name, no free text): they record a
security event per view or download instead of read events.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from access.decorators import case_reader_required, coordinator_role_required
from casework import selectors as case_selectors
from core.refusal import Refusal
from strategy import selectors, services
from strategy.forms import ActionForm, AxisForm, StrategyForm
from strategy.models import Action, Axis, Strategy

# --- Management (coordination) ------------------------------------------------------------------------


@coordinator_role_required
def strategy_list(request):
    return render(request, "strategy/strategy_list.html", {"strategies": selectors.strategies_outlined()})


@require_http_methods(["GET", "POST"])
@coordinator_role_required
def strategy_edit(request, strategy_id=None):
    strategy = get_object_or_404(Strategy, pk=strategy_id) if strategy_id else None
    form = StrategyForm(request.POST or None, instance=strategy)
    if request.method == "POST" and form.is_valid():
        strategy = services.strategy_save(strategy=form.instance, by=request.user)
        messages.success(request, _("La stratégie « %(title)s » est enregistrée.") % {"title": strategy})
        return redirect("strategy:strategy_list")
    title = _("Modifier la stratégie") if strategy else _("Nouvelle stratégie")
    return render(request, "strategy/form.html", {"form": form, "title": title})


@require_http_methods(["GET", "POST"])
@coordinator_role_required
def axis_edit(request, strategy_id, axis_id=None):
    strategy = get_object_or_404(Strategy, pk=strategy_id)
    axis = selectors.axis_for(strategy, axis_id) if axis_id else Axis(strategy=strategy)
    form = AxisForm(request.POST or None, instance=axis)
    if request.method == "POST" and form.is_valid():
        try:
            services.axis_save(axis=form.instance, by=request.user)
        except Refusal as error:
            form.add_error("number", error.message)
        else:
            messages.success(request, _("L'axe est enregistré."))
            return redirect("strategy:strategy_list")
    title = _("Axe de « %(strategy)s »") % {"strategy": strategy}
    return render(request, "strategy/form.html", {"form": form, "title": title})


@require_http_methods(["GET", "POST"])
@coordinator_role_required
def action_edit(request, strategy_id, action_id=None):
    strategy = get_object_or_404(Strategy, pk=strategy_id)
    action = selectors.action_for(strategy, action_id) if action_id else None
    form = ActionForm(request.POST or None, instance=action, strategy=strategy)
    if request.method == "POST" and form.is_valid():
        try:
            action = services.action_save(
                action=form.save(commit=False),
                partners=form.cleaned_data["partners"],
                suggested_for_motifs=form.cleaned_data["suggested_for_motifs"],
                by=request.user,
            )
        except Refusal as error:
            form.add_error("code", error.message)
        else:
            messages.success(request, _("La fiche-action %(code)s est enregistrée.") % {"code": action.code})
            return redirect("strategy:strategy_list")
    title = _("Fiche-action %(code)s") % {"code": action.code} if action else _("Nouvelle fiche-action")
    if not strategy.axes.exists():
        messages.warning(request, _("Créez d'abord un axe dans cette stratégie."))
        return redirect("strategy:strategy_list")
    return render(request, "strategy/form.html", {"form": form, "title": title, "action": action})


@require_http_methods(["GET", "POST"])
@coordinator_role_required
def action_status(request, action_id):
    """Deactivate or reactivate (GET asks for confirmation), or delete one linked to nothing."""
    action = get_object_or_404(Action.objects.select_related("axis", "pilot"), pk=action_id)
    operation = request.POST.get("operation") or request.GET.get("operation", "")
    if operation not in ("deactivate", "activate", "delete"):
        operation = "deactivate" if action.active else "activate"
    linked = action.situation_links.exists() or action.schemes.exists() or action.referrals.exists()
    if request.method == "POST":
        try:
            if operation == "delete":
                services.action_delete(action_id=action.pk, by=request.user)
                messages.success(request, _("La fiche-action %(code)s est supprimée.") % {"code": action.code})
            else:
                services.action_set_active(action_id=action.pk, active=operation == "activate", by=request.user)
                messages.success(request, _("La fiche-action %(code)s est mise à jour.") % {"code": action.code})
        except Refusal as error:
            messages.error(request, error.message)
        return redirect("strategy:strategy_list")
    context = {"action": action, "operation": operation, "linked": linked}
    return render(request, "strategy/action_status.html", context)


# --- A situation's fiches-actions ---------------------------------------------------------------------


@require_POST
@case_reader_required
def situation_actions(request, situation_id):
    situation = case_selectors.situation_for(request.user, situation_id)
    action = get_object_or_404(Action, pk=request.POST.get("action"))
    operation = request.POST.get("operation")
    try:
        if operation == "confirm":
            services.situation_action_confirm(situation=situation, action=action, by=request.user)
            messages.success(request, _("La situation contribue à la fiche-action %(code)s.") % {"code": action.code})
        elif operation == "remove":
            services.situation_action_remove(situation=situation, action=action, by=request.user)
            messages.success(request, _("Le lien à la fiche-action %(code)s est retiré.") % {"code": action.code})
        else:
            messages.error(request, _("Opération inconnue."))
    except Refusal as error:
        messages.error(request, error.message)
    return redirect(reverse("casework:situation_detail", args=[situation.pk]) + "#fiches-actions")
