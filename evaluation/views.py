"""The anonymous evaluation: dashboards and the plenary report, for the coordination and the fiches' pilots."""

import time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from access.decorators import passes_test
from access.permissions import is_coordinator
from audit.models import Kind
from audit.services import security_record
from core.refusal import Refusal
from evaluation.charts import bar_chart
from evaluation.evaluation import Period, Scope, action_summary, evaluation
from evaluation.forms import PeriodForm, month_value
from evaluation.report import report_pdf, report_spreadsheet
from strategy import selectors
from strategy import services as strategy_services
from strategy.forms import COLLECTIVE_GENDERS, CollectiveSessionForm, IndicatorForm, IndicatorValueForm, ProgressForm
from strategy.models import Indicator

# Signed-in people who may see at least one strategy's evaluation; others get 403.
evaluator_required = passes_test(selectors.may_evaluate)


@login_required
def evaluation_home(request):
    strategy = selectors.default_strategy(request.user)
    if strategy is not None:
        return redirect("evaluation:dashboard", strategy_id=strategy.pk)
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


def _comparison(scope: Scope, form: PeriodForm) -> Scope | None:
    """The second period asked for, same strategy, axis and fiche-action; None without one."""
    if not form.is_valid() or not form.cleaned_data.get("compare_start"):
        return None
    period = Period.months(form.cleaned_data["compare_start"], form.cleaned_data["compare_end"])
    return Scope(scope.strategy, period, axis=scope.axis, action=scope.action)


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
    compared_scope = _comparison(scope, form)
    _record(request, Kind.EVALUATION_VIEW, scope, "tableau de bord")
    compared = None
    if compared_scope is not None:
        compared = evaluation(compared_scope)
        _record(request, Kind.EVALUATION_VIEW, compared_scope, "tableau de bord, période de comparaison")
    query = request.GET.urlencode()
    others = {table.key: table for table in compared.tables} if compared else {}
    context = {
        "strategy": strategy,
        "strategies": selectors.strategies_for(request.user),
        "form": form,
        "evaluation": result,
        "compared": compared,
        "sections": [
            (table, bar_chart(table, chart_id=f"graphique-{table.key}") if not compared else "", others.get(table.key))
            for table in result.tables
        ],
        "query": query,
    }
    return render(request, "evaluation/dashboard.html", context)


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


# --- Steering a fiche-action: its pilot partner's members and the coordination -----------------------------

# Who steers no fiche-action gets 403; a fiche of another pilot answers 404.
steerer_required = passes_test(lambda user: selectors.steered_actions(user).exists())


@steerer_required
def fiche_list(request):
    actions = sorted(selectors.steered_actions(request.user), key=lambda a: (a.axis.strategy.title, a.sort_key))
    summaries = [action_summary(action) for action in actions]
    return render(request, "evaluation/fiche_list.html", {"summaries": summaries})


def _fiche_forms(request, action, indicator: Indicator | None):
    """The three forms of the page; the one posted is bound, the others stay empty."""
    posted = request.POST.get("formulaire") if request.method == "POST" else None
    data = request.POST if posted else None
    return {
        "indicateur": IndicatorForm(
            data if posted == "indicateur" else None, instance=indicator or Indicator(action=action), prefix="ind"
        ),
        "valeur": IndicatorValueForm(data if posted == "valeur" else None, action=action, prefix="val"),
        "avancement": ProgressForm(data if posted == "avancement" else None, prefix="av"),
        "collective": CollectiveSessionForm(data if posted == "collective" else None, prefix="col"),
    }, posted


@steerer_required
def fiche_detail(request, action_id):
    action = selectors.steered_action_for(request.user, action_id)
    indicator = None
    if request.GET.get("indicateur"):
        indicator = get_object_or_404(action.indicators_set, pk=request.GET["indicateur"])
    forms, posted = _fiche_forms(request, action, indicator)
    form = forms.get(posted)
    if form is not None and form.is_valid():
        data = form.cleaned_data
        try:
            if posted == "indicateur":
                strategy_services.indicator_save(indicator=form.save(commit=False), by=request.user)
                message = _("L'indicateur est enregistré.")
            elif posted == "collective":
                strategy_services.collective_session_record(
                    action=action,
                    held_on=data["held_on"],
                    label=data["label"],
                    territory=data["territory"],
                    counts=form.counts(),
                    by=request.user,
                )
                message = _("La séance d'action collective est enregistrée.")
            elif posted == "valeur":
                strategy_services.indicator_value_record(by=request.user, **data)
                message = _("La valeur est enregistrée.")
            else:
                strategy_services.action_progress_record(action=action, by=request.user, **data)
                message = _("L'état d'avancement est enregistré.")
        except Refusal as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, message)
            return redirect("evaluation:fiche_detail", action_id=action.pk)
    context = {
        "action": action,
        "summary": action_summary(action),
        "history": selectors.action_progress(action),
        "sessions": selectors.action_collective_sessions(action),
        "genders": COLLECTIVE_GENDERS,
        "forms": forms,
        "editing": indicator,
    }
    return render(request, "evaluation/fiche_detail.html", context)
