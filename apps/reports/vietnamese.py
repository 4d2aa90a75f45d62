"""Vietnamese writing conventions for printed reports: numbers in words, speech forms, date line.

These produce Vietnamese by nature (the report is a Vietnamese party document laid out as
Hướng dẫn 36-HD/VPTW prescribes), so they are not translated strings: an English interface
still prints "Bằng chữ: bảy trăm … đồng" in the document itself.
"""

from __future__ import annotations

import datetime
import functools
from decimal import ROUND_HALF_UP, Decimal

from django.utils import formats, translation

from apps.core.numbers import grouped

DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]
BILLION = 1_000_000_000


def group_number(value: int | float | Decimal | None) -> str:
    """745320000 -> "745.320.000"; 12.5 -> "12,5" whatever the reader's language: the project's one
    number formatter (apps.core.numbers.grouped) in Vietnamese, the language of the document.

    A whole number (most cells of a report: 50.000 at province) is grouped here with the Vietnamese
    thousands separator, as the formatter does, without switching the language for each one."""
    if type(value) is int or (type(value) is float and value.is_integer()):
        return f"{int(value):,}".replace(",", _thousands_separator())
    with translation.override("vi"):
        return grouped(value)


@functools.cache
def _thousands_separator() -> str:
    """The thousands separator of the Vietnamese formats (taybinh/formats/vi): ".", read once."""
    return formats.get_format("THOUSAND_SEPARATOR", lang="vi", use_l10n=True)


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


# The largest gap between an amount and its spoken round figure ("gần"/"trên" says which side).
SPEECH_TOLERANCE = Decimal("0.05")
_SPEECH_UNITS = ((BILLION, "tỷ"), (1_000_000, "triệu"), (1_000, "nghìn"))


def speech_round(amount_vnd: int) -> tuple[int, str]:
    """The round figure an amount is said as, and that figure in words of its unit ("1,5 triệu").

    The amount is counted in the largest unit it reaches (nghìn, triệu, tỷ) and rounded, halves up,
    to whole units from 10 units on (745,32 triệu -> 745 triệu) and to tenths below (1,24 tỷ -> 1,2 tỷ):
    always at least two significant figures, so the round figure is never more than 5 % away.
    A rounding that reaches the next unit is said in it (999,7 triệu -> 1 tỷ). Below 1.000 đồng the
    amount is said exactly.
    """
    amount = int(amount_vnd)
    for unit, _name in _SPEECH_UNITS:
        if amount < unit:
            continue
        value = Decimal(amount) / unit
        step = Decimal(1) if value >= 10 else Decimal("0.1")
        figure = value.quantize(step, rounding=ROUND_HALF_UP)
        if figure >= 1000 and unit < BILLION:
            # 999.700.000 is nearly 1 tỷ, not "1.000 triệu": say it in the next unit up.
            return 1000 * unit, _spoken_figure(Decimal(1), unit * 1000)
        return int(figure * unit), _spoken_figure(figure, unit)
    return amount, group_number(amount)


def _spoken_figure(figure: Decimal, unit: int) -> str:
    name = dict(_SPEECH_UNITS)[unit]
    return f"{group_number(figure)} {name}"


def speech_form(amount_vnd: int) -> str:
    """The short form said in speeches: "gần 500 triệu đồng", "trên 745 triệu đồng", "1,5 triệu đồng".

    "gần" (nearly) when the amount is below its round figure (:func:`speech_round`), "trên" (over)
    when above, nothing when equal; the round figure is within 5 % of the amount.
    """
    amount = int(amount_vnd)
    rounded, figure = speech_round(amount)
    if amount < rounded:
        return f"gần {figure} đồng"
    if amount > rounded:
        return f"trên {figure} đồng"
    return f"{figure} đồng"


def date_line(place: str, day: datetime.date) -> str:
    """ "Tây Hòa, ngày 05 tháng 02 năm 2019": Hướng dẫn 36 pads days 1-9 and months 1-2 with a zero."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{place}, ngày {day.day:02d} tháng {month} năm {day.year}"


def number_line(body_code: str, document_code: str = "BC") -> str:
    """ "Số     -BC/HU": no colon, the number left blank for the clerk to write in."""
    return f"Số\u00a0\u00a0\u00a0\u00a0\u00a0\u00a0-{document_code}/{body_code}"
