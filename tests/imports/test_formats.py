"""Cell formats of CONTRACT.md "Import format", one rule per test."""

import datetime
from decimal import Decimal

import pytest

from apps.imports import parsing
from apps.imports.parsing import CellError


@pytest.mark.parametrize(
    "text", ["24/10/2018", "2018-10-24", datetime.datetime(2018, 10, 24), datetime.date(2018, 10, 24)]
)
def test_dates_are_read_as_day_month_year_or_iso(text):
    assert parsing.parse_date(text) == datetime.date(2018, 10, 24)


def test_a_date_is_never_read_month_first():
    assert parsing.parse_date("02/03/2016") == datetime.date(2016, 3, 2)


@pytest.mark.parametrize("text", ["31/02/2016", "10/24/2018", "24.10.2018", "hôm qua", 43397])
def test_impossible_or_unreadable_dates_are_refused(text):
    with pytest.raises(CellError):
        parsing.parse_date(text)


@pytest.mark.parametrize("text", ["1.500.000", "1500000", "1 500 000", "1\u00a0500\u00a0000", 1500000, 1500000.0])
def test_money_is_whole_dong_however_it_is_grouped(text):
    assert parsing.parse_money(text) == 1_500_000


@pytest.mark.parametrize("text", ["1,500,000", "1.500.000,5", "12.5", "1500000.5", 1500000.5, "-5", "1.50.000", "abc"])
def test_money_that_is_not_whole_dong_is_refused(text):
    with pytest.raises(CellError):
        parsing.parse_money(text)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1.009", Decimal("1009")),
        ("12,5", Decimal("12.5")),
        ("1.009,25", Decimal("1009.25")),
        ("40", Decimal("40")),
        (12.5, Decimal("12.5")),
        (1009, Decimal("1009")),
    ],
)
def test_quantities_follow_vietnamese_usage_and_numeric_cells_are_taken_as_they_are(text, expected):
    assert parsing.parse_quantity(text) == expected


@pytest.mark.parametrize("text", ["12.5", "1,009.5", "1.2.3", "-3", "mười"])
def test_a_quantity_that_fits_no_vietnamese_reading_is_an_error_not_a_guess(text):
    with pytest.raises(CellError):
        parsing.parse_quantity(text)


@pytest.mark.parametrize("text", ["1", "có", "Có", "yes", "TRUE", 1, True])
def test_true_booleans(text):
    assert parsing.parse_bool(text) is True


@pytest.mark.parametrize("text", ["0", "không", "KHÔNG", "no", "false", 0, False])
def test_false_booleans(text):
    assert parsing.parse_bool(text) is False


def test_an_unclear_boolean_is_refused():
    with pytest.raises(CellError):
        parsing.parse_bool("maybe")


def test_codes_typed_as_numbers_keep_their_digits_and_codes_with_spaces_are_refused():
    assert parsing.parse_code(1234.0) == "1234"
    with pytest.raises(CellError):
        parsing.parse_code("HO 01")


def test_headers_ignore_case_spacing_and_the_required_star():
    assert parsing.normalise_header("  Mã   XÃ * ") == parsing.normalise_header("mã xã")


def test_names_are_compared_without_case_spacing_or_diacritics_including_d():
    assert parsing.fold("  Đặng  Thị Hoà ") == parsing.fold("dang thi hoa")
