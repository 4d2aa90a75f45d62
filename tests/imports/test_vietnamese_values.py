"""Choice columns take the Vietnamese words of the templates as well as the contract's codes (issue 13)."""

import io

import pytest
from openpyxl import load_workbook

from apps.donations.models import Donation
from apps.households.models import HouseholdStatus
from apps.imports import parsing
from apps.imports.parsing import CellError
from apps.imports.spreadsheets import template_for
from tests.factories import HouseholdFactory, StudentFactory, UnitFactory

pytestmark = pytest.mark.django_db

HEADER = ["Số chứng từ", "Ngày", "Mã đơn vị", "Hình thức", "Số tiền (đồng)", "Mã hiện vật", "Số lượng", "Ngày công"]
HEADER += ["Đối tượng được giúp", "Mã đối tượng"]


def test_a_file_in_the_clerks_words_imports_like_one_in_codes(run_import):
    unit, household, student = UnitFactory(), HouseholdFactory(), StudentFactory()
    rows = [
        HEADER,
        ["VI-1", "10/05/2016", unit.code, "tiền", "1.500.000", "", "", "", "hộ", household.code],
        ["VI-2", "10/05/2016", unit.code, "Hiện vật", "", "gạo", "12,5", "", "Học sinh", student.code],
        ["VI-3", "10/05/2016", unit.code, "NGAY CONG", "", "", "", "2", "ho", household.code],
        ["VI-4", "10/05/2016", unit.code, "cho vay", "5.000.000", "", "", "", "hộ", household.code],
        ["VI-5", "10/05/2016", unit.code, "money", "100.000", "", "", "", "household", household.code],
    ]

    outcome = run_import("donations", rows)

    assert outcome.code == 0, outcome.err
    saved = {d.reference: d for d in Donation.objects.filter(reference__startswith="VI-")}
    assert [saved[f"VI-{n}"].kind for n in range(1, 6)] == ["money", "goods", "labour", "loan", "money"]
    assert saved["VI-1"].household == household and saved["VI-1"].amount_vnd == 1_500_000
    assert saved["VI-2"].student == student and saved["VI-2"].item.code == "gao"
    assert saved["VI-3"].household == household


def test_a_word_that_is_no_choice_is_refused_with_the_vietnamese_words_and_codes_listed(run_import):
    unit, household = UnitFactory(), HouseholdFactory()
    rows = [HEADER, ["VI-9", "10/05/2016", unit.code, "quà", "100.000", "", "", "", "hộ", household.code]]

    outcome = run_import("donations", rows)

    assert outcome.code == 1
    assert "row 2, column Hình thức: " in outcome.err
    # The template's words, whatever the language of the messages.
    assert "tiền (money), hiện vật (goods), ngày công (labour), cho mượn vốn (loan)" in outcome.err
    assert not Donation.objects.filter(reference="VI-9").exists()


def test_statuses_take_their_label_or_the_everyday_word(run_import):
    household = HouseholdFactory()
    rows = [["Mã hộ", "Năm", "Tình trạng"], [household.code, 2019, "hộ cận nghèo"], [household.code, 2020, "nghèo"]]

    assert run_import("household_statuses", rows).code == 0
    assert dict(HouseholdStatus.objects.filter(household=household).values_list("year", "status")) == {
        2019: "near_poor",
        2020: "poor",
    }


def test_without_diacritics_a_word_that_could_mean_two_choices_is_refused_not_guessed():
    parse = parsing.choice_parser([("a", "mã"), ("b", "má")])

    assert parse("Mã") == "a" and parse("má") == "b"
    with pytest.raises(CellError, match="diacritics"):
        parse("ma")


def test_the_template_shows_the_vietnamese_words_and_lists_every_choice_with_its_code():
    workbook = load_workbook(io.BytesIO(template_for("donations")))
    sheet = workbook["donations"]
    headers = [cell.value.rstrip(" *") for cell in sheet[1]]
    kinds = {sheet.cell(row, headers.index("Hình thức") + 1).value for row in range(2, sheet.max_row + 1)}
    beneficiaries = {sheet.cell(row, headers.index("Đối tượng được giúp") + 1).value for row in (2, 3)}
    notes = " ".join(str(cell.value) for row in workbook["Hướng dẫn"].iter_rows() for cell in row if cell.value)

    assert kinds == {"tiền", "cho mượn vốn", "hiện vật"}
    assert beneficiaries == {"hộ"}
    assert "tiền (money), hiện vật (goods), ngày công (labour), cho mượn vốn (loan)" in notes
    assert "xã (commune), thôn (village), hộ (household), học sinh (student)" in notes


def test_a_workbook_sheet_may_be_named_by_its_vietnamese_label(run_import):
    unit, household = UnitFactory(), HouseholdFactory()
    sheet = [HEADER, ["VI-7", "10/05/2016", unit.code, "tiền", "100.000", "", "", "", "hộ", household.code]]

    outcome = run_import("workbook", {"Ủng hộ, giúp đỡ": sheet}, "book.xlsx")

    assert outcome.code == 0, outcome.err
    assert Donation.objects.filter(reference="VI-7").exists()


def test_the_command_takes_the_kind_by_its_vietnamese_label(run_import):
    unit, household = UnitFactory(), HouseholdFactory()
    sheet = [HEADER, ["VI-8", "10/05/2016", unit.code, "tiền", "100.000", "", "", "", "hộ", household.code]]

    outcome = run_import("ủng hộ, giúp đỡ", sheet)

    assert outcome.code == 0, outcome.err
    assert Donation.objects.filter(reference="VI-8").exists()
