"""Property test (hypothesis): any text in a donation's number and date cells is a row error or a correct import.

Never an exception, never a partial write (issue 11).
"""

import itertools
import re
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from apps.donations.models import Donation
from tests.factories import HouseholdFactory, UnitFactory

pytestmark = pytest.mark.django_db

HEADER = ["reference", "date", "unit_code", "kind", "amount_vnd", "item_code", "quantity", "labour_days"]
HEADER += ["beneficiary_kind", "beneficiary_code"]
# Anything a CSV cell can hold (no NUL: a file with one is refused whole, see test_bad_files).
CELL = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=25)
NUMBER_LIKE = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20).map(str), st.from_regex(r"\A[0-9.,]{1,20}\Z"), CELL
)
DATE_LIKE = st.one_of(st.dates().map(lambda day: f"{day:%d/%m/%Y}"), CELL)
# A bare CR or LF in an unquoted cell ends the CSV record there, so the rest of the row is read as row 3.
ERROR_LINE = re.compile(r"^row [23], column [a-z_]+: .+$")
references = itertools.count(1)


@pytest.fixture
def place(db):
    return {"unit": UnitFactory(), "household": HouseholdFactory()}


@settings(max_examples=60, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kind=st.sampled_from(["money", "goods", "labour"]), amount=NUMBER_LIKE, quantity=NUMBER_LIKE, date=DATE_LIKE)
def test_any_number_or_date_cell_is_a_row_error_or_a_correct_import(run_import, place, kind, amount, quantity, date):
    reference = f"TPROP-{next(references)}"
    item, days = ("gao", "") if kind == "goods" else ("", quantity if kind == "labour" else "")
    quantity = quantity if kind == "goods" else ""
    amount = amount if kind == "money" else ""
    row = [
        reference,
        date,
        place["unit"].code,
        kind,
        amount,
        item,
        quantity,
        days,
        "household",
        place["household"].code,
    ]
    before = Donation.objects.count()

    outcome = run_import("donations", [HEADER, row])

    if outcome.code == 0:
        assert Donation.objects.count() == before + 1
        donation = Donation.objects.get(reference=reference)
        if kind == "money":
            assert donation.amount_vnd == int(re.sub(r"[ .\u00a0]", "", amount.strip()))
        figure = {"goods": donation.quantity, "labour": donation.labour_days}.get(kind)
        assert figure is None or Decimal(0) < figure
    else:
        assert outcome.code == 1 and outcome.lines, outcome.err
        assert all(ERROR_LINE.match(line) for line in outcome.lines), outcome.lines
        assert Donation.objects.count() == before
