"""The demo district's 4-year review (14/02/2014 - 24/10/2018) reproduces the published figures
(PROGRAMME.md) in the HTML page, the PDF and the workbook."""

import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

REVIEW = {"from": "2014-02-14", "to": "2018-10-24"}
# Figures as the review states them, grouped the Vietnamese way.
PHRASES = [
    "gần 500 triệu đồng",
    "trên 745 triệu đồng",
    "49.000.000",
    "30 kg gạo, 48 kg đường",
    "1.009 kg gạo, 97 bộ sách, 1.075 quyển vở, 59 bộ quần áo, 17 chiếc xe đạp",
    "1.325",
    "796",
    "Tây Hòa, ngày 24 tháng 10 năm 2018",
]


@pytest.fixture
def leader_client(client, leader):
    client.force_login(leader)
    return client


def _squeeze(text: str) -> str:
    """PDF text comes back with justified lines broken anywhere; compare with single spaces."""
    return re.sub(r"\s+", " ", text)


def test_review_page_shows_the_published_figures(leader_client):
    response = leader_client.get(reverse("reports:summary"), REVIEW)
    assert response.status_code == 200
    text = _squeeze(response.text)
    for phrase in PHRASES:
        assert phrase in text
    assert "40 ngày công" in text
    assert "Bảy trăm bốn mươi lăm triệu" in text  # the "Bằng chữ" line of the committees' money


def test_review_pdf_shows_the_published_figures(leader_client):
    response = leader_client.get(reverse("reports:summary"), {**REVIEW, "format": "pdf"})
    reader = PdfReader(io.BytesIO(response.content))
    text = _squeeze(" ".join(page.extract_text() for page in reader.pages))
    for phrase in PHRASES:
        assert phrase in text
    assert "40 ngày công" in text


def test_review_workbook_holds_the_published_figures_as_numbers(leader_client):
    response = leader_client.get(reverse("reports:summary"), {**REVIEW, "format": "xlsx"})
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[0] == "Báo cáo"  # the letterhead first, then one sheet per table
    sectors = book.worksheets[1]
    rows = [[cell.value for cell in row] for row in sectors.iter_rows(min_row=3)]
    by_label = {row[0]: row[1:] for row in rows}
    # Columns: district units' groups, commune party committees, total.
    assert by_label["Gạo (kg)"] == [30, 1009, 1039]
    assert by_label["Đường (kg)"][0] == 48
    assert by_label["Sách (bộ)"][1] == 97
    assert by_label["Vở (quyển)"][1] == 1075
    assert by_label["Quần áo (bộ)"][1] == 59
    assert by_label["Xe đạp (chiếc)"][1] == 17
    numbers = [row[1:] for row in rows]
    assert [49_000_000, 0, 49_000_000] in numbers  # loans
    assert [0, 40, 40] in numbers  # labour days
    money = next(row for row in numbers if 499_000_000 < row[0] < 500_000_000)
    assert 745_000_000 < money[1] < 746_000_000
    assert money[2] == money[0] + money[1]
    visits = next(row for row in numbers if row[2] == 1325)
    assert visits[0] + visits[1] == 1325
    assert any(row[2] == 796 for row in numbers)
    assert all(cell.number_format == "#,##0" for row in sectors.iter_rows(min_row=3, min_col=2) for cell in row)
