"""What the portal's spreadsheet downloads share (report tables, import templates, admin lists, open-data CSV).

Every workbook the portal writes puts its values through :func:`write_cell`, so that text taken from the
records (a unit called ``=HYPERLINK(…)``, a note ``@SUM(A1)``) never runs as a formula: not when the file
is opened, and not when someone edits the cell in Excel or LibreOffice and presses Enter.
"""

from __future__ import annotations

from typing import Any

from openpyxl.cell.cell import Cell
from openpyxl.worksheet.worksheet import Worksheet

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# A text cell starting with one of these is a formula to Excel and LibreOffice ("CSV injection");
# the full-width forms too, which an East Asian input method may turn into the ASCII ones.
FORMULA_STARTS = ("=", "+", "-", "@", "＝", "＋", "－", "＠")
# Control characters a spreadsheet skips before it reads the rest of the cell.
FORMULA_LEADS = ("\t", "\r", "\n")


def looks_like_formula(text: str) -> bool:
    """Whether a spreadsheet could read this text as a formula once the cell is edited."""
    return text.startswith(FORMULA_LEADS) or text.lstrip().startswith(FORMULA_STARTS)


def write_cell(sheet: Worksheet, row: int, column: int, value: Any) -> Cell:
    """Put ``value`` in a cell: numbers and dates stay typed, text is always a string cell.

    Text that looks like a formula is marked quote-prefixed as well (Excel's leading apostrophe, kept
    out of the visible text), so editing the cell keeps it text. ``None`` leaves the cell empty.
    """
    cell = sheet.cell(row=row, column=column)
    if value is None:
        return cell
    cell.value = value
    if isinstance(value, str):
        # openpyxl makes any "=…" a formula cell: store every text as an explicit string instead.
        cell.data_type = "s"
        if looks_like_formula(value):
            cell.quotePrefix = True
    return cell


def csv_cell(value: Any) -> Any:
    """A value for a CSV file: text that looks like a formula gets a leading apostrophe (OWASP's advice for CSV,
    which has no quote-prefix flag); numbers and other text are written as they are."""
    if isinstance(value, str) and looks_like_formula(value):
        return f"'{value}"
    return value
