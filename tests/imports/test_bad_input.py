"""Cells no record can hold: a row error with a clear message, never a server error, nothing written (issue 11)."""

import pytest

from apps.donations.models import Donation
from apps.households.models import Household
from tests.factories import HouseholdFactory, UnitFactory, VillageFactory

pytestmark = pytest.mark.django_db

HEADER = ["reference", "date", "unit_code", "kind", "amount_vnd", "item_code", "quantity", "labour_days"]
HEADER += ["beneficiary_kind", "beneficiary_code"]


@pytest.fixture
def row(db):
    unit, household = UnitFactory(), HouseholdFactory()

    def make(date="10/05/2016", kind="money", amount="1.500.000", item="", quantity="", days=""):
        return ["TBAD-1", date, unit.code, kind, amount, item, quantity, days, "household", household.code]

    return make


@pytest.mark.parametrize(
    ("cells", "column", "says"),
    [
        ({"amount": "²"}, "amount_vnd", "digits 0 to 9"),
        ({"amount": "١٢٣٤٥"}, "amount_vnd", "digits 0 to 9"),
        ({"amount": "１０００"}, "amount_vnd", "digits 0 to 9"),
        ({"amount": "9.223.372.036.854.775.807"}, "amount_vnd", "100.000.000.000"),
        ({"amount": "99999999999999999999999"}, "amount_vnd", "100.000.000.000"),
        ({"amount": "100.000.000.001"}, "amount_vnd", "100.000.000.000"),
        ({"kind": "goods", "amount": "", "item": "gao", "quantity": "³"}, "quantity", "digits 0 to 9"),
        ({"kind": "goods", "amount": "", "item": "gao", "quantity": "1.000.001"}, "quantity", "1.000.000"),
        ({"kind": "labour", "amount": "", "days": "٣"}, "labour_days", "digits 0 to 9"),
        ({"kind": "labour", "amount": "", "days": "100.001"}, "labour_days", "100.000"),
        ({"date": "01/01/0001"}, "date", "1900"),
        ({"date": "31/12/9999"}, "date", "2100"),
        ({"date": "٠١/٠١/٢٠١٦"}, "date", "dd/mm/yyyy"),
    ],
)
def test_a_cell_no_donation_can_hold_is_a_row_error_and_nothing_is_written(run_import, row, cells, column, says):
    before = Donation.objects.count()

    outcome = run_import("donations", [HEADER, row(**cells)])

    assert outcome.code == 1
    [line] = outcome.lines
    assert line.startswith(f"row 2, column {column}: ") and says in line, line
    assert Donation.objects.count() == before


def test_the_largest_plausible_amount_is_imported(run_import, row):
    outcome = run_import("donations", [HEADER, row(amount="100.000.000.000")])

    assert outcome.code == 0, outcome.err
    assert Donation.objects.get(reference="TBAD-1").amount_vnd == 100_000_000_000


@pytest.mark.parametrize("size", ["³", "0", "51", "99999"])
def test_an_implausible_household_size_is_a_row_error(run_import, size):
    village = VillageFactory()

    outcome = run_import(
        "households", [["code", "village_code", "head_name", "size"], ["TBAD-H", village.code, "A", size]]
    )

    assert outcome.code == 1
    assert outcome.lines[0].startswith("row 2, column size: ")
    assert not Household.objects.filter(code="TBAD-H").exists()


def test_codes_that_differ_only_in_unicode_normalisation_are_one_household(run_import):
    village = VillageFactory()
    composed, decomposed = "TBAD-H\u1ed8-1", "TBAD-HO\u0323\u0302-1"
    rows = [["code", "village_code", "head_name"], [composed, village.code, "Hà Thị Lụa"]]
    run_import("households", rows)

    outcome = run_import("households", [rows[0], [decomposed, village.code, "Ha\u0300 Thi\u0323 Lu\u0323a"]])

    assert outcome.code == 0, outcome.err
    [household] = Household.objects.filter(code__startswith="TBAD-H")
    assert household.code == composed and household.head_name == "Hà Thị Lụa"
