"""Numbers as the programme shows them: one formatter for the whole project.

:func:`grouped` writes a figure in the reader's language: "745.320.000" and "12,5" in Vietnamese
(taybinh/formats/vi), "745,320,000" and "12.5" in English. The printed report is the one exception,
and it is built on the same formatter: a party document is Vietnamese whatever the reader's
language, so :func:`apps.reports.vietnamese.group_number` calls :func:`grouped` under Vietnamese.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _


def plain_number(value: Decimal | float | int | None) -> Decimal | float | int | None:
    """1009.00 → 1009 and 12.50 → 12.5, so lists show "1.009" and "12,5" rather than "1.009,00"."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else value.normalize()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def grouped(value: Decimal | float | int | None) -> str:
    """745000000 → "745.000.000", 12.5 → "12,5" in Vietnamese: thousands grouped, decimals only when needed."""
    return number_format(plain_number(value or 0), use_l10n=True, force_grouping=True)


def json_number(value: Decimal | float | int | None) -> int | float:
    """A quantity as JSON (and a spreadsheet cell) wants it: an integer where whole, 0 for nothing."""
    value = value or 0
    return int(value) if value == int(value) else float(value)


# --- Reading numbers as people write them -------------------------------------------------------
# One implementation for the admin's forms (apps.core.forms) and the importer (apps.imports.parsing):
# a receipt's "1.500.000 đ" and a spreadsheet's "1.500.000" are the same amount wherever they are typed.

# The largest plausible amount of one record (see apps.donations.models, which enforces it in the database).
MAX_AMOUNT_VND = 100_000_000_000

NOT_ASCII_DIGITS = _("Write the number with the digits 0 to 9 only.")
MONEY_WRITTEN_WRONG = _("Write the amount in whole đồng, for example 1.500.000.")
MONEY_HAS_DECIMALS = _("An amount of money is whole đồng, without decimals.")
MONEY_NEGATIVE = _("An amount cannot be negative.")
MONEY_TOO_LARGE = _("No single amount is above 100.000.000.000 VND: check the number of zeros.")
NUMBER_WRITTEN_WRONG = _(
    "Write the number the Vietnamese way: 1.009 is one thousand and nine, 12,5 is twelve and a half."
)
NUMBER_AMBIGUOUS = _(
    "“%(text)s” can be read two ways: in Vietnamese the dot groups thousands (1.009 is one thousand and nine) "
    "and the comma marks decimals. Write %(decimal)s for a decimal number."
)
NUMBER_NOT_A_NUMBER = _("Write a number, for example 1.009 or 12,5.")
QUANTITY_NEGATIVE = _("A quantity cannot be negative.")


class BadNumber(ValueError):
    """The text is not a number as the programme writes them; ``message`` says what to write instead."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = str(message)


_GROUPED_DOTS = re.compile(r"^[0-9]{1,3}(\.[0-9]{3})+$")
_GROUPED_SPACES = re.compile(r"^[0-9]{1,3}( [0-9]{3})+$")
# "1.500.000 đ", "1.500.000đ", "1.500.000 VNĐ", "1.500.000 đồng": the currency as written on a receipt.
_CURRENCY = re.compile(r"\s*(đồng|đ|₫|vnđ|vnd|dong)\.?$", re.IGNORECASE)
_VI_NUMBER = re.compile(r"^([0-9]{1,3}(\.[0-9]{3})+|[0-9]+)(,[0-9]+)?$")
# "12.5" or "3.25": a dot followed by other than three digits is an English decimal point, never a guess.
_ENGLISH_DECIMAL = re.compile(r"^[0-9]+\.[0-9]{1,2}$|^[0-9]+\.[0-9]{4,}$")


def _refuse_other_digits(text: str) -> None:
    """Digits other than 0-9 (², Arabic-Indic ٣, full-width ３) are refused, never read as a guess."""
    if any(char.isdigit() and not char.isascii() for char in text):
        raise BadNumber(NOT_ASCII_DIGITS)


def parse_money(value: Any) -> int:
    """Whole VND: 1.500.000, 1500000, 1 500 000 and "1.500.000 đ" are the same amount."""
    if isinstance(value, bool):
        raise BadNumber(MONEY_WRITTEN_WRONG)
    if isinstance(value, int):
        amount = value
    elif isinstance(value, (float, Decimal)):
        if value != int(value):
            raise BadNumber(MONEY_HAS_DECIMALS)
        amount = int(value)
    else:
        text = " ".join(str(value).replace("\u00a0", " ").split())
        _refuse_other_digits(text)
        text = _CURRENCY.sub("", unicodedata.normalize("NFC", text))
        if text.isascii() and text.isdigit():
            amount = int(text)
        elif _GROUPED_DOTS.match(text) or _GROUPED_SPACES.match(text):
            amount = int(text.replace(".", "").replace(" ", ""))
        elif text.startswith("-"):
            raise BadNumber(MONEY_NEGATIVE)
        else:
            raise BadNumber(MONEY_WRITTEN_WRONG)
    if amount < 0:
        raise BadNumber(MONEY_NEGATIVE)
    if amount > MAX_AMOUNT_VND:
        # Refused here too: an amount above PostgreSQL's bigint would otherwise end as a database error.
        raise BadNumber(MONEY_TOO_LARGE)
    return amount


def parse_quantity(value: Any) -> Decimal:
    """Vietnamese usage: `.` groups thousands, `,` marks decimals; `12.5` fits neither and is refused."""
    if isinstance(value, bool):
        raise BadNumber(NUMBER_NOT_A_NUMBER)
    if isinstance(value, (int, float, Decimal)):
        number = Decimal(str(value))
    else:
        text = str(value).replace("\u00a0", "").replace(" ", "")
        _refuse_other_digits(text)
        if _ENGLISH_DECIMAL.match(text):
            raise BadNumber(NUMBER_AMBIGUOUS % {"text": text, "decimal": text.replace(".", ",")})
        if not _VI_NUMBER.match(text):
            raise BadNumber(NUMBER_WRITTEN_WRONG)
        try:
            number = Decimal(text.replace(".", "").replace(",", "."))
        except InvalidOperation as exc:  # pragma: no cover - the pattern already excludes this
            raise BadNumber(NUMBER_NOT_A_NUMBER) from exc
    if number < 0:
        raise BadNumber(QUANTITY_NEGATIVE)
    return number
