"""Dates as people write them: dd/mm/yyyy, or yyyy-mm-dd (CONTRACT.md), read the same way everywhere."""

from __future__ import annotations

import datetime
import re

_DMY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


class BadDate(ValueError):
    """The text is not written as a date."""


class NoSuchDay(BadDate):
    """The text is written as a date, but that day does not exist (31/02/2021)."""


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
        return datetime.date(year, month, day)
    except ValueError:
        raise NoSuchDay(text) from None
