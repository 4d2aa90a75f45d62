"""Files people open: what the results page shows as an Excel workbook, and each chart as an SVG or PNG.

The contract's machine files (apps.portal.open_data) stay as they are; these are for a citizen's
spreadsheet program or a slide: Vietnamese headers, names instead of codes, dates as dd/mm/yyyy,
numbers as numbers. The PNG is drawn on the server by CairoSVG from the very SVG the page shows, so the
public pages keep running no script (their CSP forbids it) and the picture works in any browser.
"""

from __future__ import annotations

import datetime
import re
from io import BytesIO
from typing import Any

import cairosvg
from csp.constants import NONE
from csp.decorators import csp
from django.http import Http404, HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.worksheet import Worksheet

from apps.core.spreadsheets import XLSX_CONTENT_TYPE, write_cell
from apps.donations.params import PeriodScope, parse_period_scope
from apps.donations.selectors import totals
from apps.portal import selectors
from apps.portal.caching import rate_limited
from apps.portal.charts import BarChart
from apps.portal.presenters import sector_table, yearly_charts
from apps.units.models import Unit

PNG_SCALE = 2  # sharp on a phone's screen and in a printed slide
DATE_FORMAT = "dd/mm/yyyy"
# A picture or a workbook carries no script and loads nothing.
FILE_CSP = {"default-src": [NONE], "style-src": ["'unsafe-inline'"], "img-src": ["data:"]}


def _bad_request(message: str) -> HttpResponse:
    return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _scope_label(scope: PeriodScope, unit: Unit | None, *, last_day: datetime.date) -> str:
    parts = []
    if scope.start or scope.end:
        start = scope.start.strftime("%d/%m/%Y") if scope.start else "…"
        end = scope.end.strftime("%d/%m/%Y") if scope.end else "…"
        parts.append(f"{start} – {end}")
    if scope.commune:
        parts.append(scope.commune.display_name(on=last_day))
    if scope.group:
        parts.append(scope.group.name_on(last_day))
    if unit:
        parts.append(unit.name)
    return " · ".join(parts)


# --- Charts ----------------------------------------------------------------------------


@require_GET
@rate_limited
@csp(FILE_CSP)
def chart_file(request: HttpRequest, key: str, extension: str) -> HttpResponse:
    """One chart of a page, for the page's own scope: ?from, to, commune, group as the results page, or ?unit."""
    scope = parse_period_scope(request.GET, strict_iso=True)
    if scope.errors:
        return _bad_request(scope.errors[0])
    unit = None
    if code := request.GET.get("unit"):
        unit = Unit.objects.filter(code=code).first()
        if unit is None:
            return _bad_request(_("There is no unit with this code."))
    series = selectors.yearly_series(
        start=scope.start, end=scope.end, commune=scope.commune, group=scope.group, unit=unit
    )
    chart: BarChart | None = next((c for c in yearly_charts(series) if c.key == key), None)
    if chart is None:
        raise Http404
    last_day = min(scope.end, timezone.localdate()) if scope.end else timezone.localdate()
    svg = render_to_string(
        "portal/_bar_chart_svg.html",
        {"chart": chart, "standalone": True, "scope_label": _scope_label(scope, unit, last_day=last_day)},
    )
    if extension == "svg":
        return _attachment(HttpResponse(svg, content_type="image/svg+xml; charset=utf-8"), f"{key}.svg")
    png = cairosvg.svg2png(bytestring=svg.encode(), scale=PNG_SCALE)
    return _attachment(HttpResponse(png, content_type="image/png"), f"{key}.png")


# --- The results page as a workbook ------------------------------------------------------


def _heading_row(sheet: Worksheet, row: int, labels: list[str]) -> None:
    for column, label in enumerate(labels, start=1):
        write_cell(sheet, row, column, label).font = Font(bold=True)
        sheet.cell(row=row, column=column).alignment = Alignment(wrap_text=True, vertical="top")


def _number_cell(sheet: Worksheet, row: int, column: int, value: Any) -> None:
    value = value or 0
    cell = write_cell(sheet, row, column, int(value) if value == int(value) else float(value))
    cell.number_format = "#,##0" if value == int(value) else "#,##0.0"


def _period_sheet(sheet: Worksheet, *, scope: PeriodScope, last_day: datetime.date, table: dict[str, Any]) -> None:
    sheet.title = _("Results")[:31]
    write_cell(sheet, 1, 1, _("Results by period")).font = Font(bold=True, size=13)
    facts = [
        (_("From"), scope.start),
        (_("To"), scope.end),
        (_("Commune or town"), scope.commune.display_name(on=last_day) if scope.commune else _("All communes")),
        (_("Group of units"), scope.group.name_on(last_day) if scope.group else _("All groups")),
    ]
    for row, (label, value) in enumerate(facts, start=2):
        write_cell(sheet, row, 1, label).font = Font(bold=True)
        if isinstance(value, datetime.date):
            write_cell(sheet, row, 2, value).number_format = DATE_FORMAT
        else:
            write_cell(sheet, row, 2, value if value is not None else _("no limit"))
    header_row = len(facts) + 3
    _heading_row(sheet, header_row, [_("Help given"), _("Measure"), *map(str, table["columns"])])
    for offset, figure in enumerate(table["rows"], start=1):
        row = header_row + offset
        write_cell(sheet, row, 1, str(figure["label"]))
        write_cell(sheet, row, 2, _("đồng") if figure["money"] else str(figure["measure"]))
        for column, value in enumerate(figure["values"], start=3):
            _number_cell(sheet, row, column, value)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=3)
    sheet.column_dimensions["A"].width = 42
    sheet.column_dimensions["B"].width = 14
    for letter in "CDEF":
        sheet.column_dimensions[letter].width = 22


def _yearly_sheet(sheet: Worksheet, series: list[dict[str, Any]]) -> None:
    sheet.title = _("Per year")[:31]
    columns = [
        ("money_vnd", _("Money (đồng)")),
        ("loans_vnd", _("Interest-free loans of capital (đồng)")),
        ("labour_days", _("Labour (workdays)")),
        ("household_visits", _("Household-visits")),
        ("students", _("Students")),
    ]
    _heading_row(sheet, 1, [_("Year"), *(label for _key, label in columns)])
    for row, year in enumerate(series, start=2):
        write_cell(sheet, row, 1, year["year"])
        for column, (key, _label) in enumerate(columns, start=2):
            _number_cell(sheet, row, column, year[key])
    sheet.freeze_panes = "B2"
    for letter in "BCDEF":
        sheet.column_dimensions[letter].width = 20


@require_GET
@rate_limited
def results_xlsx(request: HttpRequest) -> HttpResponse:
    """What /ket-qua/ shows for the same parameters: the table by sector and the figures per year."""
    scope = parse_period_scope(request.GET, strict_iso=True)
    if scope.errors:
        return _bad_request(scope.errors[0])
    today = timezone.localdate()
    last_day = min(scope.end, today) if scope.end else today
    first_day = scope.start or selectors.programme_settings().programme_start
    sector_labels = selectors.sector_labels_for_period(start=first_day, end=max(first_day, last_day))
    figures = totals(start=scope.start, end=scope.end, commune=scope.commune, group=scope.group)
    series = selectors.yearly_series(start=scope.start, end=scope.end, commune=scope.commune, group=scope.group)
    workbook = Workbook()
    _period_sheet(
        workbook.active, scope=scope, last_day=last_day, table=sector_table(figures, sector_labels=sector_labels)
    )
    _yearly_sheet(workbook.create_sheet(), series)
    content = BytesIO()
    workbook.save(content)
    name = re.sub(r"[^A-Za-z0-9_-]+", "-", "-".join(["ket-qua", *scope.as_query().values()]))
    return _attachment(HttpResponse(content.getvalue(), content_type=XLSX_CONTENT_TYPE), f"{name}.xlsx")
