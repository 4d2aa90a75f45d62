"""The admin's import pages: upload, preview (nothing written), confirm (all or nothing)."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from apps.core.spreadsheets import XLSX_CONTENT_TYPE
from apps.imports import pending
from apps.imports.forms import UploadForm
from apps.imports.importer import Problem, Report, import_file, kinds_in
from apps.imports.kinds import KINDS, ORDER, WORKBOOK
from apps.imports.parsing import MAX_FILE_BYTES, MAX_ROWS
from apps.imports.spreadsheets import template_for


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
    report = import_file(kind, content, upload_file.name, dry_run=True, user=request.user, via="admin")
    token = pending.keep(request, kind=kind, file_name=upload_file.name, content=content) if report.ok else ""
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
    kind, file_name, content = found
    form = UploadForm(initial={"kind": kind})
    refused = may_import(request.user, [k.name for k in kinds_in(content, file_name, kind)])
    if refused:
        return _refusal(request, form, refused)
    # Validated again: the records may have changed since the preview.
    report = import_file(kind, content, file_name, dry_run=False, user=request.user, via="admin")
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
