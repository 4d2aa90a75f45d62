"""New records are written many rows per INSERT (issue 10), still all or nothing, checked and audited as before."""

import pytest
from django.apps import apps
from django.db import connection

from apps.core.signals import records_written_in_bulk
from apps.donations.models import Donation
from apps.imports import importer
from tests.donations.test_figures_exact import assert_kept_tables_equal_a_rebuild, kept_rows
from tests.factories import DonationFactory, HouseholdFactory, UnitFactory

pytestmark = pytest.mark.django_db

HEADER = ["reference", "date", "unit_code", "kind", "amount_vnd", "beneficiary_kind", "beneficiary_code"]
HEADER += ["due_date", "previous_loan_reference"]


def money_rows(count, unit, household, prefix="BULK"):
    return [
        [f"{prefix}-{n:05d}", "10/05/2020", unit.code, "money", "100.000", "household", household.code, "", ""]
        for n in range(1, count + 1)
    ]


def test_more_rows_than_one_batch_are_all_written_and_each_is_audited_as_an_import(run_import):
    unit, household = UnitFactory(), HouseholdFactory()
    count = importer.BATCH_ROWS * 2 + 7
    heard = []
    records_written_in_bulk.connect(lambda sender, **kw: heard.append(sender), weak=False, dispatch_uid="t")
    try:
        outcome = run_import("donations", [HEADER, *money_rows(count, unit, household)])
    finally:
        records_written_in_bulk.disconnect(dispatch_uid="t")

    assert outcome.code == 0, outcome.err
    written = Donation.objects.filter(reference__startswith="BULK-")
    assert written.count() == count
    events = apps.get_model("donations.DonationEvent").objects.filter(pgh_obj__in=written, pgh_label="insert")
    assert events.count() == count
    assert set(events.values_list("pgh_context__metadata__source", flat=True)) == {"import"}
    assert heard == [Donation]  # those listening for writes hear of them once for the whole file
    assert sorted(written.values_list("pk", flat=True)) == sorted(
        events.values_list("pgh_obj_id", flat=True)
    )  # every row's id came back from the INSERT to the record that names it


def test_a_bad_row_after_several_batches_writes_nothing(run_import):
    unit, household = UnitFactory(), HouseholdFactory()
    rows = money_rows(importer.BATCH_ROWS * 2 + 3, unit, household)
    rows[-1][4] = "0"  # money needs an amount: the last row is wrong

    outcome = run_import("donations", [HEADER, *rows])

    assert outcome.code == 1
    assert f"row {len(rows) + 1}, column amount_vnd" in outcome.err
    assert not Donation.objects.filter(reference__startswith="BULK-").exists()


def test_a_row_may_name_a_record_created_earlier_in_the_same_batch(run_import):
    unit, household = UnitFactory(), HouseholdFactory()
    rows = [
        ["BULK-LOAN", "10/05/2020", unit.code, "loan", "5.000.000", "household", household.code, "10/05/2022", ""],
        ["BULK-NEXT", "10/06/2021", unit.code, "loan", "5.000.000", "household", household.code, "", "BULK-LOAN"],
    ]

    outcome = run_import("donations", [HEADER, *rows])

    assert outcome.code == 0, outcome.err
    assert Donation.objects.get(reference="BULK-NEXT").previous_loan == Donation.objects.get(reference="BULK-LOAN")


def test_a_row_the_database_refuses_in_a_batch_is_named_and_nothing_is_written(run_import, monkeypatch):
    """As if another clerk saved the same reference between the file's look-up and its INSERT."""
    unit, household = UnitFactory(), HouseholdFactory()
    taken = DonationFactory(reference="BULK-00003")
    monkeypatch.setattr(importer._KindImport, "existing", lambda self, rows: {})

    outcome = run_import("donations", [HEADER, *money_rows(5, unit, household)])

    assert outcome.code == 1
    assert outcome.lines == [outcome.lines[0]] and outcome.lines[0].startswith("row 4, column reference: ")
    assert list(Donation.objects.filter(reference__startswith="BULK-")) == [taken]


def test_a_dry_run_leaves_the_kept_figures_as_they_were_and_a_real_import_after_it_keeps_them(run_import):
    """A dry run skips the figure tables' upkeep (it is rolled back): the import after it still keeps them exact."""
    unit, household = UnitFactory(), HouseholdFactory()
    DonationFactory(unit=unit, household=household)
    before = kept_rows()

    assert run_import("donations", [HEADER, *money_rows(3, unit, household)], "data.csv", "--dry-run").code == 0
    assert kept_rows() == before
    assert run_import("donations", [HEADER, *money_rows(3, unit, household)]).code == 0

    assert kept_rows() != before
    assert_kept_tables_equal_a_rebuild()
    with connection.cursor() as cursor:
        cursor.execute("SELECT donations_figures_deferred()")
        assert cursor.fetchone() == (False,)  # the setting is back as it was for the rest of the transaction
