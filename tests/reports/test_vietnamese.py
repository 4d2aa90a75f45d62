import datetime
import re
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from apps.core.numbers import grouped
from apps.reports.vietnamese import date_line, group_number, money_in_words, number_line, number_to_words, speech_form


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "không"),
        (5, "năm"),
        (10, "mười"),
        (11, "mười một"),
        (14, "mười bốn"),
        (15, "mười lăm"),
        (20, "hai mươi"),
        (21, "hai mươi mốt"),
        (24, "hai mươi tư"),
        (25, "hai mươi lăm"),
        (55, "năm mươi lăm"),
        (100, "một trăm"),
        (101, "một trăm linh một"),
        (105, "một trăm linh năm"),
        (110, "một trăm mười"),
        (115, "một trăm mười lăm"),
        (121, "một trăm hai mươi mốt"),
        (1_000, "một nghìn"),
        (1_009, "một nghìn không trăm linh chín"),
        (1_075, "một nghìn không trăm bảy mươi lăm"),
        (1_325, "một nghìn ba trăm hai mươi lăm"),
        (10_000, "mười nghìn"),
        (15_000, "mười lăm nghìn"),
        (105_000, "một trăm linh năm nghìn"),
        (1_000_005, "một triệu không trăm linh năm"),
        (49_000_000, "bốn mươi chín triệu"),
        (745_000_000, "bảy trăm bốn mươi lăm triệu"),
        (745_320_000, "bảy trăm bốn mươi lăm triệu ba trăm hai mươi nghìn"),
        (1_000_000_000, "một tỷ"),
        (1_000_001_000, "một tỷ không trăm linh một nghìn"),
        (2_005_000_000, "hai tỷ không trăm linh năm triệu"),
        (1_000_000_000_000, "một nghìn tỷ"),
    ],
)
def test_numbers_read_in_vietnamese_words_with_the_usual_rules(number, words):
    assert number_to_words(number) == words


@given(st.integers(min_value=0, max_value=10**15))
def test_any_number_reads_without_double_spaces_or_stray_words(number):
    words = number_to_words(number)
    assert words == words.strip()
    assert "  " not in words
    assert ("không" in words.split()) == (number == 0 or "không trăm" in words)


def test_money_in_words_is_a_capitalised_sentence_ending_in_dong():
    assert money_in_words(745_000_000) == "Bảy trăm bốn mươi lăm triệu đồng"


@pytest.mark.parametrize(
    ("amount", "spoken"),
    [
        (499_650_000, "gần 500 triệu đồng"),
        (499_500_000, "gần 500 triệu đồng"),  # a half rounds up, so it is "nearly" the higher figure
        (745_320_000, "trên 745 triệu đồng"),
        (745_499_999, "trên 745 triệu đồng"),
        (500_000_000, "500 triệu đồng"),
        (49_000_000, "49 triệu đồng"),
        (1_244_970_000, "trên 1,2 tỷ đồng"),
        (999_700_000, "gần 1 tỷ đồng"),
        (499_999, "gần 500 nghìn đồng"),
        (500_000, "500 nghìn đồng"),
        (1_500_000, "1,5 triệu đồng"),
        (1_049_999, "trên 1 triệu đồng"),
        (9_960_000, "gần 10 triệu đồng"),
        (999_999, "gần 1 triệu đồng"),
        (750, "750 đồng"),
    ],
)
def test_speech_form_says_nearly_or_over_the_nearest_round_figure(amount, spoken):
    assert speech_form(amount) == spoken


@pytest.mark.parametrize(
    ("day", "line"),
    [
        (datetime.date(2018, 10, 24), "Tây Hòa, ngày 24 tháng 10 năm 2018"),
        (datetime.date(2019, 2, 5), "Tây Hòa, ngày 05 tháng 02 năm 2019"),
        (datetime.date(2019, 1, 15), "Tây Hòa, ngày 15 tháng 01 năm 2019"),
        (datetime.date(2019, 3, 9), "Tây Hòa, ngày 09 tháng 3 năm 2019"),
        (datetime.date(2019, 12, 1), "Tây Hòa, ngày 01 tháng 12 năm 2019"),
    ],
)
def test_date_line_pads_days_below_ten_and_january_and_february(day, line):
    assert date_line("Tây Hòa", day) == line


def test_number_line_leaves_the_number_blank_and_has_no_colon():
    line = number_line("HU")
    assert line.startswith("Số") and line.endswith("-BC/HU")
    assert ":" not in line
    assert line.replace("\u00a0", "").strip() == "Số-BC/HU"


def test_figures_are_grouped_with_dots_and_decimals_with_a_comma():
    assert group_number(745_320_000) == "745.320.000"
    assert group_number(12.5) == "12,5"
    assert group_number(0) == "0"


def _said(figure: str) -> Decimal:
    """The amount a spoken figure names: "1,5 triệu" -> 1500000."""
    number, _space, unit = figure.partition(" ")
    scale = {"tỷ": 1_000_000_000, "triệu": 1_000_000, "nghìn": 1_000, "": 1}[unit]
    return Decimal(number.replace(".", "").replace(",", ".")) * scale


SPOKEN = re.compile(r"^(?:(gần|trên) )?([\d.,]+(?: (?:tỷ|triệu|nghìn))?) đồng$")


@given(st.integers(min_value=1, max_value=10**13))
def test_speech_form_is_true_for_any_amount(amount):
    """The spoken figure is within 5 % of the amount, "gần" only below it, "trên" only above, nothing when equal;
    and it keeps at least two significant figures (never "gần 1 triệu" for 500.000)."""
    spoken = speech_form(amount)
    match = SPOKEN.match(spoken)
    assert match, spoken
    side, figure = match.groups()
    said = _said(figure)
    assert abs(said - amount) <= Decimal("0.05") * amount, spoken
    assert side == ("gần" if amount < said else "trên" if amount > said else None), spoken
    digits = figure.split(" ")[0].replace(".", "").replace(",", "").strip("0")
    assert len(digits) <= 4, spoken  # a round figure, not the amount again


@pytest.mark.parametrize(
    "value", [0, 7, -7, 999, 1000, -1000, 1_009, 745_320_000, -12_000_000_000, 10**15, 12.0, -3.0, 0.0, 12.5, -0.25]
)
def test_group_number_writes_what_the_vietnamese_formatter_writes_in_any_language(value):
    with translation.override("vi"):
        expected = grouped(value)
    for language in ("vi", "en"):
        with translation.override(language):
            assert group_number(value) == expected
