"""The audit trail: who changed which record, when, from where, and the values before and after.

Events are written by PostgreSQL triggers (django-pghistory), so bulk updates, imports and raw
SQL are caught as well as admin saves. This module adds the context (user, page or import) and
the admin views that let staff read the history; nobody can edit it through the portal.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from contextlib import suppress
from decimal import Decimal, InvalidOperation
from typing import Any

import pghistory
from django.apps import apps
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import connection, models
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import Resolver404, resolve
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from pghistory.middleware import HistoryMiddleware
from pghistory.models import Events

from apps.core.numbers import grouped

# The event's own bookkeeping, and the row id (shown as the record): not values anyone edited.
HIDDEN_FIELDS = {
    "id",
    "pgh_id",
    "pgh_created_at",
    "pgh_label",
    "pgh_obj",
    "pgh_obj_id",
    "pgh_context",
    "pgh_context_id",
}

EVENT_LABELS = {
    "insert": _("created"),
    "update": _("changed"),
    "delete": _("deleted"),
}


class AuditContextMiddleware(HistoryMiddleware):
    """pghistory's middleware, plus the username so the history reads without a join."""

    def get_context(self, request: HttpRequest) -> dict[str, Any]:
        context = super().get_context(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            context["username"] = user.get_username()
        context["source"] = "web"
        return context


def import_context(*, kind: str, file_name: str, via: str, user=None) -> pghistory.context:
    """The context an import runs in: which KIND, which file, command or admin, and who."""
    values: dict[str, Any] = {"source": "import", "import_kind": kind, "file": file_name, "via": via}
    if user is not None and getattr(user, "is_authenticated", False):
        values["user"] = user._meta.pk.get_db_prep_value(user.pk, connection)
        values["username"] = user.get_username()
    return pghistory.context(**values)


def describe_source(context: dict[str, Any] | None) -> str:
    """Where a change came from, in words: which page of the admin, which import, or a script."""
    context = context or {}
    if context.get("source") == "import":
        where = _("the import page") if context.get("via") == "admin" else _("the import_records command")
        return str(_("import of the file “%(file)s” (%(where)s)")) % {"file": context.get("file", "?"), "where": where}
    if context.get("url"):
        return describe_page(str(context["url"]))
    return str(_("outside the portal (script or database)"))


ADMIN_PAGES = {
    "add": _("the page adding a %(record)s"),
    "change": _("the page of a %(record)s"),
    "changelist": _("the list of %(records)s"),
    "delete": _("the page deleting a %(record)s"),
}


def describe_page(url: str) -> str:
    """ "/admin/donations/donation/8732/change/" → "trang lượt ủng hộ, giúp đỡ" (the path itself if unknown)."""
    try:
        match = resolve(url.split("?", 1)[0])
    except Resolver404:
        return url
    if match.namespace == "imports":
        return str(_("the import page"))
    if match.namespace == "admin" and match.url_name:
        label, _sep, view = match.url_name.rpartition("_")
        app_label, _sep, model_name = label.partition("_")
        try:
            opts = apps.get_model(app_label, model_name)._meta
        except (LookupError, ValueError):
            return url
        if view in ADMIN_PAGES:
            return str(ADMIN_PAGES[view]) % {"record": opts.verbose_name, "records": opts.verbose_name_plural}
    return url


def describe_user(context: dict[str, Any] | None) -> str:
    context = context or {}
    if context.get("username"):
        return str(context["username"])
    if context.get("user"):
        return f"#{context['user']}"
    return "—"


class ReadableHistory:
    """The values of history events as staff read them: names for links, labels for choices, dd/mm/yyyy,
    grouped numbers. The names behind the links of all the events are read at once, one query per record type.
    """

    def __init__(self, events: Iterable[Events], *, record_names: bool = False) -> None:
        self.events = list(events)
        self._record_names = record_names
        self._names = self._load_names()

    @staticmethod
    def _fields(model_label: str) -> dict[str, models.Field]:
        try:
            model = apps.get_model(model_label)
        except (LookupError, ValueError):
            return {}
        fields: dict[str, models.Field] = {}
        for field in model._meta.concrete_fields:
            fields[field.attname] = fields[field.name] = field
        return fields

    @staticmethod
    def _pairs(event: Events) -> list[tuple[str, Any, Any]]:
        """(column, before, after) per changed column; for a creation or deletion, every value given."""
        if event.pgh_label == "update" and event.pgh_diff:
            return [(column, values[0], values[1]) for column, values in event.pgh_diff.items()]
        data = (event.pgh_data or {}).items()
        if event.pgh_label == "delete":
            return [(column, value, None) for column, value in data if value not in (None, "")]
        # A new record: the values it was given (empty fields say nothing).
        return [(column, None, value) for column, value in data if value not in (None, "")]

    def record_name(self, event: Events) -> str | None:
        """The changed record by its name ("TUH000123 (10/05/2016)"), when it still exists."""
        try:
            model = apps.get_model(event.pgh_obj_model)
        except (LookupError, ValueError):
            return None
        name = self._names.get((model, str(event.pgh_obj_id)))
        return f"{capfirst(model._meta.verbose_name)}: {name}" if name else None

    def _load_names(self) -> dict[tuple[type[models.Model], str], str]:
        wanted: dict[type[models.Model], set[Any]] = defaultdict(set)
        for event in self.events:
            if self._record_names:
                with suppress(LookupError, ValueError):
                    wanted[apps.get_model(event.pgh_obj_model)].add(event.pgh_obj_id)
            fields = self._fields(event.pgh_obj_model)
            for column, before, after in self._pairs(event):
                field = fields.get(column)
                if column not in HIDDEN_FIELDS and field is not None and field.is_relation and field.related_model:
                    wanted[field.related_model].update(v for v in (before, after) if v not in (None, ""))
        names = {}
        for model, ids in wanted.items():
            for pk, obj in model._default_manager.in_bulk(list(ids)).items():
                names[(model, str(pk))] = str(obj)
        return names

    def changes(self, event: Events) -> list[dict[str, Any]]:
        fields = self._fields(event.pgh_obj_model)
        rows = []
        for column, before, after in sorted(self._pairs(event)):
            if column in HIDDEN_FIELDS:
                continue
            field = fields.get(column)
            rows.append(
                {
                    "field": str(field.verbose_name) if field is not None else column,
                    "before": self.display(field, before),
                    "after": self.display(field, after),
                }
            )
        return rows

    def display(self, field: models.Field | None, value: Any) -> str | None:
        """One stored value (as the history's JSON holds it) as staff read it."""
        if value is None or value == "":
            return None
        if field is None:
            return str(value)
        if field.is_relation and field.related_model is not None:
            return self._names.get((field.related_model, str(value)), f"#{value}")
        if field.choices:
            return str(dict(field.flatchoices).get(value, value))
        return _display_plain(field, value)


def _display_plain(field: models.Field, value: Any) -> str:
    if isinstance(field, models.BooleanField):
        return str(_("yes") if value else _("no"))
    if isinstance(field, models.DateTimeField):
        moment = parse_datetime(str(value))
        return date_format(timezone.localtime(moment), "SHORT_DATETIME_FORMAT") if moment else str(value)
    if isinstance(field, models.DateField):
        day = parse_date(str(value))
        return date_format(day, "SHORT_DATE_FORMAT") if day else str(value)
    # Years are not amounts: "2018", never "2.018".
    if isinstance(field, (models.IntegerField, models.DecimalField, models.FloatField)) and "year" not in field.name:
        try:
            return grouped(Decimal(str(value)))
        except InvalidOperation:
            return str(value)
    return str(value)


def changes(event: Events) -> list[dict[str, Any]]:
    """Before/after per changed field of one event, as staff read them (see ReadableHistory)."""
    return ReadableHistory([event]).changes(event)


class AuditHistoryAdminMixin:
    """Mix into a ModelAdmin: its "History" button shows the trigger-recorded events of the record."""

    object_history_template = "accounts/audit_history.html"

    def history_view(self, request: HttpRequest, object_id: str, extra_context: dict | None = None) -> HttpResponse:
        model = self.model
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            return self._get_obj_does_not_exist_redirect(request, model._meta, object_id)
        if not self.has_view_or_change_permission(request, obj):
            raise PermissionDenied
        events = list(Events.objects.tracks(obj).order_by("-pgh_created_at", "-pgh_id"))
        history = ReadableHistory(events)
        rows = [
            {
                "when": event.pgh_created_at,
                "label": EVENT_LABELS.get(event.pgh_label, event.pgh_label),
                "user": describe_user(event.pgh_context),
                "source": describe_source(event.pgh_context),
                "changes": history.changes(event),
            }
            for event in events
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": _("Change history: %s") % obj,
            "subtitle": None,
            "object": obj,
            "opts": model._meta,
            "app_label": model._meta.app_label,
            "events": rows,
            **(extra_context or {}),
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, self.object_history_template, context)
