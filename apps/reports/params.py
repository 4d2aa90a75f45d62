"""The report's query parameters (CONTRACT.md): from, to, commune, group, format."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.communes.models import Commune
from apps.core.models import ProgrammeSettings
from apps.units.models import UnitGroup

FORMATS = ("html", "pdf", "xlsx")
BAD_DATE = _("“%(name)s” must be a date written YYYY-MM-DD (or dd/mm/yyyy), not “%(value)s”.")
ENDS_BEFORE_START = _("The end of the period (%(end)s) is before its start (%(start)s).")
UNKNOWN_COMMUNE = _("There is no commune with the code “%(value)s”.")
UNKNOWN_GROUP = _("There is no group of units with the code “%(value)s”.")
UNKNOWN_FORMAT = _("The format must be html, pdf or xlsx, not “%(value)s”.")


@dataclass
class ReportParams:
    start: datetime.date
    end: datetime.date
    commune: Commune | None = None
    group: UnitGroup | None = None
    format: str = "html"
    errors: list[str] = field(default_factory=list)

    def query(self) -> dict[str, str]:
        """The parameters as they go back into a link (without the format)."""
        query = {"from": self.start.isoformat(), "to": self.end.isoformat()}
        if self.commune:
            query["commune"] = self.commune.code
        if self.group:
            query["group"] = self.group.code
        return query


def parse_date(raw: str) -> datetime.date | None:
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(raw.strip(), pattern).date()
        except ValueError:
            continue
    return None


def parse_report_params(data, settings: ProgrammeSettings) -> ReportParams:
    """Read the parameters; every problem becomes a message in ``errors`` (never an exception)."""
    errors: list[str] = []
    today = timezone.localdate()
    dates: dict[str, datetime.date] = {}
    for name, default in (("from", settings.programme_start), ("to", today)):
        raw = (data.get(name) or "").strip()
        parsed = parse_date(raw) if raw else default
        if parsed is None:
            errors.append(str(BAD_DATE % {"name": name, "value": raw[:40]}))
            parsed = default
        if isinstance(parsed, str):  # a default not yet read back from the database
            parsed = datetime.date.fromisoformat(parsed)
        dates[name] = parsed
    if dates["to"] < dates["from"]:
        errors.append(str(ENDS_BEFORE_START % {"start": f"{dates['from']:%d/%m/%Y}", "end": f"{dates['to']:%d/%m/%Y}"}))
    commune = group = None
    if code := (data.get("commune") or "").strip():
        commune = Commune.objects.filter(code=code).first()
        if commune is None:
            errors.append(str(UNKNOWN_COMMUNE % {"value": code[:40]}))
    if code := (data.get("group") or "").strip():
        group = UnitGroup.objects.filter(code=code).first()
        if group is None:
            errors.append(str(UNKNOWN_GROUP % {"value": code[:40]}))
    fmt = (data.get("format") or "html").strip().lower()
    if fmt not in FORMATS:
        errors.append(str(UNKNOWN_FORMAT % {"value": fmt[:20]}))
        fmt = "html"
    return ReportParams(start=dates["from"], end=dates["to"], commune=commune, group=group, format=fmt, errors=errors)
