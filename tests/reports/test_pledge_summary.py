"""The report's body sums pledges per group and per unit; the list of every pledge is in the workbook only."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.reports import documents
from apps.reports.documents import UNITS_BEHIND_SHOWN, _pledges_by_group_table, report_tables
from apps.reports.selectors import report_figures
from tests.factories import GroupMembershipFactory, PledgeFactory, UnitFactory
from tests.reports.conftest import PERIOD

REVIEW = {"from": "2014-02-14", "to": "2018-10-24"}
PLEDGE_CODE = re.compile(r"DK-\d{4}-\d{4}")


@pytest.fixture
def leader_client(client, leader):
    client.force_login(leader)
    return client


def test_body_sums_pledges_and_lists_none(leader_client):
    response = leader_client.get(reverse("reports:summary"), REVIEW)
    figures = response.context["figures"]
    tables = {t["key"]: t for t in response.context["tables"]}
    assert figures["pledges"]["count"] > 100
    # No pledge's code in the page: the list of every pledge is not in the body, nor read for it.
    assert "pledge_list" not in figures
    assert not PLEDGE_CODE.search(response.text)
    assert "Đăng ký giúp đỡ theo nhóm cơ quan, đơn vị" in response.text
    assert "Đăng ký giúp đỡ theo từng cơ quan, đơn vị" in response.text
    # Per group and per unit, the pledges add up to the report's count, in every status.
    for key in ("pledge_groups", "pledge_units"):
        rows = tables[key]["rows"]
        first = 2  # name, then the units (groups) or the group (units), then the counts
        assert sum(row[first] for row in rows) == figures["pledges"]["count"]
        for n, status in enumerate(("fulfilled", "on_track", "behind", "overdue"), start=first + 1):
            assert sum(row[n] for row in rows) == figures["pledges"][status]
        assert sum(row[first + 5] for row in rows) == figures["pledges"]["promised_vnd"]
        assert sum(row[first + 6] for row in rows) == figures["pledges"]["given_vnd"]
    units = {row[0] for row in tables["pledge_units"]["rows"]}
    assert len(units) == len(tables["pledge_units"]["rows"])  # one row per unit
    assert sum(row[1] for row in tables["pledge_groups"]["rows"]) == len(units)


def test_a_group_whose_units_are_of_two_sectors_is_one_row():
    def pledge(unit, sector, group, status):
        return {
            "unit": unit,
            "unit_sector": sector,
            "group": group,
            "status": status,
            "promised_vnd": 10,
            "given_vnd": 5,
        }

    pledges = [
        pledge("A", "district_units", "Nhóm 1", "fulfilled"),
        pledge("B", "commune_committees", "Nhóm 1", "behind"),
        pledge("C", "district_units", None, "overdue"),
        pledge("D", "commune_committees", None, "on_track"),
    ]
    rows = _pledges_by_group_table(pledges, {"commune_committees": "Đảng ủy các xã"})["rows"]
    # Nhóm 1 once, with both its units and pledges; then one row per sector of the units in no group.
    assert [row[:3] for row in rows] == [["Nhóm 1", 2, 2], ["Đảng ủy các xã", 1, 1], ["Đơn vị không thuộc nhóm", 1, 1]]


def test_workbook_keeps_every_pledge(leader_client):
    response = leader_client.get(reverse("reports:summary"), {**REVIEW, "format": "xlsx"})
    book = load_workbook(io.BytesIO(response.content))
    codes = {
        cell.value
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and PLEDGE_CODE.fullmatch(cell.value)
    }
    html = leader_client.get(reverse("reports:summary"), REVIEW)
    assert len(codes) == html.context["figures"]["pledges"]["count"]


def test_the_pledges_summed_make_the_tables_the_list_of_every_pledge_makes(db):
    """The page sums the pledges per unit, group and status in the database; a report approved before that
    keeps only the list of every pledge: both give the same tables (a unit with its group when its latest
    pledge began, the demo's units changing groups in 2018 and 2025)."""
    figures = report_figures(start=datetime.date(2014, 2, 14), end=datetime.date(2026, 10, 31))
    listed = {key: value for key, value in figures.items() if key != "pledge_counts"}
    summed = {t["key"]: t for t in report_tables(figures)}
    from_the_list = {t["key"]: t for t in report_tables(listed)}
    for key in ("pledge_groups", "pledge_units"):
        assert summed[key] == from_the_list[key]
    assert len(summed["pledge_units"]["rows"]) > 50
    assert sum(row[2] for row in summed["pledge_groups"]["rows"]) == len(figures["pledge_list"])


def test_the_body_names_the_units_furthest_behind_and_the_workbook_every_one(leader_client, small_programme):
    """A province has hundreds of units behind: the page and the PDF name the ones with most pledges overdue,
    say how many more there are, and the workbook lists them all."""
    period = {"from": PERIOD[0].isoformat(), "to": PERIOD[1].isoformat(), "group": small_programme.group.code}
    units = [UnitFactory(name=f"Đơn vị chậm {n:02d}") for n in range(UNITS_BEHIND_SHOWN + 4)]
    for n, unit in enumerate(units):
        GroupMembershipFactory(unit=unit, group=small_programme.group, start=datetime.date(2007, 1, 1))
        # Ended in the period and never given toward: overdue; the first four units twice.
        for _ in range(2 if n < 4 else 1):
            PledgeFactory(unit=unit, household=small_programme.households[0], start=PERIOD[0], end=PERIOD[1])

    page = leader_client.get(reverse("reports:summary"), period)
    [behind] = [t for t in page.context["tables"] if t["key"] == "behind"]
    assert len(behind["rows"]) == UNITS_BEHIND_SHOWN
    assert [row[0] for row in behind["rows"][:4]] == [f"Đơn vị chậm {n:02d}" for n in range(4)]
    assert "Và 4 đơn vị khác, có tên trong tệp Excel của báo cáo này" in page.text

    workbook = leader_client.get(reverse("reports:summary"), {**period, "format": "xlsx"})
    book = load_workbook(io.BytesIO(workbook.content), read_only=True)
    names = {row[0] for row in book["Đơn vị chậm thực hiện"].iter_rows(values_only=True)}
    assert {unit.name for unit in units} <= names


def test_a_report_of_more_units_than_the_appendix_holds_sends_them_to_the_workbook(leader_client, monkeypatch):
    """A province's whole programme has 2.000 units: 80 landscape pages that the PDF took 16 s to lay out. Above
    APPENDIX_UNITS the report has no appendix and says where each unit's pledges are; the workbook has them all."""
    with_appendix = leader_client.get(reverse("reports:summary"), REVIEW)
    [units] = [t for t in with_appendix.context["tables"] if t["key"] == "pledge_units"]
    assert "PHỤ LỤC: KẾT QUẢ THỰC HIỆN ĐĂNG KÝ" in with_appendix.text
    assert "có trong tệp Excel của báo cáo này." not in with_appendix.text
    count = len(units["rows"])

    monkeypatch.setattr(documents, "APPENDIX_UNITS", count - 1)
    page = leader_client.get(reverse("reports:summary"), REVIEW)
    assert "PHỤ LỤC" not in page.text
    assert 'class="figures figures-pledge_units"' not in page.text
    note = f"Số đăng ký theo tình trạng của từng cơ quan, đơn vị ({count} đơn vị) có trong tệp Excel của báo cáo này."
    assert note in page.text
    # The groups' table is still in the body, and adds up to every pledge.
    [groups] = [t for t in page.context["tables"] if t["key"] == "pledge_groups"]
    assert sum(row[2] for row in groups["rows"]) == page.context["figures"]["pledges"]["count"]

    workbook = leader_client.get(reverse("reports:summary"), {**REVIEW, "format": "xlsx"})
    book = load_workbook(io.BytesIO(workbook.content), read_only=True)
    names = {row[1] for row in book["Đăng ký theo đơn vị"].iter_rows(values_only=True) if len(row) > 1}
    assert {row[0] for row in units["rows"]} <= names
