"""Exports a spreadsheet opens never hold a formula (core.spreadsheet)."""

import csv
import io

import pytest
from openpyxl import Workbook, load_workbook

from core.spreadsheet import FORMULA_TRIGGERS, append_row, csv_writer

FORMULA = '=HYPERLINK("http://x","y")'


def _csv_cells(values) -> list[str]:
    buffer = io.StringIO()
    csv_writer(buffer, delimiter=";").writerow(values)
    return next(csv.reader(io.StringIO(buffer.getvalue()), delimiter=";"))


def _xlsx_cells(values):
    book = Workbook()
    append_row(book.active, values)
    output = io.BytesIO()
    book.save(output)
    return list(load_workbook(io.BytesIO(output.getvalue())).active.iter_rows())[0]


@pytest.mark.parametrize("trigger", FORMULA_TRIGGERS, ids=repr)
def test_it_writes_a_csv_cell_starting_like_a_formula_behind_a_single_quote(trigger):
    text = f"{trigger}cmd|' /C calc'!A0"

    [cell] = _csv_cells([text])

    assert cell.startswith("'") and cell[1] == trigger


def test_it_leaves_plain_csv_text_and_numbers_as_they_are():
    assert _csv_cells(["GSN-2026-0042", 12, "-12", "192.0.2.7"]) == ["GSN-2026-0042", "12", "-12", "192.0.2.7"]


@pytest.mark.parametrize("trigger", FORMULA_TRIGGERS, ids=repr)
def test_it_writes_an_xlsx_cell_starting_like_a_formula_as_its_text_and_never_a_formula(trigger):
    text = f"{trigger}SUM(1+1)"

    [cell] = _xlsx_cells([text])

    # XML reads a carriage return back as a line feed: the text is otherwise the one written.
    assert cell.data_type == "s" and cell.value == text.replace("\r", "\n") and cell.quotePrefix


def test_a_formula_would_be_a_formula_cell_without_the_helper():
    """The check of the test above can fail: plain openpyxl makes this text a formula."""
    book = Workbook()
    book.active.append([FORMULA])
    output = io.BytesIO()
    book.save(output)
    assert load_workbook(io.BytesIO(output.getvalue())).active["A1"].data_type == "f"


def test_it_leaves_plain_xlsx_values_as_they_are():
    cells = _xlsx_cells(["Axe 1 : prévention", 12, -12])

    assert [(c.value, c.data_type, c.quotePrefix) for c in cells] == [
        ("Axe 1 : prévention", "s", False),
        (12, "n", False),
        (-12, "n", False),
    ]
