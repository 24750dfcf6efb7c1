"""Screens of the local strategy: its management by the coordination (/strategie/), the situation's
fiches-actions panel, and the anonymous evaluation (/evaluation/): dashboard, PDF and spreadsheet.

The evaluation pages show aggregates only (no reference, no name, no free text): they record a
security event per view or download instead of read events.
"""

import time
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from access.decorators import role_required
from access.models import Role
from access.permissions import is_coordinator
from audit.models import Kind
from audit.services import security_record
from casework import selectors as case_selectors
from casework.models import Action, Axis, Strategy
from casework.strategy import selectors, services
from casework.strategy.charts import bar_chart
from casework.strategy.evaluation import Period, Scope, evaluation
from casework.strategy.forms import ActionForm, AxisForm, PeriodForm, StrategyForm, month_value
from casework.strategy.report import report_pdf, report_spreadsheet
from casework.views import case_reader_required

coordinator_required = role_required(Role.COORDINATOR)


# --- Management (coordination) ------------------------------------------------------------------------


@coordinator_required
def strategy_list(request):
    strategies = [(strategy, list(selectors.strategy_outline(strategy))) for strategy in Strategy.objects.all()]
    return render(request, "casework/strategy/strategy_list.html", {"strategies": strategies})


@require_http_methods(["GET", "POST"])
@coordinator_required
def strategy_edit(request, strategy_id=None):
    strategy = get_object_or_404(Strategy, pk=strategy_id) if strategy_id else None
    form = StrategyForm(request.POST or None, instance=strategy)
    if request.method == "POST" and form.is_valid():
        strategy = services.strategy_save(strategy=form.instance, by=request.user)
        messages.success(request, _("La stratégie « %(title)s » est enregistrée.") % {"title": strategy})
        return redirect("strategy:strategy_list")
    title = _("Modifier la stratégie") if strategy else _("Nouvelle stratégie")
    return render(request, "casework/strategy/form.html", {"form": form, "title": title})


@require_http_methods(["GET", "POST"])
@coordinator_required
def axis_edit(request, strategy_id, axis_id=None):
    strategy = get_object_or_404(Strategy, pk=strategy_id)
    axis = selectors.axis_for(strategy, axis_id) if axis_id else Axis(strategy=strategy)
    form = AxisForm(request.POST or None, instance=axis)
    if request.method == "POST" and form.is_valid():
        try:
            services.axis_save(axis=form.instance, by=request.user)
        except services.StrategyError as error:
            form.add_error("number", error.message)
        else:
            messages.success(request, _("L'axe est enregistré."))
            return redirect("strategy:strategy_list")
    title = _("Axe de « %(strategy)s »") % {"strategy": strategy}
    return render(request, "casework/strategy/form.html", {"form": form, "title": title})


@require_http_methods(["GET", "POST"])
@coordinator_required
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
        except services.StrategyError as error:
            form.add_error("code", error.message)
        else:
            messages.success(request, _("La fiche-action %(code)s est enregistrée.") % {"code": action.code})
            return redirect("strategy:strategy_list")
    title = _("Fiche-action %(code)s") % {"code": action.code} if action else _("Nouvelle fiche-action")
    if not strategy.axes.exists():
        messages.warning(request, _("Créez d'abord un axe dans cette stratégie."))
        return redirect("strategy:strategy_list")
    return render(request, "casework/strategy/form.html", {"form": form, "title": title, "action": action})


@require_http_methods(["GET", "POST"])
@coordinator_required
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
        except services.StrategyError as error:
            messages.error(request, error.message)
        return redirect("strategy:strategy_list")
    context = {"action": action, "operation": operation, "linked": linked}
    return render(request, "casework/strategy/action_status.html", context)


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
    except services.StrategyError as error:
        messages.error(request, error.message)
    return redirect(reverse("casework:situation_detail", args=[situation.pk]) + "#fiches-actions")


# --- Evaluation (coordination and pilots) -------------------------------------------------------------


def evaluator_required(view):
    """Signed-in people who may see at least one strategy's evaluation; others get 403."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not selectors.may_evaluate(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


@login_required
def evaluation_home(request):
    strategy = selectors.default_strategy(request.user)
    if strategy is not None:
        return redirect("strategy:dashboard", strategy_id=strategy.pk)
    if is_coordinator(request.user):
        messages.info(request, _("Aucune stratégie enregistrée : créez d'abord la stratégie et ses fiches-actions."))
        return redirect("strategy:strategy_list")
    raise PermissionDenied


def _scope(request, strategy) -> tuple[Scope, PeriodForm]:
    default = Period.default_for(strategy, timezone.localdate())
    data = request.GET.copy()
    data.setdefault("start", month_value(default.start))
    data.setdefault("end", month_value(default.end))
    form = PeriodForm(data, strategy=strategy)
    if not form.is_valid():
        return Scope(strategy, default), form
    period = Period.months(form.cleaned_data["start"], form.cleaned_data["end"])
    action = form.cleaned_data["action"]
    axis = form.cleaned_data["axis"] or (action.axis if action else None)
    return Scope(strategy, period, axis=axis, action=action), form


def _record(request, kind, scope: Scope, what: str) -> None:
    security_record(
        kind,
        user=request.user,
        obj=scope.strategy,
        detail=f"{what} — {scope.label} — {scope.period}",
        request=request,
    )


@evaluator_required
def dashboard(request, strategy_id):
    strategy = selectors.strategy_for(request.user, strategy_id)
    scope, form = _scope(request, strategy)
    result = evaluation(scope)
    _record(request, Kind.EVALUATION_VIEW, scope, "tableau de bord")
    query = request.GET.urlencode()
    context = {
        "strategy": strategy,
        "strategies": selectors.strategies_for(request.user),
        "form": form,
        "evaluation": result,
        "sections": [(table, bar_chart(table, chart_id=f"graphique-{table.key}")) for table in result.tables],
        "query": query,
    }
    return render(request, "casework/strategy/dashboard.html", context)


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@evaluator_required
def report(request, strategy_id, fmt):
    strategy = selectors.strategy_for(request.user, strategy_id)
    scope, _form = _scope(request, strategy)
    started = time.monotonic()
    result = evaluation(scope)
    stamp = f"{scope.period.start:%Y%m}-{scope.period.end:%Y%m}"
    if fmt == "pdf":
        content = report_pdf(result, list(selectors.strategy_outline(strategy)))
        response = _download(content, "application/pdf", f"bilan-gsn-{stamp}.pdf")
    else:
        content = report_spreadsheet(result)
        response = _download(
            content, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", f"bilan-gsn-{stamp}.xlsx"
        )
    elapsed = time.monotonic() - started
    _record(request, Kind.EVALUATION_EXPORT, scope, f"bilan {fmt.upper()} ({len(content)} octets, {elapsed:.1f} s)")
    return response
