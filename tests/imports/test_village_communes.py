"""Importing villages' communes over time (issue 9): the open-ended period moves the village, all or nothing."""

import datetime

import pytest

from apps.communes.models import Commune, Village, VillageCommune
from tests.factories import CommuneFactory, VillageFactory

pytestmark = pytest.mark.django_db

HEADER = ["village_code", "commune_code", "start", "end"]


@pytest.fixture(autouse=True)
def places():
    old = CommuneFactory(code="TIMP_OLD", valid_to=datetime.date(2030, 6, 30))
    new = CommuneFactory(code="TIMP_NEW")
    for n in (1, 2):
        VillageFactory(code=f"TIMP_THON_{n}", commune=old, name=f"Thôn thử {n}")
    return old, new


GOOD = [
    HEADER,
    ["TIMP_THON_1", "TIMP_OLD", "01/01/2000", "30/06/2030"],
    ["TIMP_THON_1", "TIMP_NEW", "01/07/2030", ""],
    ["TIMP_THON_2", "TIMP_OLD", "01/01/2000", ""],
]


def test_a_good_file_records_the_periods_moves_the_village_and_again_changes_nothing(run_import):
    outcome = run_import("village_communes", GOOD)
    assert outcome.code == 0, outcome.err
    moved = Village.objects.get(code="TIMP_THON_1")
    assert moved.commune.code == "TIMP_NEW"
    assert Village.objects.get(code="TIMP_THON_2").commune.code == "TIMP_OLD"
    assert list(moved.commune_periods.order_by("start").values_list("commune__code", flat=True)) == [
        "TIMP_OLD",
        "TIMP_NEW",
    ]
    old = Commune.objects.get(code="TIMP_OLD")
    assert list(Village.objects.in_commune_on(old, datetime.date(2030, 6, 30)).order_by("code")) == [
        moved,
        Village.objects.get(code="TIMP_THON_2"),
    ]

    again = run_import("village_communes", GOOD)
    assert again.code == 0
    assert "0 created, 0 updated, 3 unchanged" in again.out, again.out


def test_a_bad_file_writes_nothing_and_reports_every_bad_row(run_import):
    bad = [
        HEADER,
        ["TIMP_THON_1", "TIMP_OLD", "01/01/2000", "30/06/2030"],
        ["NO_SUCH_VILLAGE", "TIMP_OLD", "01/01/2000", ""],
        ["TIMP_THON_1", "NO_SUCH_COMMUNE", "01/07/2030", ""],
        ["TIMP_THON_1", "TIMP_NEW", "01/01/2030", ""],  # overlaps row 2's period
        ["TIMP_THON_2", "TIMP_NEW", "01/07/2030", "30/06/2030"],  # ends before it starts
    ]
    outcome = run_import("village_communes", bad)

    assert outcome.code == 1
    assert not VillageCommune.objects.filter(village__code__startswith="TIMP").exists()
    assert Village.objects.get(code="TIMP_THON_1").commune.code == "TIMP_OLD"
    lines = outcome.lines
    assert any(line.startswith("row 3, column village_code") and "NO_SUCH_VILLAGE" in line for line in lines), lines
    assert any(line.startswith("row 4, column commune_code") and "NO_SUCH_COMMUNE" in line for line in lines), lines
    assert any(line.startswith("row 5,") and "already belongs to a commune" in line for line in lines), lines
    assert any(line.startswith("row 6, column end") for line in lines), lines
    assert not any(line.startswith("row 2,") for line in lines)
