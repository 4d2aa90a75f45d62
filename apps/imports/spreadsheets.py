"""Downloadable import templates: one sheet per KIND with the Vietnamese labels and an example row,
and a notes sheet that explains the formats. The examples of the workbook template refer to each
other, so the workbook template imports as it is."""

from __future__ import annotations

import io
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from apps.core.spreadsheets import write_cell
from apps.imports import parsing
from apps.imports.kinds import KINDS, ORDER, Kind

NOTES_SHEET = "Hướng dẫn"
# Columns that hold codes or ID numbers are text cells, so Excel keeps leading zeros.
TEXT_COLUMNS = {"code", "reference", "id_number"}
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
REQUIRED_FILL = PatternFill("solid", fgColor="FCE4D6")

# A second example for donations: the loan that the repayments example pays back.
EXTRA_EXAMPLES: dict[str, list[dict[str, Any]]] = {
    "donations": [
        {
            "reference": "VD-UH2",
            "date": "12/05/2016",
            "unit_code": "VD-DV1",
            "kind": "loan",
            "amount_vnd": "5.000.000",
            "beneficiary_kind": "household",
            "beneficiary_code": "VD-HO1",
            "due_date": "12/05/2018",
            "note": "Cho mượn vốn nuôi bò",
        },
        {
            "reference": "VD-UH3",
            "date": "12/05/2016",
            "unit_code": "VD-DV1",
            "kind": "goods",
            "item_code": "gao",
            "quantity": "1.009",
            "beneficiary_kind": "household",
            "beneficiary_code": "VD-HO1",
        },
    ],
}


def template_bytes(kinds: list[Kind]) -> bytes:
    """An .xlsx with a sheet per KIND (in dependency order) and the notes sheet last."""
    with translation.override("vi"):
        workbook = Workbook()
        workbook.remove(workbook.active)
        for kind in kinds:
            _data_sheet(workbook, kind)
        _notes_sheet(workbook, kinds)
        buffer = io.BytesIO()
        workbook.save(buffer)
    return buffer.getvalue()


def template_for(kind_name: str) -> bytes:
    if kind_name == "workbook":
        return template_bytes([KINDS[name] for name in ORDER])
    return template_bytes([KINDS[kind_name]])


def _data_sheet(workbook: Workbook, kind: Kind) -> None:
    sheet = workbook.create_sheet(kind.name)
    examples = [{column.key: column.example for column in kind.columns}, *EXTRA_EXAMPLES.get(kind.name, [])]
    for index, column in enumerate(kind.columns, start=1):
        header = write_cell(sheet, 1, index, column.label + (" *" if column.required else ""))
        header.font = Font(bold=True)
        header.fill = REQUIRED_FILL if column.required else HEADER_FILL
        header.alignment = Alignment(wrap_text=True, vertical="top")
        for row, example in enumerate(examples, start=2):
            value = example.get(column.key, "")
            if value and isinstance(column.parse, parsing.ChoiceParser):
                value = column.parse.label(value)  # the clerk's word, "hộ", rather than the code "household"
            cell = write_cell(sheet, row, index, _cell(value))
            if column.key in TEXT_COLUMNS or column.key.endswith(("_code", "_reference")):
                cell.number_format = "@"
        sheet.column_dimensions[get_column_letter(index)].width = max(14, len(column.label) + 4)
    sheet.freeze_panes = "A2"


def _cell(value: Any) -> Any:
    return None if value == "" else value


def _notes_sheet(workbook: Workbook, kinds: list[Kind]) -> None:
    sheet = workbook.create_sheet(NOTES_SHEET)
    limit_mb = parsing.MAX_FILE_BYTES // (1024 * 1024)
    general = [
        _("How to fill in this file"),
        _(
            "Row 1 holds the column names: the Vietnamese labels of this template or the keys (code, name, …); "
            "columns marked * are required. Keep one record per row; replace the example rows."
        ),
        _("Dates: dd/mm/yyyy, for example 24/10/2018 (yyyy-mm-dd is accepted too)."),
        _("Money: whole đồng; 1.500.000, 1500000 and 1 500 000 are the same amount."),
        _(
            "Quantities and labour days typed as text: a dot groups thousands and a comma marks decimals "
            "(1.009 is one thousand and nine, 12,5 is twelve and a half); 12.5 is refused, never guessed."
        ),
        _(
            "Yes/no columns: 1/0, có/không, yes/no or true/false. An empty optional cell means “not given” "
            "(an existing record keeps its value)."
        ),
        _(
            "Columns with a fixed list of values (kind, beneficiary, status) take the Vietnamese word, "
            "for example tiền, hiện vật, hộ, học sinh, or its code (money, goods, household, student); "
            "case and diacritics do not matter where the word stays clear. Each column's list is below."
        ),
        _("Type values, not formulas: a cell with a formula is refused."),
        _("Records are matched by their code (or reference): importing the same file twice changes nothing."),
        _("If any row is wrong nothing is imported; every wrong row is listed with its row and column."),
        _("Limits: at most %(mb)s MB and %(rows)s rows of data per file; .xlsx, or .csv saved as UTF-8.")
        % {"mb": limit_mb, "rows": f"{parsing.MAX_ROWS:,}".replace(",", ".")},
    ]
    for row, text in enumerate(general, start=1):
        cell = write_cell(sheet, row, 1, text)
        if row == 1:
            cell.font = Font(bold=True, size=13)
    row = len(general) + 2
    for kind in kinds:
        write_cell(sheet, row, 1, f"{kind.name} ({kind.label})").font = Font(bold=True)
        row += 1
        for number, title in enumerate([_("Column"), _("Key"), _("Required"), _("What to write")], start=1):
            write_cell(sheet, row, number, title).font = Font(italic=True)
        row += 1
        for column in kind.columns:
            write_cell(sheet, row, 1, column.label)
            write_cell(sheet, row, 2, column.key)
            write_cell(sheet, row, 3, _("yes") if column.required else "")
            write_cell(sheet, row, 4, str(column.help) if column.help else "")
            row += 1
        row += 1
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 26
    sheet.column_dimensions["C"].width = 10
    sheet.column_dimensions["D"].width = 90
