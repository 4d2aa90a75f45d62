from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from apps.accounts.decorators import role_required
from apps.accounts.roles import DISTRICT_STAFF, LEADERSHIP, has_role
from apps.core.models import ProgrammeSettings
from apps.core.spreadsheets import XLSX_CONTENT_TYPE
from apps.pledges.selectors import BEHIND_MARGIN
from apps.reports import documents, monitoring, selectors, services, vietnamese
from apps.reports.freezing import differences
from apps.reports.models import FrozenReport
from apps.reports.params import ReportParams, parse_monitoring_params, parse_report_params

READERS = (LEADERSHIP, DISTRICT_STAFF)
FORBIDDEN = "reports/forbidden.html"


def _bad_request(request: HttpRequest, errors: list[str]) -> HttpResponse:
    return render(request, "reports/bad_request.html", {"errors": errors}, status=400)


def _file(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _filename(params: ReportParams, extension: str) -> str:
    scope = "".join(f"-{c}" for c in (params.commune and params.commune.code, params.group and params.group.code) if c)
    return f"bao-cao-{params.start:%Y%m%d}-{params.end:%Y%m%d}{scope}.{extension}"


@require_GET
@role_required(*READERS, forbidden_template=FORBIDDEN)
def summary(request: HttpRequest) -> HttpResponse:
    """The printable period report, as HTML, PDF (?format=pdf) or XLSX (?format=xlsx)."""
    programme = ProgrammeSettings.load()
    params = parse_report_params(request.GET, programme)
    if params.errors:
        return _bad_request(request, params.errors)
    current = selectors.report_figures(start=params.start, end=params.end, commune=params.commune, group=params.group)
    frozen = (
        FrozenReport.objects.filter(start=params.start, end=params.end, commune=params.commune, group=params.group)
        .select_related("frozen_by")
        .first()
    )
    figures = frozen.approved_figures() if frozen else current
    tables = documents.report_tables(figures)
    if params.format == "xlsx":
        heading = f"{params.start:%d/%m/%Y} - {params.end:%d/%m/%Y}"
        return _file(documents.workbook_bytes(tables, heading), XLSX_CONTENT_TYPE, _filename(params, "xlsx"))

    issued = min(params.end, timezone.localdate())
    context = {
        "programme": programme,
        "params": params,
        "query": urlencode(params.as_query()),
        "figures": figures,
        "tables": tables,
        "sector_labels": documents.SECTOR_LABELS,
        "indicator_labels": documents.INDICATOR_LABELS,
        "sector_goods": {s: documents.goods_phrase(t["goods"]) for s, t in figures["sectors"].items()},
        "total_goods": documents.goods_phrase(figures["total"]["goods"]),
        "frozen": frozen,
        "changes": differences(frozen.figures, current) if frozen else [],
        "can_freeze": not frozen and has_role(request.user, DISTRICT_STAFF),
        "date_line": vietnamese.date_line(programme.place_name, issued),
        "number_line": vietnamese.number_line(programme.issuing_body_code),
        "for_pdf": params.format == "pdf",
    }
    if params.format == "pdf":
        html = render_to_string("reports/summary.html", context, request)
        return _file(documents.pdf_bytes(html), "application/pdf", _filename(params, "pdf"))
    return render(request, "reports/summary.html", context)


@require_POST
@role_required(DISTRICT_STAFF, forbidden_template=FORBIDDEN)
def freeze(request: HttpRequest) -> HttpResponse:
    """Store the report's current figures as the approved ones (district staff, after leadership approves)."""
    params = parse_report_params(request.POST, ProgrammeSettings.load())
    if params.errors:
        return _bad_request(request, params.errors)
    try:
        services.freeze_report(
            start=params.start, end=params.end, commune=params.commune, group=params.group, user=request.user
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("The report is frozen: it will always show the figures approved today."))
    return redirect(f"{reverse('reports:summary')}?{urlencode(params.as_query())}")


# The page shows the worst first and stops here; the Excel download has every row.
MONITORING_ROWS_SHOWN = 200


@require_GET
@role_required(*READERS, forbidden_template=FORBIDDEN)
def monitoring_page(request: HttpRequest) -> HttpResponse:
    """Who is behind: pledges, units without recent help, open loans; each list downloadable."""
    options = parse_monitoring_params(request.GET)
    if options.errors:
        return _bad_request(request, options.errors)
    context = {
        **admin.site.each_context(request),
        "title": _("Monitoring of commitments"),
        "on": options.on,
        "months": options.months,
        "status": options.status,
        "statuses": documents.STATUS_LABELS,
        "lists": monitoring.monitoring_lists(on=options.on, months=options.months, status=options.status),
        "query": urlencode(options.as_query()),
        "rows_shown": MONITORING_ROWS_SHOWN,
        "margin": int(BEHIND_MARGIN * 100),
    }
    return render(request, "reports/monitoring.html", context)


@require_GET
@role_required(*READERS, forbidden_template=FORBIDDEN)
def monitoring_export(request: HttpRequest, name: str) -> HttpResponse:
    options = parse_monitoring_params(request.GET)
    if options.errors:
        return _bad_request(request, options.errors)
    tables = monitoring.monitoring_lists(on=options.on, months=options.months, status=options.status)
    lists = {table["key"]: table for table in tables}
    if name not in lists:
        return _bad_request(request, [str(monitoring.UNKNOWN_LIST)])
    content = documents.workbook_bytes([lists[name]], heading=f"{options.on:%d/%m/%Y}")
    return _file(content, XLSX_CONTENT_TYPE, f"theo-doi-{name}-{options.on:%Y%m%d}.xlsx")
