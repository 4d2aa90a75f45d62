"""The admin's import pages: upload, preview (nothing written), confirm (all or nothing)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.spreadsheets import XLSX_CONTENT_TYPE
from apps.imports import pending
from apps.imports.forms import UploadForm
from apps.imports.importer import Problem, Report, import_file, kinds_in
from apps.imports.kinds import KINDS, ORDER, WORKBOOK
from apps.imports.models import ImportRun
from apps.imports.parsing import MAX_FILE_BYTES, MAX_ROWS, estimate_rows
from apps.imports.spreadsheets import template_for
from apps.imports.tasks import run_import

# Files above this many rows are checked and imported in the background, with a progress bar.
BACKGROUND_ROWS = getattr(settings, "IMPORT_BACKGROUND_ROWS", 2_000)


def may_import(user, kind_names: list[str]) -> list[str]:
    """The KINDs among ``kind_names`` this user may NOT import (needs add and change permission).

    Model permissions, not roles (so not :func:`apps.accounts.decorators.role_required`): a focal
    point imports the kinds its role may write, and the rows are then scoped like the admin's.
    """
    refused = []
    for name in kind_names:
        opts = KINDS[name].model._meta
        if not (
            user.has_perm(f"{opts.app_label}.add_{opts.model_name}")
            and user.has_perm(f"{opts.app_label}.change_{opts.model_name}")
        ):
            refused.append(name)
    return refused


def _page(
    request: HttpRequest,
    *,
    form: UploadForm,
    report: Report | None = None,
    token: str = "",
    kind: str = "",
    file_name: str = "",
    status: int = 200,
) -> TemplateResponse:
    context = {
        **admin.site.each_context(request),
        "title": _("Import records from a spreadsheet"),
        "form": form,
        "report": report,
        "token": token,
        "kind": kind,
        "file_name": file_name,
        "kinds": [KINDS[name] for name in ORDER],
        "limit_mb": MAX_FILE_BYTES // (1024 * 1024),
        "limit_rows": MAX_ROWS,
        "background_rows": BACKGROUND_ROWS,
        "runs": ImportRun.objects.filter(user=request.user).defer("content")[:5],
    }
    return TemplateResponse(request, "imports/upload.html", context, status=status)


def _refusal(request: HttpRequest, form: UploadForm, refused: list[str]) -> TemplateResponse:
    report = Report()
    report.errors = [
        Problem(None, "", _("You are not allowed to import %(kind)s.") % {"kind": KINDS[name].label})
        for name in refused
    ]
    return _page(request, form=form, report=report, status=403)


@staff_member_required
def upload(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _page(request, form=UploadForm())
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, form=form, status=400)
    kind = form.cleaned_data["kind"]
    upload_file = form.cleaned_data["file"]
    content = upload_file.read()
    refused = may_import(request.user, [k.name for k in kinds_in(content, upload_file.name, kind)])
    if refused:
        return _refusal(request, form, refused)
    if estimate_rows(content, upload_file.name) > BACKGROUND_ROWS:
        _forget_stale_runs()
        run = ImportRun.objects.create(
            user=request.user, kind=kind, file_name=upload_file.name, content=content, language=get_language() or ""
        )
        run_import.enqueue(str(run.pk))
        return redirect("imports:run", run_id=run.pk)
    report = import_file(kind, content, upload_file.name, dry_run=True, user=request.user, via="admin")
    token = (
        pending.keep(request, kind=kind, file_name=upload_file.name, content=content, versions=report.versions)
        if report.ok
        else ""
    )
    return _page(
        request,
        form=UploadForm(initial={"kind": kind}),
        report=report,
        token=token,
        kind=kind,
        file_name=upload_file.name,
    )


@staff_member_required
@require_POST
def confirm(request: HttpRequest) -> HttpResponse:
    token = request.POST.get("token", "")
    found = pending.fetch(request, token)
    if found is None:
        messages.error(request, _("This upload has expired or was already imported; upload the file again."))
        return redirect("imports:upload")
    kind, file_name, content, versions = found
    form = UploadForm(initial={"kind": kind})
    refused = may_import(request.user, [k.name for k in kinds_in(content, file_name, kind)])
    if refused:
        return _refusal(request, form, refused)
    # Validated again: the records may have changed since the preview (and one changed since is not overwritten).
    report = import_file(
        kind, content, file_name, dry_run=False, user=request.user, via="admin", seen_versions=versions
    )
    if not report.ok:
        pending.discard(request, token)
        return _page(request, form=form, report=report, kind=kind, file_name=file_name, status=400)
    pending.discard(request, token)
    messages.success(
        request,
        _("%(file)s imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.")
        % {"file": file_name, "created": report.created, "updated": report.updated, "unchanged": report.unchanged},
    )
    return redirect("imports:upload")


@staff_member_required
def template(request: HttpRequest, kind: str) -> HttpResponse:
    if kind != WORKBOOK and kind not in KINDS:
        raise Http404
    response = HttpResponse(template_for(kind), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="mau-nhap-{kind}.xlsx"'
    return response


# --- Background runs -------------------------------------------------------------------------


def _stale_before() -> datetime.datetime:
    """A checked file waits as long as an upload does (pending.py) for its confirmation."""
    return timezone.now() - datetime.timedelta(seconds=pending.MAX_AGE_SECONDS)


def _forget_stale_runs() -> None:
    """Files checked but never confirmed are not kept: they may hold households' names."""
    ImportRun.objects.filter(created_at__lt=_stale_before()).exclude(content=b"").update(content=b"")


def _own_run(request: HttpRequest, run_id) -> ImportRun:
    """Only the uploader sees a run: its rows may hold households' names."""
    return get_object_or_404(ImportRun.objects.defer("content"), pk=run_id, user=request.user)


@staff_member_required
def run_page(request: HttpRequest, run_id) -> HttpResponse:
    """Where a background check or import stands: a bar while it runs, then its report (and the confirm button)."""
    run = _own_run(request, run_id)
    report = Report.from_dict(run.report) if run.report else None
    may_confirm = (
        run.action == ImportRun.Action.CHECK
        and run.state == ImportRun.State.DONE
        and report is not None
        and report.ok
        and run.created_at >= _stale_before()
        and ImportRun.objects.filter(pk=run.pk).exclude(content=b"").exists()
    )
    context = {
        **admin.site.each_context(request),
        "title": _("Import records from a spreadsheet"),
        "run": run,
        "report": report,
        "file_name": run.file_name,
        "confirm_url": reverse("imports:run_confirm", args=[run.pk]) if may_confirm else "",
        "refresh_seconds": 2,
        # No word from the worker for a while: it may not be running (the page says so, and what to do).
        "stalled": not run.finished and run.updated_at < timezone.now() - datetime.timedelta(minutes=2),
    }
    return TemplateResponse(request, "imports/run.html", context)


@staff_member_required
def run_status(request: HttpRequest, run_id) -> JsonResponse:
    """The bar's figures, for a page that polls instead of reloading."""
    run = _own_run(request, run_id)
    return JsonResponse(
        {
            "state": run.state,
            "action": run.action,
            "done": run.done,
            "total": run.total,
            "percent": run.percent,
            "finished": run.finished,
            "ok": bool(run.report and not run.report.get("errors")),
        }
    )


@staff_member_required
@require_POST
def run_confirm(request: HttpRequest, run_id) -> HttpResponse:
    """Import a checked file for real, in the background; it is checked again as it is written."""
    run = _own_run(request, run_id)
    ready = (
        run.action == ImportRun.Action.CHECK
        and run.state == ImportRun.State.DONE
        and run.report
        and not run.report.get("errors")
        and run.created_at >= _stale_before()
        and ImportRun.objects.filter(pk=run.pk).exclude(content=b"").exists()
    )
    if not ready:
        messages.error(request, _("This upload has expired or was already imported; upload the file again."))
        return redirect("imports:run", run_id=run.pk)
    content = ImportRun.objects.values_list("content", flat=True).get(pk=run.pk)
    refused = may_import(request.user, [k.name for k in kinds_in(bytes(content), run.file_name, run.kind)])
    if refused:
        return _refusal(request, UploadForm(initial={"kind": run.kind}), refused)
    updated = ImportRun.objects.filter(pk=run.pk, action=ImportRun.Action.CHECK).update(
        action=ImportRun.Action.IMPORT, state=ImportRun.State.QUEUED, done=0, report=None, language=get_language()
    )
    if updated:  # a second click on the button does not import twice
        run_import.enqueue(str(run.pk))
    return redirect("imports:run", run_id=run.pk)
