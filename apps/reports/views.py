from __future__ import annotations

import datetime
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from apps.accounts import scoping
from apps.accounts.decorators import role_required
from apps.accounts.roles import DISTRICT_STAFF, LEADERSHIP, has_role
from apps.bodies.selectors import Issuer, Segment, commune_parts, issuer_for, sector_labels_for
from apps.communes.models import Commune
from apps.core.dates import parse_date
from apps.core.models import ProgrammeSettings
from apps.core.spreadsheets import XLSX_CONTENT_TYPE
from apps.pledges.selectors import BEHIND_MARGIN
from apps.reports import documents, monitoring, selectors, services
from apps.reports.freezing import differences, text_differences
from apps.reports.models import FrozenReport, ReportDraft, ReportPdfRun
from apps.reports.ordering import ordered_figures
from apps.reports.outline import OUTLINE, SECTION_KEYS, document_parts
from apps.reports.params import ReportParams, parse_monitoring_params, parse_report_params
from apps.reports.tasks import render_report_pdf

READERS = (LEADERSHIP, DISTRICT_STAFF)
FORBIDDEN = "reports/forbidden.html"
OTHER_AREA = "reports/other_area.html"


def _bad_request(request: HttpRequest, errors: list[str]) -> HttpResponse:
    return render(request, "reports/bad_request.html", {"errors": errors}, status=400)


def _file(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# The blocks of computed figures the document places in its sections (apps.reports.outline.Section.figures).
FIGURE_BLOCKS = {"results", "pledges", "commend", "remind"}
DRAFT_SAVED = _("The report's text is saved.")
APPROVED = _("The report is approved as No. %(number)s: its figures and text are frozen.")
BAD_NUMBER = _("The number must be a whole number from 1 to 99999, or left empty for the next of the register.")
APPROVED_VERSION = _(
    "Version %(version)s of the report is approved as No. %(number)s; the earlier versions stay readable."
)
UNKNOWN_VERSION = _("This report has no approved version %(version)s.")
BAD_DATE = _("The report's date must be a date (dd/mm/yyyy) no earlier than the start of its period.")


def _scope(params: ReportParams) -> dict:
    return {"start": params.start, "end": params.end, "commune": params.commune, "group": params.group}


def _filename(params: ReportParams, extension: str) -> str:
    scope = "".join(f"-{c}" for c in (params.commune and params.commune.code, params.group and params.group.code) if c)
    return f"bao-cao-{params.start:%Y%m%d}-{params.end:%Y%m%d}{scope}.{extension}"


def _read_params(
    request: HttpRequest, data: QueryDict, programme: ProgrammeSettings
) -> tuple[ReportParams, HttpResponse | None]:
    """The report's parameters for this user, or the page that answers instead (bad parameters, another area).

    A leader of one area reads reports on their commune (and the communes merged into it) only:
    a report without a commune is on theirs, a report on another commune is refused.
    """
    area = scoping.leaders_commune(request.user)
    params = parse_report_params(data, programme, area=area)
    if params.errors:
        return params, _bad_request(request, params.errors)
    if area is not None and params.commune.pk not in scoping.leaders_commune_ids(request.user):
        return params, render(request, OTHER_AREA, {"area": area}, status=403)
    return params, None


def _part_link(params: ReportParams, part: Segment, commune: Commune | None = None) -> str:
    query = {**params.as_query(), **part.dates_query()}
    if commune is not None:
        query["commune"] = commune.code
    if params.format != "html":
        query["format"] = params.format
    return f"{reverse('reports:summary')}?{urlencode(query)}"


def _issuer_needed(request: HttpRequest, params: ReportParams, issuer: Issuer) -> HttpResponse:
    """No one body issues this report: say why, and link to the reports that can be issued instead."""
    context = {
        "params": params,
        "message": issuer.message,
        "parts": [{"segment": part, "url": _part_link(params, part)} for part in issuer.parts],
        "commune_parts": [
            {"part": choice, "url": _part_link(params, choice.segment, choice.commune)}
            for choice in commune_parts(issuer=issuer)
        ],
    }
    return render(request, "reports/issuer_needed.html", context, status=400)


def _versions(params: ReportParams) -> list[FrozenReport]:
    """Every approved version of the report's period and scope, the first first."""
    return list(FrozenReport.objects.filter(**_scope(params)).select_related("frozen_by", "issuer").order_by("version"))


def _chosen_version(params: ReportParams, versions: list[FrozenReport]) -> FrozenReport | None:
    """The version asked for (``?version=N``), else the latest; None when none is approved (or N is unknown)."""
    if params.version is None:
        return versions[-1] if versions else None
    return next((v for v in versions if v.version == params.version), None)


@require_GET
@role_required(*READERS, forbidden_template=FORBIDDEN)
def summary(request: HttpRequest) -> HttpResponse:
    """The printable period report, as HTML, PDF (?format=pdf) or XLSX (?format=xlsx), issued by one body.

    An approved report shows its latest version (or ``?version=N``), and what changed: since the version
    before it, and since its approval (today's figures, the text written since for the next version)."""
    programme = ProgrammeSettings.load()
    params, refusal = _read_params(request, request.GET, programme)
    if refusal is not None:
        return refusal
    versions = _versions(params)
    frozen = _chosen_version(params, versions)
    if params.version is not None and frozen is None:
        return _bad_request(request, [str(UNKNOWN_VERSION % {"version": params.version})])
    # An approved report keeps the letterhead it was frozen with, whoever is in charge of its period now.
    body = frozen.issuer if frozen and frozen.issuer else None
    if body is None:
        issuer = issuer_for(start=params.start, end=params.end, commune=params.commune)
        if issuer.body is None:
            return _issuer_needed(request, params, issuer)
        body = issuer.body
    # The current figures of an approved report are read only to show what changed, on the screen. Every
    # pledge is listed for the workbook and to compare with an approved version; the page and the PDF sum them.
    current = (
        ordered_figures(
            selectors.report_figures(**_scope(params), listed=frozen is not None or params.format == "xlsx"), body
        )
        if frozen is None or params.format == "html"
        else None
    )
    figures = frozen.approved_figures() if frozen else current
    sector_labels = {**sector_labels_for(body=body), "total": documents.SECTOR_LABELS["total"]}
    tables = documents.report_tables(figures, sector_labels, workbook=params.format == "xlsx")
    draft = ReportDraft.objects.filter(**_scope(params)).first()
    letterhead = documents.Letterhead.of(
        body, issued=min(params.end, timezone.localdate()), report=frozen, draft=None if frozen else draft
    )
    sections = (frozen.sections if frozen else draft.sections if draft else {}) or {}
    if params.format == "xlsx":
        heading = f"{params.start:%d/%m/%Y} - {params.end:%d/%m/%Y}"
        cover = [*letterhead.lines(), "", f"{_('REPORT')} {heading}"]
        content = documents.workbook_bytes(tables, heading, cover=cover)
        return _file(content, XLSX_CONTENT_TYPE, _filename(params, "xlsx"))

    previous = next((v for v in versions if frozen and v.version == frozen.version - 1), None)
    latest = bool(frozen) and frozen is versions[-1]
    # The text written since the latest version's approval: what its next version would change.
    written_since = draft is not None and latest and draft.updated_at > frozen.frozen_at and params.format == "html"
    context = {
        "programme": programme,
        "params": params,
        "query": urlencode(params.as_query()),
        "figures": figures,
        "tables": tables,
        "letterhead": letterhead,
        "body": body,
        "sector_labels": sector_labels,
        "indicator_labels": documents.INDICATOR_LABELS,
        "sector_goods": {s: documents.goods_phrase(t["goods"]) for s, t in figures["sectors"].items()},
        "total_goods": documents.goods_phrase(figures["total"]["goods"]),
        "sentences": documents.report_sentences(figures),
        "frozen": frozen,
        "versions": versions,
        "previous": previous,
        "replaces": documents.Letterhead.of(body, issued=previous.start, report=previous) if previous else None,
        "changes": differences(frozen.figures, current) if frozen and current else [],
        "version_changes": differences(previous.figures, frozen.figures) if previous else [],
        "version_text_changes": text_differences(previous.sections, frozen.sections) if previous else [],
        "draft_text_changes": text_differences(frozen.sections, draft.sections) if written_since else [],
        "can_write": (not frozen or latest) and has_role(request.user, DISTRICT_STAFF),
        # A new version only when it would differ from the latest (services.approve_report refuses otherwise).
        "can_approve": has_role(request.user, LEADERSHIP)
        and (
            not frozen
            or (latest and current is not None and services.changed_since(frozen, figures=current, draft=draft))
        ),
        "next_version": (frozen.version + 1) if frozen else 1,
        "next_number": services.next_number(body, min(params.end, timezone.localdate()).year)
        if params.format == "html"
        else None,
        "draft": draft,
        "parts": document_parts(sections, FIGURE_BLOCKS),
        "for_pdf": params.format == "pdf",
    }
    if params.format == "pdf":
        return _pdf_response(request, params, render_to_string("reports/summary.html", context, request))
    return render(request, "reports/summary.html", context)


PDF_RUNS_KEPT = datetime.timedelta(days=7)


def _pdf_response(request: HttpRequest, params: ReportParams, html: str) -> HttpResponse:
    """The PDF at once when it is made already (the cache, or a background run of the same HTML) or short
    enough to lay out while the browser waits; otherwise a background run and the page that follows it."""
    filename = _filename(params, "pdf")
    key = documents.pdf_key(html)
    if (pdf := documents.cached_pdf(key)) is not None:
        return _file(pdf, "application/pdf", filename)
    made = ReportPdfRun.objects.filter(digest=key, state=ReportPdfRun.State.DONE).values_list("pdf", flat=True)
    if (pdf := made.first()) is not None:
        return _file(bytes(pdf), "application/pdf", filename)
    waiting = ReportPdfRun.objects.filter(
        digest=key, user=request.user, state__in=(ReportPdfRun.State.QUEUED, ReportPdfRun.State.RUNNING)
    )
    if (run_id := waiting.values_list("pk", flat=True).first()) is not None:
        return redirect("reports:pdf_run", run_id=run_id)  # asked again while it is being made: its page
    if len(html.encode()) <= settings.REPORT_PDF_BACKGROUND_HTML_BYTES:
        return _file(documents.pdf_bytes(html), "application/pdf", filename)
    # Runs are not kept for ever: a made PDF serves the same report again for a week, then goes.
    ReportPdfRun.objects.filter(created_at__lt=timezone.now() - PDF_RUNS_KEPT).delete()
    run = ReportPdfRun.objects.create(
        user=request.user,
        title=f"{_('Report')} {params.start:%d/%m/%Y} - {params.end:%d/%m/%Y}",
        file_name=filename,
        summary_url=_summary_url(params),
        digest=key,
        html=html,
    )
    render_report_pdf.enqueue(str(run.pk))
    return redirect("reports:pdf_run", run_id=run.pk)


def _own_pdf_run(request: HttpRequest, run_id) -> ReportPdfRun:
    """Only the person who asked sees the run: its report may be on an area other readers may not see."""
    return get_object_or_404(ReportPdfRun.objects.defer("html", "pdf"), pk=run_id, user=request.user)


@require_GET
@role_required(*READERS, forbidden_template=FORBIDDEN)
def pdf_run(request: HttpRequest, run_id) -> HttpResponse:
    """Where a background PDF stands: a bar that moves with the layout's steps, then the download link."""
    run = _own_pdf_run(request, run_id)
    context = {
        **admin.site.each_context(request),
        "title": _("Report PDF"),
        "run": run,
        "refresh_seconds": 2,
        # No word from the worker for a while: it may not be running (the page says so, and what to do).
        "stalled": not run.finished and run.updated_at < timezone.now() - datetime.timedelta(minutes=2),
    }
    return render(request, "reports/pdf_run.html", context)


@require_GET
@role_required(*READERS, forbidden_template=FORBIDDEN)
def pdf_download(request: HttpRequest, run_id) -> HttpResponse:
    run = _own_pdf_run(request, run_id)
    if run.state != ReportPdfRun.State.DONE:
        return redirect("reports:pdf_run", run_id=run.pk)
    pdf = ReportPdfRun.objects.values_list("pdf", flat=True).get(pk=run.pk)
    return _file(bytes(pdf), "application/pdf", run.file_name)


@require_POST
@role_required(DISTRICT_STAFF, forbidden_template=FORBIDDEN)
def freeze(request: HttpRequest) -> HttpResponse:
    """Store the report's current figures as the approved ones (district staff, after leadership approves).

    Kept for reports frozen by figures alone; the report page now offers approval (:func:`approve`), which
    freezes text, number and signer with the figures."""
    params, refusal = _read_params(request, request.POST, ProgrammeSettings.load())
    if refusal is not None:
        return refusal
    issuer = issuer_for(start=params.start, end=params.end, commune=params.commune)
    if issuer.body is None:
        return _issuer_needed(request, params, issuer)
    try:
        services.freeze_report(
            start=params.start,
            end=params.end,
            commune=params.commune,
            group=params.group,
            user=request.user,
            issuer=issuer.body,
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
    if (area := scoping.leaders_commune(request.user)) is not None:
        # The lists cover every unit of the installation; a leader of one area reads their area's report.
        return render(request, OTHER_AREA, {"area": area}, status=403)
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
        "lists": monitoring.monitoring_lists(
            on=options.on, months=options.months, status=options.status, limit=MONITORING_ROWS_SHOWN
        ),
        "query": urlencode(options.as_query()),
        "rows_shown": MONITORING_ROWS_SHOWN,
        "margin": int(BEHIND_MARGIN * 100),
    }
    return render(request, "reports/monitoring.html", context)


@require_GET
@role_required(*READERS, forbidden_template=FORBIDDEN)
def monitoring_export(request: HttpRequest, name: str) -> HttpResponse:
    if (area := scoping.leaders_commune(request.user)) is not None:
        # The lists cover every unit of the installation; a leader of one area reads their area's report.
        return render(request, OTHER_AREA, {"area": area}, status=403)
    options = parse_monitoring_params(request.GET)
    if options.errors:
        return _bad_request(request, options.errors)
    tables = monitoring.monitoring_lists(on=options.on, months=options.months, status=options.status)
    lists = {table["key"]: table for table in tables}
    if name not in lists:
        return _bad_request(request, [str(monitoring.UNKNOWN_LIST)])
    content = documents.workbook_bytes([lists[name]], heading=f"{options.on:%d/%m/%Y}")
    return _file(content, XLSX_CONTENT_TYPE, f"theo-doi-{name}-{options.on:%Y%m%d}.xlsx")


def _issuer_or_refusal(request: HttpRequest, params: ReportParams) -> tuple[Any, HttpResponse | None]:
    issuer = issuer_for(start=params.start, end=params.end, commune=params.commune)
    if issuer.body is None:
        return None, _issuer_needed(request, params, issuer)
    return issuer.body, None


def _summary_url(params: ReportParams) -> str:
    return f"{reverse('reports:summary')}?{urlencode(params.as_query())}"


@role_required(DISTRICT_STAFF, forbidden_template=FORBIDDEN)
def draft(request: HttpRequest) -> HttpResponse:
    """Staff write the report's text per section, its signer and recipients. Once a version is approved its
    text is kept with it; what is written here after that is the text of the next version."""
    data = request.POST if request.method == "POST" else request.GET
    params, refusal = _read_params(request, data, ProgrammeSettings.load())
    if refusal is not None:
        return refusal
    body, refusal = _issuer_or_refusal(request, params)
    if refusal is not None:
        return refusal
    params.version = None  # the draft is the text of the next version, whichever version was on the screen
    frozen = FrozenReport.objects.filter(**_scope(params)).order_by("-version").first()
    current = ReportDraft.objects.filter(**_scope(params)).first()
    values = {
        "sections": dict(current.sections) if current else {},
        "signer_capacity": current.signer_capacity if current else body.signer_title,
        "signer_title": current.signer_title if current else body.signer_role,
        "signer_name": current.signer_name if current else body.signer_name,
        "recipients": list(current.recipients) if current and current.recipients else body.recipient_lines,
    }
    status = 200
    if request.method == "POST":
        if "previous" in request.POST:
            previous = services.previous_sections(start=params.start, commune=params.commune, group=params.group)
            if previous is None:
                messages.error(request, str(services.NO_PREVIOUS))
            else:
                values["sections"] = previous
        else:
            values = {
                "sections": {key: request.POST.get(f"section_{key}", "") for key in SECTION_KEYS},
                "signer_capacity": request.POST.get("signer_capacity", ""),
                "signer_title": request.POST.get("signer_title", ""),
                "signer_name": request.POST.get("signer_name", ""),
                "recipients": [line for line in request.POST.getlist("recipients") if line in body.recipient_lines],
            }
            try:
                services.save_draft(**_scope(params), user=request.user, **values)
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
                status = 400
            else:
                messages.success(request, str(DRAFT_SAVED))
                return redirect(f"{reverse('reports:draft')}?{urlencode(params.as_query())}")
    context = {
        **admin.site.each_context(request),
        "title": _("Text of the report"),
        "params": params,
        "body": body,
        "frozen": frozen,
        "next_version": frozen.version + 1 if frozen else 1,
        "outline": [
            {
                "heading": part.heading,
                "sections": [
                    {"key": s.key, "heading": s.heading, "hint": s.hint, "text": values["sections"].get(s.key, "")}
                    for s in part.sections
                ],
            }
            for part in OUTLINE
        ],
        "values": values,
        "standard_recipients": body.recipient_lines,
        "summary_url": _summary_url(params),
    }
    return render(request, "reports/draft.html", context, status=status)


def _approval_input(request: HttpRequest, params: ReportParams) -> tuple[int | None, Any, list[str]]:
    errors: list[str] = []
    number = None
    if raw := request.POST.get("number", "").strip():
        if raw.isdigit() and 1 <= int(raw) <= 99_999:
            number = int(raw)
        else:
            errors.append(str(BAD_NUMBER))
    issued = min(params.end, timezone.localdate())
    if raw := request.POST.get("date", "").strip():
        try:
            parsed = parse_date(raw)
        except ValueError:
            parsed = None
        if parsed is None or parsed < params.start:
            errors.append(str(BAD_DATE))
        else:
            issued = parsed
    return number, issued, errors


@require_POST
@role_required(LEADERSHIP, forbidden_template=FORBIDDEN)
def approve(request: HttpRequest) -> HttpResponse:
    """Leadership approves the report: figures and text frozen together, with its number and date."""
    params, refusal = _read_params(request, request.POST, ProgrammeSettings.load())
    if refusal is not None:
        return refusal
    body, refusal = _issuer_or_refusal(request, params)
    if refusal is not None:
        return refusal
    params.version = None  # back to the report page on its latest version, the one just approved
    number, issued, errors = _approval_input(request, params)
    if errors:
        return _bad_request(request, errors)
    try:
        report = services.approve_report(
            **_scope(params), user=request.user, issuer=body, issued_on=issued, number=number
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        message = APPROVED if report.version == 1 else APPROVED_VERSION
        messages.success(
            request, str(message % {"number": f"{report.number}-BC/{body.symbol}", "version": report.version})
        )
    return redirect(_summary_url(params))
