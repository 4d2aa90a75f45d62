"""Dates as people write them: dd/mm/yyyy, or yyyy-mm-dd (CONTRACT.md), read the same way everywhere."""

from __future__ import annotations

import datetime
import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# ASCII digits only: Python's \d also matches ² and Arabic-Indic ٣, which int() reads or chokes on.
_DMY = re.compile(r"^([0-9]{1,2})/([0-9]{1,2})/([0-9]{4})$")
_ISO = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")

# No record of the programme (2014 onwards, with loans passed on from earlier ones) is dated outside
# these years; 0001 or 9999 is a typing slip, and 0001 breaks the "months before" arithmetic of monitoring.
FIRST_YEAR = 1900
LAST_YEAR = 2100
YEAR_OUT_OF_RANGE = _("The year must be between %(first)s and %(last)s.")


class BadDate(ValueError):
    """The text is not written as a date."""


class NoSuchDay(BadDate):
    """The text is written as a date, but that day does not exist (31/02/2021)."""


class YearOutOfRange(BadDate):
    """The text is a real date, but in a year no record of the programme can have (0001, 9999)."""

    @property
    def message(self) -> str:
        return str(YEAR_OUT_OF_RANGE % {"first": FIRST_YEAR, "last": LAST_YEAR})


def validate_plausible_year(day: datetime.date) -> None:
    """A form validator: the same year range as the parser, for dates typed in the admin's date fields."""
    if day and not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValidationError(
            YEAR_OUT_OF_RANGE, code="year_out_of_range", params={"first": FIRST_YEAR, "last": LAST_YEAR}
        )


def check_year(day: datetime.date) -> datetime.date:
    """``day`` itself, or YearOutOfRange when its year is outside FIRST_YEAR–LAST_YEAR."""
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise YearOutOfRange(day.isoformat())
    return day


def parse_date(text: str, *, strict_iso: bool = False) -> datetime.date:
    """dd/mm/yyyy or yyyy-mm-dd; only yyyy-mm-dd when ``strict_iso`` (the open-data contract)."""
    text = text.strip()
    if match := _ISO.match(text):
        year, month, day = (int(part) for part in match.groups())
    elif not strict_iso and (match := _DMY.match(text)):
        day, month, year = (int(part) for part in match.groups())
    else:
        raise BadDate(text)
    try:
        parsed = datetime.date(year, month, day)
    except ValueError:
        raise NoSuchDay(text) from None
    return check_year(parsed)
