"""A period report names communes, groups and units as they were on the period's end (issue 9): the
2014-2018 review reads as a 2018 document, a report after the reform uses the new names."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.communes.models import Commune
from apps.communes.services import rename
from apps.reports.documents import report_tables
from apps.reports.selectors import report_figures
from apps.units.models import Unit, UnitGroup

SUMMARY = reverse("reports:summary")
REVIEW = {"from": "2014-02-14", "to": "2018-10-24"}
REVIEW_END = datetime.date(2018, 10, 24)
REFORM = datetime.date(2025, 7, 1)
AFTER_THE_REFORM = {"from": "2025-07-01", "to": "2026-10-31", "commune": "TAY_HOA_2025"}


@pytest.fixture
def leader_client(client, leader):
    client.force_login(leader)
    return client


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _workbook_text(content: bytes) -> str:
    book = load_workbook(io.BytesIO(content))
    return " ".join(
        str(cell) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True) for cell in row if cell
    )


def _rename_after_the_reform() -> tuple[UnitGroup, Unit]:
    """A 2014 group and a unit of the review's good results take new names from 01/7/2025."""
    group = rename(UnitGroup.objects.get(code="NHOM_2014_1"), name="Nhóm 1 (giúp xã Tây Hòa)", on=REFORM)
    unit = Unit.objects.filter(donations__date__range=(datetime.date(2014, 2, 14), REVIEW_END)).first()
    unit = rename(unit, name="Ban Tuyên giáo (đổi tên)", on=REFORM)
    return group, unit


def test_the_2014_2018_review_names_nothing_of_the_2025_reform(leader_client):
    group, unit = _rename_after_the_reform()
    page = _squeeze(leader_client.get(SUMMARY, REVIEW).text)
    cells = _workbook_text(leader_client.get(SUMMARY, {**REVIEW, "format": "xlsx"}).content)
    # The communes made in 2025 whose names no commune of 2018 bore ("Xã Tây Hòa").
    old_names = set(Commune.objects.filter(successor__isnull=False).values_list("name", flat=True))
    new_communes = [
        str(c) for c in Commune.objects.filter(predecessors__isnull=False).distinct() if c.name not in old_names
    ]
    assert new_communes
    for text in (page, cells):
        assert "nay thuộc" not in text
        assert "2025" not in text
        for name in new_communes:
            assert not re.search(re.escape(name) + r"(?!\w| \w)", text), name
        assert group.name not in text and "(đổi tên)" not in text
        assert "Nhóm 1 (2014-2018)" in text  # the group under its 2018 name
    assert "Xã Hòa Bình 1" in cells


def test_a_report_after_the_reform_uses_the_names_of_its_period(leader_client):
    group = rename(UnitGroup.objects.get(code="NHOM_TINH_TAY_HOA"), name="Nhóm cơ quan tỉnh (tên mới)", on=REFORM)
    cells = _workbook_text(leader_client.get(SUMMARY, {**AFTER_THE_REFORM, "format": "xlsx"}).content)
    page = _squeeze(leader_client.get(SUMMARY, AFTER_THE_REFORM).text)
    for text in (page, cells):
        assert "nay thuộc" not in text
        assert group.name in text and "Nhóm cơ quan tỉnh giúp đỡ xã Tây Hòa" not in text
    assert "Xã Tây Hòa" in cells


def test_two_communes_of_a_period_with_the_same_name_are_told_apart(db):
    figures = report_figures(start=datetime.date(2025, 1, 1), end=datetime.date(2026, 10, 31))
    communes = next(table for table in report_tables(figures) if table["key"] == "communes")
    names = [row[0] for row in communes["rows"]]
    assert "Xã Hòa Thịnh (trước 01/7/2025)" in names and "Xã Hòa Thịnh" in names
    assert not any("nay thuộc" in name for name in names)
