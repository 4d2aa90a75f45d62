"""The period and scope of the figures as query parameters (CONTRACT.md): from, to, commune, group.

The public results page and the open-data files read dates strictly as YYYY-MM-DD, as the contract
says; the staff reports also take dd/mm/yyyy and stand in their own defaults for a missing date.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from apps.communes.models import Commune
from apps.core.dates import FIRST_YEAR, LAST_YEAR, BadDate, YearOutOfRange, parse_date
from apps.core.text import as_lookup_code, nfc
from apps.units.models import UnitGroup

BAD_DATE = _("The “%(name)s” date must be a real date written as YYYY-MM-DD, for example 2018-10-24.")
DATE_YEAR_OUT_OF_RANGE = _("The “%(name)s” date must be in a year from %(first)s to %(last)s.")
FROM_AFTER_TO = _("The “from” date must not be after the “to” date.")
UNKNOWN_COMMUNE = _("There is no commune with the code “%(code)s”.")
UNKNOWN_GROUP = _("There is no group of units with the code “%(code)s”.")
# A value echoed back in a message is cut to this length.
ECHOED = 40


@dataclass
class PeriodScope:
    """Which donations to count: a period (either end may be open) and at most one commune and one group."""

    start: datetime.date | None = None
    end: datetime.date | None = None
    commune: Commune | None = None
    group: UnitGroup | None = None
    # Messages for the person who wrote the parameters; the values above are then not to be used.
    errors: list[str] = field(default_factory=list)

    def as_query(self) -> dict[str, str]:
        """The same parameters for a link (open-data files, the results page, the report's downloads)."""
        query = {}
        if self.start:
            query["from"] = self.start.isoformat()
        if self.end:
            query["to"] = self.end.isoformat()
        if self.commune:
            query["commune"] = self.commune.code
        if self.group:
            query["group"] = self.group.code
        return query


def read_date(data: QueryDict, name: str, errors: list[str], *, strict_iso: bool = False) -> datetime.date | None:
    """The date parameter ``name``, or None when it is empty or bad (a bad one adds a message to ``errors``)."""
    raw = (data.get(name) or "").strip()
    if not raw:
        return None
    try:
        return parse_date(raw, strict_iso=strict_iso)
    except YearOutOfRange:
        errors.append(str(DATE_YEAR_OUT_OF_RANGE % {"name": name, "first": FIRST_YEAR, "last": LAST_YEAR}))
        return None
    except BadDate:
        errors.append(str(BAD_DATE % {"name": name}))
        return None


def echoed(text: str) -> str:
    """A value as a message may repeat it: short, and without control characters."""
    return "".join(char if char.isprintable() else "?" for char in nfc(text)[:ECHOED])


def parse_period_scope(
    data: QueryDict,
    *,
    strict_iso: bool = False,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> PeriodScope:
    """Read from/to/commune/group; every problem becomes a message in ``errors``. Up to two queries.

    ``start`` and ``end`` stand in for a "from" or "to" that is missing or bad.
    """
    errors: list[str] = []
    start = read_date(data, "from", errors, strict_iso=strict_iso) or start
    end = read_date(data, "to", errors, strict_iso=strict_iso) or end
    if start and end and start > end:
        errors.append(str(FROM_AFTER_TO))
    commune = group = None
    # A code no record can have (a NUL byte, a line break) is unknown without asking the database.
    if raw := (data.get("commune") or "").strip():
        if code := as_lookup_code(raw):
            commune = Commune.objects.select_related("successor").filter(code=code).first()
        if commune is None:
            errors.append(str(UNKNOWN_COMMUNE % {"code": echoed(raw)}))
    if raw := (data.get("group") or "").strip():
        if code := as_lookup_code(raw):
            group = UnitGroup.objects.filter(code=code).first()
        if group is None:
            errors.append(str(UNKNOWN_GROUP % {"code": echoed(raw)}))
    return PeriodScope(start=start, end=end, commune=commune, group=group, errors=errors)
