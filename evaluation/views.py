"""The anonymous evaluation: dashboards and the plenary report, for the coordination and the fiches' pilots."""

import time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from access.decorators import passes_test
from access.permissions import is_coordinator
from audit.models import Kind
from audit.services import security_record
from evaluation.charts import bar_chart
from evaluation.evaluation import Period, Scope, evaluation
from evaluation.forms import PeriodForm, month_value
from evaluation.report import report_pdf, report_spreadsheet
from strategy import selectors

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
