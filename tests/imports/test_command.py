"""`manage.py import_records`: every KIND, matching, all-or-nothing, dry run, output and exit codes."""

import re
from decimal import Decimal

import pytest

from apps.communes.models import Commune, Village
from apps.donations.models import Donation, Repayment
from apps.households.models import Household, HouseholdStatus
from apps.imports.kinds import KINDS, ORDER
from apps.imports.spreadsheets import template_for
from apps.pledges.models import Pledge
from apps.units.models import Assignment, GroupMembership, Member, Unit, UnitGroup
from tests.factories import (
    DonationFactory,
    HouseholdFactory,
    MemberFactory,
    PledgeFactory,
    RepaymentFactory,
    StudentFactory,
    UnitFactory,
    VillageFactory,
)

pytestmark = pytest.mark.django_db

ERROR_LINE = re.compile(r"^row \d+, column [^:]+: .+$")
DONATION_HEADER = [
    "reference",
    "date",
    "unit_code",
    "kind",
    "amount_vnd",
    "item_code",
    "quantity",
    "labour_days",
    "beneficiary_kind",
    "beneficiary_code",
]


@pytest.fixture
def place():
    household = HouseholdFactory()
    return {
        "unit": UnitFactory(),
        "household": household,
        "village": household.village,
        "commune": household.village.commune,
    }


def donation_row(place, reference="TIMP-1", kind="money", amount="1.500.000", item="", quantity="", days=""):
    return [
        reference,
        "10/05/2016",
        place["unit"].code,
        kind,
        amount,
        item,
        quantity,
        days,
        "household",
        place["household"].code,
    ]


# --- Every KIND ------------------------------------------------------------------------------


def test_the_workbook_template_imports_one_record_of_every_kind(run_import):
    outcome = run_import("workbook", template_for("workbook"), "mau.xlsx")

    assert outcome.code == 0, outcome.err
    for kind in ORDER:
        assert re.search(rf"^{kind}: [1-9]\d* created, 0 updated", outcome.out, re.M), kind
    assert Donation.objects.get(reference="VD-UH3").quantity == Decimal("1009")
    assert Repayment.objects.get(reference="VD-TN1").loan.reference == "VD-UH2"


@pytest.mark.parametrize("kind", ORDER)
def test_each_kind_template_lists_every_column_of_the_contract(kind):
    import io

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(template_for(kind)))[kind]
    headers = [cell.value.rstrip(" *") for cell in sheet[1]]
    assert headers == [column.label for column in KINDS[kind].columns]
    assert any(cell.value not in (None, "") for cell in sheet[2]), "no example row"


def test_communes_with_a_successor_created_earlier_in_the_same_file(run_import):
    outcome = run_import(
        "communes",
        [
            ["code", "name", "kind", "disadvantaged", "successor_code", "valid_to"],
            ["TIMP-NEW", "Xã Mới", "xa", "0", "", ""],
            ["TIMP-OLD", "Xã Cũ", "xa", "có", "TIMP-NEW", "30/06/2025"],
        ],
    )

    assert outcome.code == 0, outcome.err
    old = Commune.objects.get(code="TIMP-OLD")
    assert old.successor.code == "TIMP-NEW" and old.disadvantaged


def test_villages_units_groups_memberships_assignments_and_members(run_import, place):
    commune = place["commune"].code
    assert (
        run_import(
            "villages",
            [["code", "commune_code", "name", "kind", "disadvantaged"], ["TIMP-V", commune, "Buôn Thử", "buon", "1"]],
        ).code
        == 0
    )
    assert run_import("unit_groups", [["code", "name"], ["TIMP-G", "Nhóm thử"]]).code == 0
    assert (
        run_import(
            "units", [["code", "name", "kind", "commune_code"], ["TIMP-U", "Đảng ủy thử", "commune_committee", commune]]
        ).code
        == 0
    )
    assert (
        run_import(
            "group_memberships", [["unit_code", "group_code", "start", "end"], ["TIMP-U", "TIMP-G", "14/02/2014", ""]]
        ).code
        == 0
    )
    assert (
        run_import(
            "assignments",
            [
                ["group_code", "commune_code", "village_code", "start", "end"],
                ["TIMP-G", commune, "TIMP-V", "01/11/2018", ""],
            ],
        ).code
        == 0
    )
    assert (
        run_import(
            "members", [["code", "name", "unit_code", "position"], ["TIMP-M", "Lê Văn Thử", "TIMP-U", "Bí thư"]]
        ).code
        == 0
    )

    assert Village.objects.get(code="TIMP-V").kind == "buon"
    assert Unit.objects.get(code="TIMP-U").commune == place["commune"]
    assert GroupMembership.objects.filter(unit__code="TIMP-U", group__code="TIMP-G").exists()
    assert Assignment.objects.get(group__code="TIMP-G").village.code == "TIMP-V"
    assert Member.objects.get(code="TIMP-M").unit.code == "TIMP-U"


def test_households_statuses_and_students(run_import, place):
    assert (
        run_import(
            "households",
            [
                ["code", "village_code", "head_name", "id_number", "size", "national_code"],
                ["TIMP-H", place["village"].code, "Y Thử", "", "5", "5401-000123"],
            ],
        ).code
        == 0
    )
    assert (
        run_import("household_statuses", [["household_code", "year", "status"], ["TIMP-H", "2018", "near_poor"]]).code
        == 0
    )
    assert (
        run_import(
            "students",
            [["code", "name", "household_code", "school", "grade"], ["TIMP-S", "Y Học", "TIMP-H", "THCS", "7"]],
        ).code
        == 0
    )

    assert HouseholdStatus.objects.get(household__code="TIMP-H", year=2018).status == "near_poor"
    assert Household.objects.get(code="TIMP-H").students.get().code == "TIMP-S"
    assert Household.objects.get(code="TIMP-H").national_code == "5401-000123"


def test_pledges_and_donations_to_every_beneficiary_kind(run_import, place):
    student = StudentFactory(household=place["household"])
    outcome = run_import(
        "pledges",
        [
            ["code", "unit_code", "beneficiary_kind", "beneficiary_code", "start", "end", "money_vnd", "labour_days"],
            ["TIMP-P", place["unit"].code, "student", student.code, "01/09/2019", "31/05/2020", "2 000 000", "1,5"],
        ],
    )
    assert outcome.code == 0, outcome.err
    rows = [DONATION_HEADER + ["pledge_code"]]
    for n, (kind, code) in enumerate(
        [
            ("commune", place["commune"].code),
            ("village", place["village"].code),
            ("household", place["household"].code),
            ("student", student.code),
        ]
    ):
        rows.append(
            [f"TIMP-D{n}", "10/05/2016", place["unit"].code, "money", "100000", "", "", "", kind, code, "TIMP-P"]
        )
    outcome = run_import("donations", rows)

    assert outcome.code == 0, outcome.err
    pledge = Pledge.objects.get(code="TIMP-P")
    assert pledge.student == student and pledge.labour_days == Decimal("1.5") and pledge.money_vnd == 2_000_000
    assert Donation.objects.get(reference="TIMP-D3").student == student
    assert Donation.objects.get(reference="TIMP-D0").commune == place["commune"]


# --- Headers --------------------------------------------------------------------------------


def test_keys_are_matched_whatever_their_case_and_vietnamese_labels_are_accepted(run_import, place):
    outcome = run_import(
        "households",
        [["CODE", "Mã thôn", "chủ hộ *", "Số CCCD"], ["TIMP-H1", place["village"].code, "Thử Một", "012345678901"]],
    )

    assert outcome.code == 0, outcome.err
    assert Household.objects.get(code="TIMP-H1").id_number == "012345678901"


def test_a_missing_required_column_is_reported_on_row_1(run_import):
    outcome = run_import("communes", [["code", "name"], ["TIMP-X", "Xã X"]])

    assert outcome.code == 1
    assert "row 1, column kind: required column is missing" in outcome.lines
    assert not Commune.objects.filter(code="TIMP-X").exists()


@pytest.mark.parametrize("kind", ORDER)
def test_every_required_column_of_every_kind_is_required(run_import, kind):
    for column in KINDS[kind].required:
        headers = [key for key in KINDS[kind].required if key != column]
        outcome = run_import(kind, [headers, ["x"] * len(headers)])
        assert outcome.code == 1
        assert f"row 1, column {column}: required column is missing" in outcome.lines


def test_an_empty_required_cell_is_an_error(run_import):
    outcome = run_import("unit_groups", [["code", "name"], ["TIMP-G", ""]])

    assert outcome.code == 1
    assert outcome.lines == ["row 2, column name: this column is required"]


def test_an_unknown_column_is_a_warning_and_the_rest_imports(run_import):
    outcome = run_import("unit_groups", [["code", "name", "ghi chú riêng"], ["TIMP-G", "Nhóm", "x"]])

    assert outcome.code == 0
    assert "row 1, column ghi chú riêng: unknown column, ignored" in outcome.out
    assert UnitGroup.objects.filter(code="TIMP-G").exists()


def test_an_unknown_kind_is_refused(run_import):
    outcome = run_import("cows", [["code"], ["x"]])

    assert outcome.code == 1
    assert "Unknown kind" in outcome.err


# --- Matching -------------------------------------------------------------------------------


def test_reimporting_the_same_file_changes_nothing(run_import, place):
    rows = [DONATION_HEADER, donation_row(place, "TIMP-1"), donation_row(place, "TIMP-2", "goods", "", "gao", "1.009")]
    assert run_import("donations", rows).code == 0

    again = run_import("donations", rows)

    assert again.code == 0
    assert "donations: 0 created, 0 updated, 2 unchanged" in again.out


def test_a_row_with_a_known_code_updates_that_record(run_import, place):
    HouseholdFactory(code="TIMP-H", village=place["village"], head_name="Tên Cũ", size=3)

    outcome = run_import(
        "households", [["code", "village_code", "head_name", "size"], ["TIMP-H", place["village"].code, "Tên Mới", "3"]]
    )

    assert "households: 0 created, 1 updated, 0 unchanged" in outcome.out
    assert Household.objects.get(code="TIMP-H").head_name == "Tên Mới"


def test_an_empty_optional_cell_leaves_the_existing_value(run_import, place):
    HouseholdFactory(code="TIMP-H", village=place["village"], head_name="Tên", id_number="0123", size=3)

    outcome = run_import(
        "households",
        [["code", "village_code", "head_name", "id_number", "size"], ["TIMP-H", place["village"].code, "Tên", "", ""]],
    )

    assert "0 created, 0 updated, 1 unchanged" in outcome.out
    household = Household.objects.get(code="TIMP-H")
    assert (household.id_number, household.size) == ("0123", 3)


def test_yearly_statuses_are_matched_by_household_and_year(run_import, place):
    code = place["household"].code
    rows = [["household_code", "year", "status"], [code, "2017", "poor"], [code, "2018", "near_poor"]]
    assert run_import("household_statuses", rows).code == 0

    outcome = run_import("household_statuses", [rows[0], [code, "2018", "escaped"]])

    assert "0 created, 1 updated" in outcome.out
    # "escaped" was an event: the household is on no list in 2018, and the change is derived from 2017's list.
    assert dict(place["household"].statuses.values_list("year", "status")) == {2017: "poor", 2018: "none"}
    assert run_import("household_statuses", [rows[0], [code, "2018", "escaped"]]).code == 0
    assert (
        "0 created, 0 updated, 1 unchanged"
        in run_import("household_statuses", [rows[0], [code, "2018", "escaped"]]).out
    )


def test_memberships_and_assignments_are_matched_by_their_keys(run_import, place):
    unit = place["unit"]
    run_import("unit_groups", [["code", "name"], ["TIMP-G", "Nhóm"]])
    memberships = [["unit_code", "group_code", "start", "end"], [unit.code, "TIMP-G", "14/02/2014", ""]]
    assignments = [["group_code", "commune_code", "start"], ["TIMP-G", place["commune"].code, "14/02/2014"]]
    assert run_import("group_memberships", memberships).code == 0
    assert run_import("assignments", assignments).code == 0

    ended = run_import("group_memberships", [memberships[0], [unit.code, "TIMP-G", "14/02/2014", "31/10/2018"]])
    again = run_import("assignments", assignments)

    assert "0 created, 1 updated" in ended.out
    assert "0 created, 0 updated, 1 unchanged" in again.out
    assert GroupMembership.objects.get(unit=unit).end.year == 2018


def test_the_same_code_twice_in_a_file_is_an_error(run_import):
    outcome = run_import("unit_groups", [["code", "name"], ["TIMP-G", "A"], ["TIMP-G", "B"]])

    assert outcome.code == 1
    assert outcome.lines == ["row 3, column code: this row repeats row 2 (same code)"]


# --- All or nothing, dry run, output ---------------------------------------------------------


def test_one_bad_row_writes_nothing_and_every_bad_row_is_listed(run_import, place):
    outcome = run_import(
        "donations",
        [
            DONATION_HEADER,
            donation_row(place, "TIMP-OK"),
            donation_row(place, "TIMP-BAD1", amount="12.5"),
            donation_row(place, "TIMP-OK2"),
            [*donation_row(place, "TIMP-BAD2")[:2], "NO-SUCH-UNIT", *donation_row(place)[3:]],
        ],
    )

    assert outcome.code == 1
    assert outcome.lines[:2] == [
        "row 3, column amount_vnd: Write the amount in whole đồng, for example 1.500.000.",
        "row 5, column unit_code: no agency or unit with code “NO-SUCH-UNIT”",
    ]
    assert all(ERROR_LINE.match(line) for line in outcome.lines[:-1])
    assert not Donation.objects.filter(reference__startswith="TIMP-").exists()


def test_a_bad_sheet_of_a_workbook_undoes_the_good_sheets(run_import, place):
    outcome = run_import(
        "workbook",
        {
            "unit_groups": [["code", "name"], ["TIMP-G", "Nhóm"]],
            "donations": [DONATION_HEADER, donation_row(place, "TIMP-1", amount="")],
        },
        "book.xlsx",
    )

    assert outcome.code == 1
    assert (
        "donations: row 2, column amount_vnd: Money and loans need an amount in VND greater than 0 and no item."
        in outcome.lines
    )
    assert not UnitGroup.objects.filter(code="TIMP-G").exists()


def test_a_workbook_imports_its_sheets_in_dependency_order(run_import, place):
    outcome = run_import(
        "workbook",
        {
            "members": [["code", "name", "unit_code"], ["TIMP-M", "Cán Bộ", "TIMP-U"]],
            "units": [["code", "name", "kind"], ["TIMP-U", "Đơn vị", "district_unit"]],
        },
        "book.xlsx",
    )

    assert outcome.code == 0, outcome.err
    assert Member.objects.get(code="TIMP-M").unit.code == "TIMP-U"


def test_a_dry_run_reports_what_it_would_do_and_writes_nothing(run_import, place):
    outcome = run_import("donations", [DONATION_HEADER, donation_row(place)], "d.csv", "--dry-run")

    assert outcome.code == 0
    assert "donations: would create 1, update 0; 0 unchanged" in outcome.out
    assert "Dry run: nothing was written." in outcome.out
    assert not Donation.objects.filter(reference="TIMP-1").exists()


def test_success_prints_the_counts_and_exits_0(run_import, place):
    outcome = run_import("donations", [DONATION_HEADER, donation_row(place)])

    assert outcome.code == 0
    assert "Imported: 1 created, 0 updated." in outcome.out
    assert outcome.err == ""


# --- Donation rules -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("row", "column", "reason"),
    [
        ({"kind": "money", "amount": ""}, "amount_vnd", "Money and loans need an amount"),
        ({"kind": "loan", "amount": "0"}, "amount_vnd", "Money and loans need an amount"),
        ({"kind": "money", "amount": "100", "item": "gao", "quantity": "1"}, "item_code", "Money and loans need"),
        ({"kind": "goods", "amount": "", "item": "", "quantity": "3"}, "item_code", "Goods need an item"),
        ({"kind": "goods", "amount": "", "item": "gao", "quantity": "0"}, "quantity", "Goods need an item and a"),
        ({"kind": "goods", "amount": "", "item": "no_such", "quantity": "3"}, "item_code", "no item with code"),
        ({"kind": "labour", "amount": "", "days": ""}, "labour_days", "Labour needs a number of labour days"),
        ({"kind": "labour", "amount": "", "days": "0,5"}, None, None),
        ({"kind": "goods", "amount": "300.000", "item": "gao", "quantity": "12,5"}, None, None),
    ],
)
def test_donation_rules(run_import, place, row, column, reason):
    outcome = run_import("donations", [DONATION_HEADER, donation_row(place, **row)])

    if reason is None:
        assert outcome.code == 0, outcome.err
    else:
        assert outcome.code == 1
        assert outcome.lines[0].startswith(f"row 2, column {column}: {reason}")


def test_a_donation_by_a_member_of_another_unit_is_refused(run_import, place):
    member = MemberFactory()
    outcome = run_import("donations", [DONATION_HEADER + ["member_code"], donation_row(place) + [member.code]])

    assert outcome.lines[0] == "row 2, column member_code: This person is not a member of the chosen unit."


def test_a_donation_under_another_units_pledge_is_refused(run_import, place):
    pledge = PledgeFactory()
    outcome = run_import("donations", [DONATION_HEADER + ["pledge_code"], donation_row(place) + [pledge.code]])

    assert outcome.lines[0] == "row 2, column pledge_code: This pledge belongs to another unit."


def test_an_unknown_beneficiary_is_named_by_its_kind(run_import, place):
    row = donation_row(place)
    row[-2:] = ["student", "NO-SUCH"]
    outcome = run_import("donations", [DONATION_HEADER, row])

    assert outcome.lines[0] == "row 2, column beneficiary_code: no student with code “NO-SUCH”"


# --- Loans ----------------------------------------------------------------------------------


def test_a_revolving_loan_refers_to_the_loan_before_it_in_the_same_file(run_import, place):
    other = HouseholdFactory(village=place["village"])
    header = DONATION_HEADER + ["due_date", "previous_loan_reference"]
    first = donation_row(place, "TIMP-L1", "loan", "5.000.000") + ["10/05/2018", ""]
    second = donation_row(place, "TIMP-L2", "loan", "5.000.000") + ["10/05/2020", "TIMP-L1"]
    second[-3] = other.code

    outcome = run_import("donations", [header, first, second])

    assert outcome.code == 0, outcome.err
    loan = Donation.objects.get(reference="TIMP-L2")
    assert loan.previous_loan.reference == "TIMP-L1" and loan.due_date.year == 2020


def test_a_due_date_on_money_is_refused(run_import, place):
    outcome = run_import("donations", [DONATION_HEADER + ["due_date"], donation_row(place) + ["10/05/2018"]])

    assert outcome.code == 1
    assert "A due date or a previous loan only applies to loans." in outcome.lines[0]


def test_repayments_are_matched_to_their_loan_and_never_exceed_it(run_import, place):
    loan = DonationFactory(loan=True, amount_vnd=5_000_000, unit=place["unit"], household=place["household"])
    header = ["reference", "loan_reference", "date", "amount_vnd"]

    ok = run_import("repayments", [header, ["TIMP-R1", loan.reference, "10/05/2017", "3.000.000"]])
    too_much = run_import(
        "repayments",
        [
            header,
            ["TIMP-R2", loan.reference, "10/05/2018", "1.500.000"],
            ["TIMP-R3", loan.reference, "10/06/2018", "1.000.000"],
        ],
    )

    assert ok.code == 0
    assert too_much.code == 1
    assert too_much.lines[0].startswith("row 3, column amount_vnd: This repayment would take the repaid total")
    assert Donation.objects.with_repaid().get(pk=loan.pk).repaid_vnd == 3_000_000


def test_a_repayment_of_money_that_was_not_lent_is_refused(run_import, place):
    gift = DonationFactory(unit=place["unit"], household=place["household"])
    outcome = run_import(
        "repayments",
        [["reference", "loan_reference", "date", "amount_vnd"], ["TIMP-R", gift.reference, "10/05/2017", "1000"]],
    )

    assert outcome.code == 1
    assert "Repayments can only be recorded against a loan." in outcome.err


def test_a_period_that_ends_before_it_starts_is_refused(run_import, place):
    outcome = run_import(
        "assignments",
        [["group_code", "commune_code", "start", "end"], ["NOPE", place["commune"].code, "01/01/2019", "01/01/2018"]],
    )

    assert outcome.code == 1
    assert outcome.lines == [
        "row 2, column group_code: no group of units with code “NOPE”",
    ]
    run_import("unit_groups", [["code", "name"], ["TIMP-G", "Nhóm"]])
    outcome = run_import(
        "assignments",
        [["group_code", "commune_code", "start", "end"], ["TIMP-G", place["commune"].code, "01/01/2019", "01/01/2018"]],
    )
    assert outcome.lines == ["row 2, column end: The end date must not be before the start date."]


def test_a_village_of_another_commune_is_refused_for_an_assignment(run_import, place):
    run_import("unit_groups", [["code", "name"], ["TIMP-G", "Nhóm"]])
    elsewhere = VillageFactory()
    outcome = run_import(
        "assignments",
        [
            ["group_code", "commune_code", "village_code", "start"],
            ["TIMP-G", place["commune"].code, elsewhere.code, "01/01/2019"],
        ],
    )

    assert outcome.lines == ["row 2, column village_code: The village must belong to the assigned commune."]


def test_reimporting_a_changed_money_donation_updates_it(run_import, place):
    rows = [DONATION_HEADER, donation_row(place, "TIMP-1", amount="1.500.000")]
    run_import("donations", rows)

    outcome = run_import("donations", [DONATION_HEADER, donation_row(place, "TIMP-1", amount="2.000.000")])

    assert "donations: 0 created, 1 updated" in outcome.out, outcome.err
    assert Donation.objects.get(reference="TIMP-1").amount_vnd == 2_000_000


def test_lowering_a_loan_below_what_was_repaid_is_refused(run_import, place):
    loan = DonationFactory(loan=True, amount_vnd=5_000_000, unit=place["unit"], household=place["household"])
    RepaymentFactory(loan=loan, amount_vnd=3_000_000)
    row = donation_row(place, loan.reference, "loan", "2.000.000")

    outcome = run_import("donations", [DONATION_HEADER, row])

    assert outcome.code == 1
    assert outcome.lines == ["row 2, column reference: the repaid total would be above the amount lent"]
    loan.refresh_from_db()
    assert loan.amount_vnd == 5_000_000


def test_a_village_name_already_used_in_its_commune_is_refused_with_the_constraints_message(run_import, place):
    outcome = run_import(
        "villages",
        [["code", "commune_code", "name", "kind"], ["TIMP-V", place["commune"].code, place["village"].name, "thon"]],
    )

    assert outcome.code == 1
    assert outcome.lines == ["row 2, column name: Village with this Commune and Name already exists."]


def test_a_unit_cannot_be_in_two_groups_at_once_even_within_one_file(run_import, place):
    run_import("unit_groups", [["code", "name"], ["TIMP-G1", "Một"], ["TIMP-G2", "Hai"]])

    outcome = run_import(
        "group_memberships",
        [
            ["unit_code", "group_code", "start", "end"],
            [place["unit"].code, "TIMP-G1", "14/02/2014", ""],
            [place["unit"].code, "TIMP-G2", "01/11/2018", ""],
        ],
    )

    assert outcome.code == 1
    assert outcome.lines == ["row 3, column unit_code: This unit already belongs to another group during this period."]
    assert not GroupMembership.objects.filter(unit=place["unit"]).exists()
