"""The report and monitoring workbooks keep text from the records as text (issue 11, security review F10)."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import PledgeFactory
from tests.reports.conftest import PERIOD

FORMULAS = ["=1+1", "@SUM(A1)"]


def cells_with(content: bytes, text: str) -> list:
    book = load_workbook(io.BytesIO(content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row if cell.value == text]


@pytest.mark.parametrize("name", FORMULAS)
def test_report_workbook_keeps_a_formula_like_unit_name_as_quote_prefixed_text(client, leader, small_programme, name):
    small_programme.units[0].name = name
    small_programme.units[0].save()
    small_programme.add_donations(3)
    client.force_login(leader)

    response = client.get(
        reverse("reports:summary"),
        {
            "from": PERIOD[0].isoformat(),
            "to": PERIOD[1].isoformat(),
            "group": small_programme.group.code,
            "format": "xlsx",
        },
    )

    assert response.status_code == 200
    cells = cells_with(response.content, name)
    assert cells and all(cell.data_type == "s" and cell.quotePrefix for cell in cells)


@pytest.mark.parametrize("name", FORMULAS)
def test_monitoring_workbook_keeps_a_formula_like_unit_name_as_quote_prefixed_text(
    client, leader, small_programme, name
):
    unit = small_programme.units[0]
    unit.name = name
    unit.save()
    PledgeFactory(
        unit=unit,
        household=small_programme.households[0],
        start=datetime.date(2020, 1, 1),
        end=datetime.date(2021, 1, 1),
        money_vnd=7_000_000,
    )
    client.force_login(leader)

    response = client.get(reverse("reports:monitoring_export", args=["pledges"]), {"months": 3})

    assert response.status_code == 200
    cells = cells_with(response.content, name)
    assert cells and all(cell.data_type == "s" and cell.quotePrefix for cell in cells)
