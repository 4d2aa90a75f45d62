"""Download an admin changelist, as filtered and searched on screen, as an Excel workbook."""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Callable
from io import BytesIO
from typing import Any

from django.contrib import admin
from django.contrib.admin.utils import label_for_field, lookup_field
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from apps.core.spreadsheets import XLSX_CONTENT_TYPE, write_cell


def cell_value(model_admin: admin.ModelAdmin, obj: models.Model, name: str | Callable) -> Any:
    """The value a changelist column shows, as a spreadsheet wants it: numbers and dates stay typed."""
    if callable(name) and hasattr(name, "export_attr"):
        # A column formatted for the screen (see admin_base.short_date): export the raw value.
        name = name.export_attr
    field, _attr, value = lookup_field(name, obj, model_admin)
    if field is not None and getattr(field, "flatchoices", None):
        value = dict(field.flatchoices).get(value, value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, (int, float, datetime.date)):
        return value
    return strip_tags(str(value))


def export_changelist(model_admin: admin.ModelAdmin, request: HttpRequest) -> HttpResponse:
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    changelist = model_admin.get_changelist_instance(request)
    # A list may combine figures into one readable cell on screen ("10 kg Gạo"); its ``list_export``
    # then names the separate columns a spreadsheet needs to add them up.
    columns = getattr(model_admin, "list_export", None) or changelist.list_display
    columns = [name for name in columns if name != "action_checkbox"]

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = str(capfirst(model_admin.opts.verbose_name_plural))[:31]
    for column_number, name in enumerate(columns, start=1):
        label = str(capfirst(label_for_field(name, model_admin.model, model_admin)))
        write_cell(sheet, 1, column_number, label).font = Font(bold=True)
    sheet.freeze_panes = "A2"

    # changelist.queryset is the filtered, searched, ordered queryset with list_select_related
    # and the admin's annotations applied: one query for all rows, whatever their number.
    for row_number, obj in enumerate(changelist.queryset.iterator(chunk_size=2000), start=2):
        for column_number, name in enumerate(columns, start=1):
            value = cell_value(model_admin, obj, name)
            # Text is stored as an explicit string, quote-prefixed when it looks like a formula.
            cell = write_cell(sheet, row_number, column_number, value)
            if isinstance(value, int):
                cell.number_format = "#,##0"
            elif isinstance(value, float):
                cell.number_format = "#,##0.##"
            elif isinstance(value, datetime.datetime):
                cell.number_format = "dd/mm/yyyy hh:mm"
            elif isinstance(value, datetime.date):
                cell.number_format = "dd/mm/yyyy"
    for column_cells in sheet.columns:
        width = max(len(str(c.value or "")) for c in column_cells[:200])
        sheet.column_dimensions[column_cells[0].column_letter].width = min(max(width + 2, 8), 60)

    buffer = BytesIO()
    workbook.save(buffer)
    filename = f"{model_admin.opts.model_name}-{timezone.localdate():%Y%m%d}.xlsx"
    response = HttpResponse(buffer.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
