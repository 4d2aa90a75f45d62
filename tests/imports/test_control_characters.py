"""NUL and other control characters in an imported file: a message, nothing written, never a server error
(issue 11: PostgreSQL refuses a NUL in a string, and no code the portal's addresses look up holds one)."""

import pytest

from apps.households.models import Household
from tests.factories import VillageFactory
from tests.imports.files import csv_bytes

pytestmark = pytest.mark.django_db


def _households(village, last_row: list[str]) -> list[list[str]]:
    # Enough rows before the bad one that it lies past the first 4 KB, which the file-type check reads.
    rows = [["code", "village_code", "head_name"]]
    rows += [[f"TCTRL-{n}", village.code, "Hà Thị Lụa"] for n in range(300)]
    return [*rows, last_row]


def test_a_nul_far_into_a_csv_refuses_the_file_and_writes_nothing(run_import):
    village = VillageFactory()
    outcome = run_import("households", csv_bytes(_households(village, ["TCTRL-X\x00Y", village.code, "Hà\x00"])))
    assert outcome.code == 1
    assert "not a CSV text file" in outcome.err
    assert not Household.objects.filter(code__startswith="TCTRL-").exists()


@pytest.mark.parametrize("code", ["TCTRL-\x07", "TCTRL-\x1b[31m", "TCTRL-\x7f"])
def test_a_control_character_in_a_code_is_a_row_error(run_import, code):
    village = VillageFactory()
    outcome = run_import("households", _households(village, [code, village.code, "Hà Thị Lụa"]))
    assert outcome.code == 1
    assert outcome.lines == ["row 302, column code: A code cannot contain control characters."]
    assert not Household.objects.filter(code__startswith="TCTRL-").exists()
