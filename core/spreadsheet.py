"""Exports a spreadsheet opens (CSV and XLSX), written so that no cell becomes a formula.

A text that starts with `=`, `+`, `-`, `@`, a tab or a carriage return is read by Excel or
LibreOffice as a formula (« formula injection »): an identifier typed at the login form, a partner's
name or a strategy title would then run as `=HYPERLINK(...)` or worse on the DPO's or the plenary's
computer. Every export of Parcours goes through one helper per format:

- CSV: `csv_writer`, defusedcsv's drop-in writer, which prefixes such a cell with a single quote
  (`'=HYPERLINK(...)`), the form OWASP recommends and spreadsheets show as text; defusedcsv leaves
  plain numbers such as `-12` alone, and also quotes `|` and `%`. It does not know the tab and the
  carriage return, which this module prefixes the same way first.
- XLSX: `append_row` (or `inert_cell`), which keeps the original text but stores the cell as a
  string (openpyxl would make any text starting with `=` a formula) with Excel's own « quote
  prefix » flag, so that the cell shows the text as typed and stays text when someone edits it.
"""

from defusedcsv import csv as defused_csv

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# What defusedcsv does not recognise as a trigger by itself.
_CONTROL_TRIGGERS = ("\t", "\r")


def looks_like_formula(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_TRIGGERS)


class _Writer:
    """defusedcsv's writer, with the leading tab and carriage return quoted too."""

    def __init__(self, writer):
        self._writer = writer

    def writerow(self, row):
        return self._writer.writerow(
            ["'" + value if isinstance(value, str) and value.startswith(_CONTROL_TRIGGERS) else value for value in row]
        )

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def csv_writer(file, **fmtparams) -> _Writer:
    """A `csv.writer` whose cells never start a formula: such a text is written `'` + text."""
    return _Writer(defused_csv.writer(file, **fmtparams))


def inert_cell(sheet, value):
    """An openpyxl cell for `sheet.append` that shows `value` and never holds a formula."""
    from openpyxl.cell.cell import Cell  # heavy, and only the XLSX exports need it (CSV users import this module)

    cell = Cell(sheet, value=value)
    if looks_like_formula(value):
        # Keep the text as typed: a string cell, never a formula ('f'), flagged as Excel does for '=…
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


def append_row(sheet, values) -> None:
    """`sheet.append(values)`, every text cell inert."""
    sheet.append([inert_cell(sheet, value) for value in values])
