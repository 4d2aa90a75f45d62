"""The staff pages' query parameters: the period report's (CONTRACT.md) and the monitoring page's."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.bodies.selectors import body_in_charge_lately
from apps.communes.models import Commune
from apps.core.models import ProgrammeSettings
from apps.donations.params import FROM_AFTER_TO, PeriodScope, echoed, parse_period_scope, read_date
from apps.pledges.selectors import PledgeStatus

FORMATS = ("html", "pdf", "xlsx")
UNKNOWN_FORMAT = _("The format must be html, pdf or xlsx, not “%(value)s”.")
BAD_MONTHS = _("The number of months must be a whole number from 1 to 120, not “%(value)s”.")
BAD_VERSION = _("The version must be a whole number from 1 to 999, not “%(value)s”.")
BAD_STATUS = _("Unknown pledge status “%(value)s”.")


@dataclass
class ReportParams(PeriodScope):
    """A report's period and scope, its dates always given (the programme's start, today), and its format."""

    format: str = "html"
    # An approved report's version (1, 2 …); None: the latest.
    version: int | None = None

    def as_query(self) -> dict[str, str]:
        query = super().as_query()
        if self.version is not None:
            query["version"] = str(self.version)
        return query


def parse_report_params(data: QueryDict, settings: ProgrammeSettings, *, area: Commune | None = None) -> ReportParams:
    """Read the parameters; every problem becomes a message in ``errors`` (never an exception).

    ``area`` is the commune a leader of one area is limited to: a report without a commune is on it.
    Without dates, the report covers the term of the body in charge of its scope today (up to today),
    so that the link from the administration always opens a report one body can issue.
    """
    today = timezone.localdate()
    scope = parse_period_scope(data)
    if area is not None and scope.commune is None:
        scope.commune = area
    if scope.start is None and scope.end is None and not scope.errors:
        body = body_in_charge_lately(on=today, commune=scope.commune)
        if body is not None:
            scope.start, scope.end = body.start, min(body.end or today, today)
    scope.start = scope.start or settings.programme_start
    scope.end = scope.end or today
    if scope.start > scope.end and str(FROM_AFTER_TO) not in scope.errors:
        scope.errors.append(str(FROM_AFTER_TO))
    fmt = (data.get("format") or "html").strip().lower()
    if fmt not in FORMATS:
        scope.errors.append(str(UNKNOWN_FORMAT % {"value": echoed(fmt)}))
        fmt = "html"
    version = None
    if raw := (data.get("version") or "").strip():
        if raw.isascii() and raw.isdigit() and 1 <= int(raw) <= 999:
            version = int(raw)
        else:
            scope.errors.append(str(BAD_VERSION % {"value": echoed(raw)}))
    return ReportParams(**vars(scope), format=fmt, version=version)


@dataclass
class MonitoringParams:
    """Who is behind, as it stood on a day: units idle for ``months``, pledges in ``status`` (all if None)."""

    on: datetime.date
    months: int = 6
    status: str | None = None
    errors: list[str] = field(default_factory=list)

    def as_query(self) -> dict[str, str]:
        query = {"on": self.on.isoformat(), "months": str(self.months)}
        if self.status:
            query["status"] = self.status
        return query


def parse_monitoring_params(data: QueryDict) -> MonitoringParams:
    """Read on/months/status; every problem becomes a message in ``errors``."""
    errors: list[str] = []
    raw = data.get("months") or "6"
    # str.isdigit() is also true of "²", which int() refuses: ASCII digits only.
    months = int(raw) if raw.isascii() and raw.isdigit() and len(raw) <= 3 else 0
    if not 1 <= months <= 120:
        errors.append(str(BAD_MONTHS % {"value": echoed(raw)}))
        months = 6
    status = data.get("status") or None
    if status and status not in PledgeStatus.ALL:
        errors.append(str(BAD_STATUS % {"value": echoed(status)}))
    # Leadership may look at the situation as it stood on a past day (e.g. the end of a year).
    on = read_date(data, "on", errors) or timezone.localdate()
    return MonitoringParams(on=on, months=months, status=status, errors=errors)
