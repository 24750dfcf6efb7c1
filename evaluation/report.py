"""The annual report for the CLSPD plenary: a PDF (WeasyPrint) and a spreadsheet (XLSX, openpyxl).

Both are built from the same `Evaluation` as the dashboard, so they carry the same suppressed
tables: no reference, no name, no free text about a person; the strategy's own texts (titles of
axes and fiches-actions, pilots) are public content.
"""

import io

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from core.pdf import pdf_render
from core.spreadsheet import append_row
from evaluation.charts import bar_chart
from evaluation.evaluation import Evaluation, axis_summaries
from evaluation.suppression import THRESHOLD

METHOD_NOTE = (
    "Secret statistique : tout effectif de 1 à 4 est remplacé par « < 5 ». Pour qu'aucun de ces effectifs "
    "ne puisse être retrouvé par soustraction à partir des totaux, d'autres cases sont masquées à leur tour : "
    "« < 5 » si elles valent de 0 à 4, « s » (secret) si elles valent 5 ou plus. Les pourcentages et les "
    "médianes ne sont publiés que sur 5 valeurs au moins et s'ils ne permettent pas de retrouver un petit "
    "effectif. Les situations purgées au terme de leur durée de conservation restent comptées, à partir des "
    "compteurs anonymes (mois et codes seulement) qu'elles laissent. Aucune référence, aucun nom et aucun "
    "texte libre sur une personne ne figure dans ce document."
)


def report_context(evaluation: Evaluation, outline) -> dict:
    return {
        "evaluation": evaluation,
        "scope": evaluation.scope,
        "sections": [(table, bar_chart(table, chart_id=f"graphique-{table.key}")) for table in evaluation.tables],
        "outline": outline,
        "axes": axis_summaries(evaluation.scope),
        "method_note": METHOD_NOTE,
        "threshold": THRESHOLD,
        "now": timezone.localtime(),
        "city": settings.PARCOURS_CITY_NAME,
    }


def report_pdf(evaluation: Evaluation, outline) -> bytes:
    return pdf_render("evaluation/report_pdf.html", report_context(evaluation, outline))


def report_spreadsheet(evaluation: Evaluation) -> bytes:
    """One sheet per table (hidden values as their label), and a sheet with the method.

    Titles are typed by people (a strategy, an axis, a fiche-action): every row goes through
    `append_row`, so that a title starting with `=` stays text, never a formula (core.spreadsheet)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    scope = evaluation.scope
    book = Workbook()
    about = book.active
    about.title = "Bilan"
    for row in (
        [_("Bilan du groupe de suivi nominatif")],
        [str(scope.strategy)],
        [scope.label],
        [_("Période : %(period)s") % {"period": scope.period}],
        [],
        [METHOD_NOTE],
    ):
        append_row(about, row)
    about["A1"].font = Font(bold=True, size=14)
    about.column_dimensions["A"].width = 100
    for indicator in evaluation.indicators:
        append_row(about, [indicator.label, indicator.value])
    _summary_sheet(book, evaluation)
    for number, table in enumerate(evaluation.tables, start=1):
        sheet = book.create_sheet(f"{number} {table.key}"[:31])
        append_row(sheet, [table.title])
        sheet["A1"].font = Font(bold=True)
        header = ["", *table.columns] + ([_("Total")] if table.published.row_totals is not None else [])
        append_row(sheet, header)
        for label, cells, total in table.lines():
            row = [label, *(_cell_value(cell) for cell in cells)]
            if total is not None:
                row.append(_cell_value(total))
            append_row(sheet, row)
        if table.published.column_totals is not None:
            row = [_("Total"), *(_cell_value(cell) for cell in table.published.column_totals)]
            if table.published.total is not None:
                row.append(_cell_value(table.published.total))
            append_row(sheet, row)
        if table.note:
            append_row(sheet, [])
            append_row(sheet, [table.note])
        sheet.column_dimensions["A"].width = 60
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def _cell_value(cell):
    return cell.label if cell.hidden else cell.value


def _summary_sheet(book, evaluation: Evaluation) -> None:
    """One block per axis: each fiche-action, its state of progress, its indicators' target and value."""
    from openpyxl.styles import Font

    scope = evaluation.scope
    sheet = book.create_sheet("Synthèse par axe")
    append_row(
        sheet,
        [_("Synthèse par axe — %(city)s — %(period)s") % {"city": settings.PARCOURS_CITY_NAME, "period": scope.period}],
    )
    sheet["A1"].font = Font(bold=True, size=13)
    header = [
        _("Fiche-action"),
        _("Pilote"),
        _("État d'avancement"),
        _("Indicateur"),
        _("Cible"),
        _("Valeur"),
        _("Mesure"),
    ]
    for summary in axis_summaries(scope):
        append_row(sheet, [])
        append_row(sheet, [str(summary.axis)])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True)
        append_row(sheet, header)
        for item in summary.actions:
            progress = (
                f"{item.progress.get_state_display()} ({item.progress.on:%d/%m/%Y})"
                if item.progress
                else _("non renseigné")
            )
            fiche = [str(item.action), str(item.action.pilot), progress]
            if not item.indicators:
                append_row(sheet, [*fiche, _("aucun indicateur")])
            for status in item.indicators:
                label = f"{status.indicator.label} ({status.indicator.unit})"
                append_row(sheet, [*fiche, label, status.target, status.value, status.measured])
    for column, width in zip("ABCDEFG", (45, 25, 25, 40, 10, 10, 45), strict=True):
        sheet.column_dimensions[column].width = width
