"""Files that are not what they claim: a clear message, exit status 1, nothing written, never a traceback."""

import datetime
import io
import unicodedata
import zipfile

import pytest
from openpyxl import Workbook

from apps.imports import parsing
from apps.units.models import UnitGroup
from tests.imports.files import csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
GOOD_ROWS = [["code", "name"], ["TIMP-G", "Nhóm Hòa"]]


def refused(outcome, words: str) -> None:
    assert outcome.code == 1
    assert words in outcome.err, outcome.err
    assert not UnitGroup.objects.filter(code="TIMP-G").exists()


def test_an_image_renamed_to_xlsx(run_import):
    refused(run_import("unit_groups", PNG, "anh.xlsx"), "not an Excel workbook but a PNG file")


def test_an_image_renamed_to_csv(run_import):
    refused(run_import("unit_groups", PNG, "anh.csv"), "not a CSV text file but a PNG file")


def test_a_workbook_renamed_to_csv(run_import):
    refused(run_import("unit_groups", xlsx_bytes({"unit_groups": GOOD_ROWS}), "bang.csv"), "name it .xlsx")


def test_a_broken_workbook(run_import):
    content = xlsx_bytes({"unit_groups": GOOD_ROWS})
    refused(run_import("unit_groups", content[: len(content) // 2], "hong.xlsx"), "damaged")


def test_a_zip_bomb(run_import):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\x00" * (30 * 1024 * 1024))
    refused(run_import("unit_groups", buffer.getvalue(), "bom.xlsx"), "refused as unsafe")


def test_a_zip_that_is_not_a_workbook(run_import):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<document/>")
    refused(run_import("unit_groups", buffer.getvalue(), "van_ban.xlsx"), "not a valid Excel workbook")


def test_a_cell_with_a_formula(run_import):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "unit_groups"
    sheet.append(["code", "name"])
    sheet.append(["TIMP-G", '=CONCAT("Nhóm", 1)'])
    buffer = io.BytesIO()
    workbook.save(buffer)

    outcome = run_import("unit_groups", buffer.getvalue(), "cong_thuc.xlsx")

    refused(outcome, "row 2, column name: the cell contains a formula; type the value itself")


def test_more_rows_than_the_limit(run_import):
    rows = [["code", "name"]] + [[f"TIMP-{n}", "x"] for n in range(parsing.MAX_ROWS + 1)]
    refused(run_import("unit_groups", rows), "more than 20.000 rows")


def test_a_file_over_the_size_limit(run_import):
    content = csv_bytes(GOOD_ROWS) + b"x" * (parsing.MAX_FILE_BYTES + 1)
    refused(run_import("unit_groups", content), "larger than 10 MB")


def test_an_empty_file(run_import):
    refused(run_import("unit_groups", b"", "rong.csv"), "The file is empty.")


def test_an_empty_sheet(run_import):
    refused(run_import("unit_groups", {"unit_groups": []}, "rong.xlsx"), "The sheet is empty")


def test_a_header_without_rows(run_import):
    refused(run_import("unit_groups", [["code", "name"]]), "no rows of data")


def test_a_csv_in_a_windows_encoding_is_refused_with_the_way_out(run_import):
    # Windows-1258 writes Vietnamese letters as a base letter plus a combining tone mark.
    rows = [[unicodedata.normalize("NFD", cell) for cell in row] for row in GOOD_ROWS]
    content = csv_bytes(rows, encoding="cp1258")
    refused(run_import("unit_groups", content), "Save As, CSV UTF-8")


@pytest.mark.parametrize(
    "content",
    [
        csv_bytes(GOOD_ROWS, encoding="utf-8-sig"),
        csv_bytes(GOOD_ROWS, encoding="utf-16"),
        csv_bytes(GOOD_ROWS, delimiter=";"),
    ],
    ids=["utf-8 with BOM", "utf-16 (Excel unicode text)", "semicolons"],
)
def test_csv_variants_that_excel_writes_are_read(run_import, content):
    outcome = run_import("unit_groups", content)

    assert outcome.code == 0, outcome.err
    assert UnitGroup.objects.get(code="TIMP-G").name == "Nhóm Hòa"


@pytest.mark.parametrize("name", ["nhom.xls", "nhom.txt", "nhom"])
def test_other_file_types_are_refused(run_import, name):
    refused(run_import("unit_groups", csv_bytes(GOOD_ROWS), name), "Only .xlsx (Excel) and .csv files")


def test_a_workbook_import_needs_an_xlsx_file(run_import):
    refused(run_import("workbook", csv_bytes(GOOD_ROWS), "nhom.csv"), "needs an .xlsx file")


def test_a_workbook_without_any_kind_sheet(run_import):
    refused(run_import("workbook", {"Sheet1": GOOD_ROWS}, "book.xlsx"), "No sheet of this workbook")


def test_a_time_typed_where_a_date_belongs_is_a_cell_error_not_a_formula(run_import):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "group_memberships"
    sheet.append(["unit_code", "group_code", "start"])
    sheet.append(["X", "Y", datetime.time(10, 30)])
    buffer = io.BytesIO()
    workbook.save(buffer)

    outcome = run_import("group_memberships", buffer.getvalue(), "gio.xlsx")

    assert outcome.code == 1
    assert "row 2, column start: Write the date as dd/mm/yyyy" in outcome.err
