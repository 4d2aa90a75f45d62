"""The period and scope parameters shared by the results page and the open-data files (CONTRACT.md)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from apps.communes.models import Commune
from apps.units.models import UnitGroup

BAD_DATE = _("The “%(name)s” date must be a real date written as YYYY-MM-DD, for example 2018-10-24.")
FROM_AFTER_TO = _("The “from” date must not be after the “to” date.")
UNKNOWN_COMMUNE = _("There is no commune with the code “%(code)s”.")
UNKNOWN_GROUP = _("There is no group of units with the code “%(code)s”.")


class BadParameter(ValueError):
    """A parameter the visitor can fix; the message is shown to them."""


@dataclass(frozen=True)
class PeriodScope:
    start: datetime.date | None = None
    end: datetime.date | None = None
    commune: Commune | None = None
    group: UnitGroup | None = None

    def as_query(self) -> dict[str, str]:
        """The same parameters for a link (open-data files, the results page)."""
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


def _date(params: QueryDict, name: str) -> datetime.date | None:
    raw = params.get(name, "").strip()
    if not raw:
        return None
    try:
        if len(raw) != 10:  # fromisoformat also takes 20181024; the contract says YYYY-MM-DD
            raise ValueError(raw)
        return datetime.date.fromisoformat(raw)
    except ValueError:
        raise BadParameter(BAD_DATE % {"name": name}) from None


def parse_period_scope(params: QueryDict) -> PeriodScope:
    """Read from/to/commune/group; raise BadParameter with a message for the visitor. Up to two queries."""
    start, end = _date(params, "from"), _date(params, "to")
    if start and end and start > end:
        raise BadParameter(FROM_AFTER_TO)
    commune = group = None
    if code := params.get("commune", "").strip():
        commune = Commune.objects.select_related("successor").filter(code=code).first()
        if commune is None:
            raise BadParameter(UNKNOWN_COMMUNE % {"code": code})
    if code := params.get("group", "").strip():
        group = UnitGroup.objects.filter(code=code).first()
        if group is None:
            raise BadParameter(UNKNOWN_GROUP % {"code": code})
    return PeriodScope(start=start, end=end, commune=commune, group=group)
