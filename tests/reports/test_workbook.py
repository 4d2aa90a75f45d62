"""The report's workbook is one people can use: whole sheet names with a contents list, dates as dates, one
column per item with its measure, totals as numbers, A4 print set-up; and LibreOffice reads it so."""

import csv
import datetime
import io
import subprocess

import pytest
from django.urls import reverse
from openpyxl import load_workbook

REVIEW = {"from": "2014-02-14", "to": "2018-10-24"}


@pytest.fixture
def workbook_bytes(client, leader):
    client.force_login(leader)
    response = client.get(reverse("reports:summary"), {**REVIEW, "format": "xlsx"})
    assert response.status_code == 200
    return response.content


@pytest.fixture
def book(workbook_bytes):
    return load_workbook(io.BytesIO(workbook_bytes))


def test_sheet_names_are_whole_and_listed_with_their_titles(book):
    names = book.sheetnames
    assert names[0] == "Báo cáo"
    assert {"Theo khối", "Theo nhóm", "Theo xã", "Đăng ký theo đơn vị", "Danh sách đăng ký"} <= set(names)
    cover = book["Báo cáo"]
    listed = {row[0].value: row[1].value for row in cover.iter_rows() if row[0].hyperlink}
    assert set(listed) == set(names[1:])
    assert listed["Theo nhóm"] == book["Theo nhóm"]["A1"].value.split(" - ")[0]


def test_goods_have_one_numeric_column_per_item_and_the_groups_add_up_to_the_total(book):
    sheet = book["Theo nhóm"]
    header = [cell.value for cell in sheet[2]]
    assert "Gạo (kg)" in header and "Xe đạp (chiếc)" in header
    assert not any(h == "Hiện vật" for h in header)
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=3)]
    total = rows[-1]
    assert total[0] == "Tổng cộng"
    rice = header.index("Gạo (kg)")
    assert total[rice] == sum(row[rice] for row in rows[:-1]) == 1039
    money = header.index("Tiền mặt (đồng)") if "Tiền mặt (đồng)" in header else 1
    assert total[money] == 1_244_970_000


def test_dates_are_dates_and_print_set_up_is_a4_with_repeated_headers(book):
    sheet = book["Danh sách đăng ký"]
    header = [cell.value for cell in sheet[2]]
    until = header.index("Đến ngày")
    cells = [row[until] for row in sheet.iter_rows(min_row=3) if row[0].value != "Tổng cộng"]
    assert cells and all(isinstance(c.value, datetime.datetime) for c in cells)
    assert cells[0].number_format == "dd/mm/yyyy"
    assert int(sheet.page_setup.paperSize) == 9  # A4
    assert sheet.page_setup.orientation == "landscape"
    assert sheet.print_title_rows in ("1:2", "$1:$2")
    assert sheet.freeze_panes == "B3"
    assert book["Theo khối"].page_setup.orientation == "portrait"


def test_libreoffice_reads_numbers_and_dates(workbook_bytes, book, tmp_path):
    """LibreOffice converts the pledge list sheet to CSV: amounts come out as plain numbers, dates as dates."""
    source = tmp_path / "bao-cao.xlsx"
    source.write_bytes(workbook_bytes)
    sheet_number = book.sheetnames.index("Danh sách đăng ký") + 1
    # CSV filter options: comma, double quote, UTF-8, from line 1, …, cell values not "as shown", then the sheet.
    # Values not as shown: a number cell comes out as its bare value (3600000), a date cell in LibreOffice's
    # default date form (en-US, 10/24/2018); text would come out as typed ("24/10/2018", "3.600.000").
    options = f"44,34,76,1,,1033,false,true,false,false,false,{sheet_number}"
    subprocess.run(
        [
            "soffice",
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--headless",
            "--convert-to",
            f"csv:Text - txt - csv (StarCalc):{options}",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    produced = sorted(tmp_path.glob("*.csv"))
    assert produced, "LibreOffice wrote no CSV"
    rows = list(csv.reader(produced[0].open(encoding="utf-8")))
    header = rows[1]
    until, promised = header.index("Đến ngày"), header.index("Tiền đăng ký (đồng)")
    data = [row for row in rows[2:] if row and row[0] != "Tổng cộng"]
    total = next(row for row in rows if row and row[0] == "Tổng cộng")
    for row in data:
        datetime.datetime.strptime(row[until], "%m/%d/%Y")  # a date cell, not the text "24/10/2018"
    assert all(row[promised].isdigit() for row in data)  # numbers, not "3.600.000"
    amounts = [int(row[promised]) for row in data]
    assert int(total[promised]) == sum(amounts) > 0
