"""Importing former names (issue 9): a record's name history, all or nothing, re-import changes nothing."""

import datetime

import pytest

from apps.communes.models import CommuneName
from apps.units.models import UnitName
from tests.factories import CommuneFactory, UnitFactory

pytestmark = pytest.mark.django_db

HEADER = ["code", "name", "start", "end"]


@pytest.fixture(autouse=True)
def records():
    return CommuneFactory(code="TNAME_XA", name="Hòa Bình Mới"), UnitFactory(code="TNAME_DV", name="Phòng Nội vụ")


def test_former_names_are_imported_and_documents_of_then_read_them(run_import):
    rows = [HEADER, ["TNAME_XA", "Hòa Bình", "01/01/2000", "30/06/2025"]]
    outcome = run_import("commune_names", rows)
    assert outcome.code == 0, outcome.err
    commune = CommuneName.objects.get(commune__code="TNAME_XA").commune
    assert commune.name_on(datetime.date(2018, 10, 24)) == "Hòa Bình"
    assert commune.name_on(datetime.date(2025, 7, 1)) == "Hòa Bình Mới"

    again = run_import("commune_names", rows)
    assert again.code == 0
    assert "0 created, 0 updated, 1 unchanged" in again.out, again.out


def test_a_bad_names_file_writes_nothing_and_reports_every_bad_row(run_import):
    bad = [
        HEADER,
        ["TNAME_DV", "Phòng Lao động - Thương binh và Xã hội", "01/01/2014", "28/02/2025"],
        ["NO_SUCH_UNIT", "Phòng Y tế", "01/01/2014", "28/02/2025"],
        ["TNAME_DV", "Phòng Tư pháp", "01/01/2020", "31/12/2020"],  # overlaps row 2
        ["TNAME_DV", "Phòng Y tế", "01/03/2025", "28/02/2025"],  # ends before it starts
        ["TNAME_DV", "", "01/01/2010", "31/12/2010"],  # no name
    ]
    outcome = run_import("unit_names", bad)

    assert outcome.code == 1
    assert not UnitName.objects.filter(unit__code="TNAME_DV").exists()
    lines = outcome.lines
    assert any(line.startswith("row 3, column code") and "NO_SUCH_UNIT" in line for line in lines), lines
    assert any(line.startswith("row 4,") for line in lines), lines
    assert any(line.startswith("row 5, column end") for line in lines), lines
    assert any(line.startswith("row 6, column name") for line in lines), lines
    assert not any(line.startswith("row 2,") for line in lines)
