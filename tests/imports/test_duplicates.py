"""Likely duplicate households are flagged as warnings, never silently merged."""

import pytest

from apps.households.models import Household
from tests.factories import HouseholdFactory, VillageFactory

pytestmark = pytest.mark.django_db

HEADER = ["code", "village_code", "head_name", "id_number"]


def test_a_head_name_that_differs_only_in_case_spacing_and_diacritics_is_flagged_against_the_database(run_import):
    existing = HouseholdFactory(head_name="Đặng Thị Hoà", id_number="")

    outcome = run_import("households", [HEADER, ["TIMP-H", existing.village.code, "  dang  thi HOA ", ""]])

    assert outcome.code == 0
    assert (
        f"row 2, column head_name: likely the same household as {existing.code} (same village and head name)"
        in outcome.out
    )
    assert Household.objects.filter(code="TIMP-H").exists(), "a warning must not stop the import"


def test_the_same_name_in_another_village_is_not_flagged(run_import):
    existing = HouseholdFactory(head_name="Đặng Thị Hoà", id_number="")

    outcome = run_import("households", [HEADER, ["TIMP-H", VillageFactory().code, "Đặng Thị Hoà", ""]])

    assert existing.code not in outcome.out


def test_the_same_id_number_is_flagged_within_the_file_and_against_the_database(run_import):
    existing = HouseholdFactory(id_number="054000000001")
    village = existing.village.code

    outcome = run_import(
        "households",
        [
            HEADER,
            ["TIMP-H1", village, "Người Một", "054000000001"],
            ["TIMP-H2", village, "Người Hai", "054000000002"],
            ["TIMP-H3", village, "Người Ba", "054000000002"],
        ],
    )

    assert f"row 2, column id_number: likely the same household as {existing.code} (same ID number)" in outcome.out
    assert "row 4, column id_number: likely the same household as row 3 (same ID number)" in outcome.out
    assert Household.objects.filter(code__in=["TIMP-H1", "TIMP-H2", "TIMP-H3"]).count() == 3


def test_two_rows_of_one_file_with_the_same_village_and_head_name_are_flagged(run_import):
    village = VillageFactory().code

    outcome = run_import(
        "households", [HEADER, ["TIMP-H1", village, "Lê Văn Đức", ""], ["TIMP-H2", village, "Le Van Duc", ""]]
    )

    assert "row 3, column head_name: likely the same household as row 2 (same village and head name)" in outcome.out


def test_reimporting_a_household_does_not_flag_it_as_its_own_duplicate(run_import):
    existing = HouseholdFactory()

    outcome = run_import(
        "households", [HEADER, [existing.code, existing.village.code, existing.head_name, existing.id_number]]
    )

    assert "likely" not in outcome.out
    assert "0 created, 0 updated, 1 unchanged" in outcome.out
