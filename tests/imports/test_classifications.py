"""Import kind `classifications`: a review's list, decision, deprivations and causes, all-or-nothing (issue 15)."""

import datetime

import pytest

from apps.households.models import HouseholdStatus
from tests.factories import HouseholdFactory, HouseholdStatusFactory

pytestmark = pytest.mark.django_db

HEADER = ["household_code", "year", "list", "review_round", "decision_number", "decided_on", "deprivations", "causes"]


@pytest.fixture
def households():
    return HouseholdFactory(), HouseholdFactory()


def test_a_good_file_creates_classifications_with_their_deprivations_and_causes(run_import, households):
    first, second = households
    rows = [
        HEADER + ["no_labour_capacity"],
        [
            first.code,
            "2023",
            "poor",
            "",
            "215/QĐ-UBND",
            "15/12/2022",
            "2022_viec_lam; 2022_bao_hiem_y_te, 2022_nha_tieu",
            "thieu_von",
            "có",
        ],
        [
            second.code,
            "2019",
            "near_poor",
            "yearly",
            "88/QĐ-UBND",
            "14/12/2018",
            "2016_tre_em_di_hoc",
            "om_dau, thieu_lao_dong",
            "0",
        ],
        [second.code, "2019", "poor", "during_year", "12/QĐ-UBND", "03/06/2019", "", "", ""],
    ]

    outcome = run_import("classifications", rows)

    assert outcome.code == 0, outcome.err
    assert "3 created" in outcome.out
    poor = HouseholdStatus.objects.get(household=first, year=2023)
    assert poor.standard.code == "CN_2022_2025"
    assert poor.deprivation_codes == ["2022_bao_hiem_y_te", "2022_nha_tieu", "2022_viec_lam"]
    assert poor.cause_codes == ["thieu_von"]
    assert (poor.decision_number, poor.decided_on, poor.no_labour_capacity) == (
        "215/QĐ-UBND",
        datetime.date(2022, 12, 15),
        True,
    )
    assert second.statuses.get(review_round="during_year").decided_on == datetime.date(2019, 6, 3)
    # The same file again changes nothing.
    assert "0 created, 0 updated, 3 unchanged" in run_import("classifications", rows).out


def test_a_yearly_review_enriches_the_yearly_status_of_that_year_whatever_its_date(run_import, households):
    household = households[0]
    HouseholdStatusFactory(household=household, year=2023, status="poor")  # carried over, no decision recorded

    outcome = run_import(
        "classifications",
        [HEADER, [household.code, "2023", "poor", "", "215/QĐ-UBND", "15/12/2022", "2022_viec_lam", ""]],
    )

    assert "0 created, 1 updated" in outcome.out
    assert household.statuses.get().deprivation_codes == ["2022_viec_lam"]


@pytest.mark.parametrize(
    ("bad_row", "column", "reason"),
    [
        (["2023", "poor", "", "", "", "2016_tre_em_di_hoc", ""], "deprivations", "not an indicator of the standard"),
        (["2023", "poor", "", "", "", "khong_co_chi_so", ""], "deprivations", "khong_co_chi_so"),
        (["2023", "poor", "", "", "", "", "luoi"], "causes", "luoi"),
        (["2023", "escaped", "", "", "", "", ""], "list", ""),
        (["2019", "poor", "during_year", "", "", "", ""], "decided_on", "needs the date of its decision"),
        (["2019", "poor", "", "", "01/03/2017", "", ""], "decided_on", "01/09/2018"),
    ],
)
def test_a_bad_row_refuses_the_whole_file(run_import, households, bad_row, column, reason):
    good, other = households
    rows = [HEADER, [good.code, "2023", "poor", "", "", "", "2022_viec_lam", "thieu_von"], [other.code, *bad_row]]

    outcome = run_import("classifications", rows)

    assert outcome.code == 1
    [line] = [line for line in outcome.lines if line.startswith("row 3")]
    assert f"column {column}" in line
    assert reason in line
    assert not HouseholdStatus.objects.filter(household__in=households).exists()
