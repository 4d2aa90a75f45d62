"""Vietnamese writing conventions for printed reports: numbers in words, speech forms, date line.

These produce Vietnamese by nature (the report is a Vietnamese party document laid out as
Hướng dẫn 36-HD/VPTW prescribes), so they are not translated strings: an English interface
still prints "Bằng chữ: bảy trăm … đồng" in the document itself.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils import translation

from apps.core.numbers import grouped

DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
BILLION = 1_000_000_000


def group_number(value: int | float | Decimal | None) -> str:
    """745320000 -> "745.320.000"; 12.5 -> "12,5" whatever the reader's language: the project's one
    number formatter (apps.core.numbers.grouped) in Vietnamese, the language of the document."""
    with translation.override("vi"):
        return grouped(value)


def _tens_and_units(tens: int, units: int) -> list[str]:
    if tens == 0:
        return [DIGITS[units]] if units else []
    words = ["mười"] if tens == 1 else [DIGITS[tens], "mươi"]
    if units == 0:
        return words
    if units == 5:
        words.append("lăm")
    elif units == 1 and tens > 1:
        words.append("mốt")
    elif units == 4 and tens > 1:
        words.append("tư")
    else:
        words.append(DIGITS[units])
    return words


def _below_thousand(number: int, *, inner: bool) -> list[str]:
    """Three digits; an inner group says its hundreds and "linh" even when they are zero."""
    hundreds, rest = divmod(number, 100)
    tens, units = divmod(rest, 10)
    words: list[str] = []
    if hundreds or inner:
        words += [DIGITS[hundreds], "trăm"]
        if tens == 0 and units:
            return [*words, "linh", DIGITS[units]]
    return words + _tens_and_units(tens, units)


def _below_billion(number: int, *, inner: bool) -> list[str]:
    words: list[str] = []
    for scale, name in ((1_000_000, "triệu"), (1_000, "nghìn"), (1, "")):
        group, number = divmod(number, scale)
        if group:
            words += _below_thousand(group, inner=inner)
            if name:
                words.append(name)
            inner = True  # every later group is written with all three digits
    return words


def number_to_words(number: int) -> str:
    """Whole number in Vietnamese words: 105 -> "một trăm linh năm", 1009 -> "một nghìn không trăm linh chín"."""
    number = int(number)
    if number == 0:
        return DIGITS[0]
    if number < 0:
        return "âm " + number_to_words(-number)
    return " ".join(_words(number, inner=False))


def _words(number: int, *, inner: bool) -> list[str]:
    if number >= BILLION:
        billions, rest = divmod(number, BILLION)
        # 1.000 tỷ is "một nghìn tỷ": the count of tỷ is itself a number in words.
        return [*_words(billions, inner=inner), "tỷ", *(_below_billion(rest, inner=True) if rest else [])]
    return _below_billion(number, inner=inner)


def money_in_words(amount_vnd: int) -> str:
    """The "Bằng chữ" line of a money total: "Bảy trăm bốn mươi lăm triệu đồng"."""
    words = number_to_words(amount_vnd)
    return f"{words[0].upper()}{words[1:]} đồng"


def speech_form(amount_vnd: int) -> str:
    """The short form said in speeches: "gần 500 triệu đồng", "trên 745 triệu đồng".

    The amount is rounded to the nearest whole million (halves up); from 950 million on, to the
    nearest tenth of a tỷ; below half a million, to the nearest thousand. An amount below that
    round figure is "gần" (nearly) it, above it "trên" (over) it, equal to it is said plainly.
    """
    amount = int(amount_vnd)
    if amount >= 950_000_000:
        step, unit, name = 100_000_000, BILLION, "tỷ"
    elif amount >= 500_000:
        step, unit, name = 1_000_000, 1_000_000, "triệu"
    else:
        step, unit, name = 1_000, 1_000, "nghìn"
    rounded = int((Decimal(amount) / step).quantize(Decimal(1), rounding=ROUND_HALF_UP)) * step
    if rounded == 0:
        return f"{group_number(amount)} đồng"
    figure = f"{group_number(Decimal(rounded) / unit)} {name} đồng"
    if amount < rounded:
        return f"gần {figure}"
    if amount > rounded:
        return f"trên {figure}"
    return figure


def date_line(place: str, day: datetime.date) -> str:
    """ "Tây Hòa, ngày 05 tháng 02 năm 2019": Hướng dẫn 36 pads days 1-9 and months 1-2 with a zero."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def number_line(body_code: str, document_code: str = "BC") -> str:
    """ "Số     -BC/HU": no colon, the number left blank for the clerk to write in."""
    return f"Số\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0-{document_code}/{body_code}"
