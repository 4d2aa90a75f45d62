"""The audit trail: who changed which record, when, from where, and the values before and after.

Events are written by PostgreSQL triggers (django-pghistory), so bulk updates, imports and raw
SQL are caught as well as admin saves. This module adds the context (user, page or import) and
the admin views that let staff read the history; nobody can edit it through the portal.
"""

from __future__ import annotations

from typing import Any

import pghistory
from django.apps import apps
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from pghistory.middleware import HistoryMiddleware
from pghistory.models import Events

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
    """Where a change came from, in a few words: a page, an import, or a script/shell."""
    context = context or {}
    if context.get("source") == "import":
        return str(_("import of %(kind)s from %(file)s (%(via)s)")) % {
            "kind": context.get("import_kind", "?"),
            "file": context.get("file", "?"),
            "via": context.get("via", "?"),
        }
    if context.get("url"):
        return str(context["url"])
    return str(_("outside the portal (script or database)"))


def describe_user(context: dict[str, Any] | None) -> str:
    context = context or {}
    if context.get("username"):
        return str(context["username"])
    if context.get("user"):
        return f"#{context['user']}"
    return "—"


def _field_names(model_label: str) -> dict[str, str]:
    """Column name → the field's name as staff read it ("household_id" → "hộ gia đình")."""
    try:
        model = apps.get_model(model_label)
    except (LookupError, ValueError):
        return {}
    return {field.attname: str(field.verbose_name) for field in model._meta.concrete_fields}


def changes(event: Events) -> list[dict[str, Any]]:
    """Before/after per changed field; for a creation or deletion, every value of the record."""
    names = _field_names(event.pgh_obj_model)
    if event.pgh_label == "update" and event.pgh_diff:
        pairs = [(column, values[0], values[1]) for column, values in event.pgh_diff.items()]
    elif event.pgh_label == "delete":
        pairs = [(column, value, None) for column, value in (event.pgh_data or {}).items() if value not in (None, "")]
    else:
        # A new record: the values it was given (empty fields say nothing).
        pairs = [(column, None, value) for column, value in (event.pgh_data or {}).items() if value not in (None, "")]
    return [
        {"field": names.get(column, column), "before": before, "after": after}
        for column, before, after in sorted(pairs)
        if column not in HIDDEN_FIELDS
    ]


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
        rows = [
            {
                "when": event.pgh_created_at,
                "label": EVENT_LABELS.get(event.pgh_label, event.pgh_label),
                "user": describe_user(event.pgh_context),
                "source": describe_source(event.pgh_context),
                "changes": changes(event),
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
