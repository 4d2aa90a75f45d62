"""Every amount of money in the demo's reports is said truly: in words (read back to the same number) and in its
rounded spoken form (within 5 %, "gần" only below, "trên" only above)."""

import datetime
import re
from decimal import Decimal

import pytest

from apps.bodies.selectors import issuer_for
from apps.reports.selectors import report_figures
from apps.reports.vietnamese import money_in_words, speech_form, speech_round

DIGITS = {"không": 0, "một": 1, "mốt": 1, "hai": 2, "ba": 3, "bốn": 4, "tư": 4, "năm": 5, "lăm": 5, "sáu": 6}
DIGITS |= {"bảy": 7, "tám": 8, "chín": 9}
SCALES = {"nghìn": 1_000, "triệu": 1_000_000}


def read_words(words: str) -> int:
    """Vietnamese number words back to the number ("một tỷ hai trăm bốn mươi tư triệu …" -> 1244000000)."""
    total = group = hundreds = current = 0
    for word in words.lower().removesuffix(" đồng").split():
        if word in DIGITS:
            current += DIGITS[word]
        elif word == "mười":
            current += 10
        elif word == "mươi":
            current *= 10
        elif word == "trăm":
            hundreds, current = current * 100, 0
        elif word in SCALES:
            group += (hundreds + current) * SCALES[word]
            hundreds = current = 0
        elif word == "tỷ":
            total = (total + group + hundreds + current) * 1_000_000_000
            group = hundreds = current = 0
        elif word != "linh":
            raise ValueError(word)
    return total + group + hundreds + current


def _amounts(figures) -> set[int]:
    found = set()
    rows = [figures["total"], *figures["sectors"].values(), *figures["groups"], *figures["communes"]]
    for row in rows:
        found |= {row["money_vnd"], row["loans_vnd"]}
    found |= {figures["pledges"]["promised_vnd"], figures["pledges"]["given_vnd"]}
    found |= {u["shortfall_vnd"] for u in figures["units_behind"]} | {u["money_vnd"] for u in figures["good_results"]}
    return {amount for amount in found if amount}


def _demo_periods():
    yield datetime.date(2014, 2, 14), datetime.date(2018, 10, 24)
    for year in range(2014, 2025):
        yield max(datetime.date(year, 1, 1), datetime.date(2014, 2, 14)), datetime.date(year, 12, 31)


@pytest.mark.django_db
def test_every_amount_of_the_demos_reports_is_said_truly():
    amounts = set()
    for start, end in _demo_periods():
        if issuer_for(start=start, end=end, commune=None).body is not None:
            amounts |= _amounts(report_figures(start=start, end=end))
    assert len(amounts) > 50
    for amount in amounts:
        assert read_words(money_in_words(amount)) == amount, money_in_words(amount)
        rounded, _figure = speech_round(amount)
        spoken = speech_form(amount)
        assert abs(rounded - amount) <= Decimal("0.05") * amount, spoken
        side = "gần" if amount < rounded else "trên" if amount > rounded else None
        assert re.match(rf"^{side} " if side else r"^\d", spoken), spoken


def test_reading_words_back():
    assert read_words("Bảy trăm bốn mươi lăm triệu ba trăm hai mươi nghìn đồng") == 745_320_000
    assert read_words("Một tỷ hai trăm bốn mươi tư triệu chín trăm bảy mươi nghìn đồng") == 1_244_970_000
    assert read_words("một nghìn không trăm linh chín") == 1009
