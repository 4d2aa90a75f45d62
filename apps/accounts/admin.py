"""The audit trail in the admin: every recorded change, read-only (see apps.accounts.audit)."""

from __future__ import annotations

from django.apps import apps
from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, Permission, User
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.html import format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from pghistory.admin import EventsAdmin
from pghistory.admin.core import EventModelFilter, LabelFilter
from pghistory.models import Events

from apps.accounts.audit import EVENT_LABELS, ReadableHistory, changes, describe_source, describe_user
from apps.accounts.models import FocalPoint
from apps.accounts.roles import DISTRICT_STAFF, LEADERSHIP, has_role
from apps.core.admin_base import ReadOnlyAdminMixin

DEFAULT_EVENT_MODEL = "donations.donationevent"


def may_read_history(user) -> bool:
    return bool(user.is_active and user.is_staff) and (
        user.has_perm("pghistory.view_events") or has_role(user, DISTRICT_STAFF, LEADERSHIP)
    )


@admin.register(Events)
class AuditEventsAdmin(ReadOnlyAdminMixin, EventsAdmin):
    """Filter by record type with "event model", or one record with ?obj=app.Model:pk&method=tracks."""

    change_list_template = None  # the admin's own list; pghistory's template app is not installed
    list_display = ["when", "record", "action", "who", "source", "changed_values"]
    list_per_page = 50
    show_full_result_count = False

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        # The events of all tables together are computed (diffs included) before paging, which
        # grows with the whole history: the list opens on one record type, the money first.
        if not {"event_model", "obj", "model"} & set(request.GET):
            query = request.GET.copy()
            query["event_model"] = DEFAULT_EVENT_MODEL
            return HttpResponseRedirect(f"{request.path}?{query.urlencode()}")
        response = super().changelist_view(request, extra_context)
        if hasattr(response, "context_data"):
            response.context_data["title"] = _("Change history")
            if cl := response.context_data.get("cl"):
                # The names behind the page's links (units, households…) read once for all its rows.
                history = ReadableHistory(cl.result_list, record_names=True)
                for event in cl.result_list:
                    event.readable_changes = history.changes(event)
                    event.record_name = history.record_name(event)
        return response

    def get_list_display(self, request: HttpRequest) -> list[str]:
        return self.list_display

    def get_list_filter(self, request: HttpRequest) -> list:
        filters = super().get_list_filter(request)
        return [EventModelFilter, LabelFilter, *[f for f in filters if f not in (EventModelFilter, LabelFilter)]]

    def has_view_permission(self, request: HttpRequest, obj=None) -> bool:
        return may_read_history(request.user)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return may_read_history(request.user)

    @admin.display(description=_("when"), ordering="pgh_created_at")
    def when(self, event: Events):
        return event.pgh_created_at

    @admin.display(description=_("record"))
    def record(self, event: Events) -> str:
        if getattr(event, "record_name", None):
            return event.record_name
        try:
            model = apps.get_model(event.pgh_obj_model)
        except (LookupError, ValueError):
            return f"{event.pgh_obj_model} #{event.pgh_obj_id}"
        return f"{model._meta.verbose_name} #{event.pgh_obj_id}"

    @admin.display(description=_("action"))
    def action(self, event: Events) -> str:
        return str(EVENT_LABELS.get(event.pgh_label, event.pgh_label))

    @admin.display(description=_("by"))
    def who(self, event: Events) -> str:
        return describe_user(event.pgh_context)

    @admin.display(description=_("where from"))
    def source(self, event: Events) -> str:
        return describe_source(event.pgh_context)

    @admin.display(description=_("values before → after"))
    def changed_values(self, event: Events) -> str:
        rows = getattr(event, "readable_changes", None) or changes(event)
        if event.pgh_label != "update":
            values = (
                f"{row['field']}: {_display(row['before'] if row['after'] is None else row['after'])}" for row in rows
            )
            return format_html("<small>{}</small>", "; ".join(values))
        return format_html_join(
            "",
            "<div><b>{}</b>: {} → {}</div>",
            ((row["field"], _display(row["before"]), _display(row["after"])) for row in rows),
        )


def _display(value) -> str:
    return "—" if value in (None, "") else str(value)


class FocalPointInline(admin.StackedInline):
    model = FocalPoint
    extra = 0
    max_num = 1
    can_delete = True
    autocomplete_fields = ["unit", "commune"]
    verbose_name = _("focal point of a unit or commune")


PERMISSION_ACTIONS = {"add": _("add"), "change": _("change"), "delete": _("delete"), "view": _("view")}


def permission_label(permission: Permission) -> str:
    """ "Hộ gia đình: sửa" rather than the stored English "households | household | Can change household"."""
    model = permission.content_type.model_class()
    action, _sep, model_name = permission.codename.partition("_")
    if model is None or action not in PERMISSION_ACTIONS or model_name != model._meta.model_name:
        return str(permission.name)
    return f"{capfirst(model._meta.verbose_name)}: {PERMISSION_ACTIONS[action]}"


class PermissionLabelsMixin:
    """Permissions listed in Vietnamese, by the record type's name and what they allow."""

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)  # type: ignore[misc]
        if field is not None and db_field.related_model is Permission:
            field.label_from_instance = permission_label
        return field


admin.site.unregister(Group)


@admin.register(Group)
class ProgrammeGroupAdmin(PermissionLabelsMixin, GroupAdmin):
    """The roles (nhóm quyền), their permissions named in Vietnamese."""


# Users keep Django's own admin, with the unit or commune a focal point keeps beside it.
admin.site.unregister(User)


@admin.register(User)
class ProgrammeUserAdmin(PermissionLabelsMixin, UserAdmin):
    inlines = [*UserAdmin.inlines, FocalPointInline]
    list_display = ["username", "first_name", "last_name", "is_staff", "roles", "focal_point_of"]
    list_select_related = ["focal_point__unit", "focal_point__commune"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups")

    @admin.display(description=_("roles"))
    def roles(self, user) -> str:
        return ", ".join(group.name for group in user.groups.all())

    @admin.display(description=_("focal point of"))
    def focal_point_of(self, user) -> str:
        focal = getattr(user, "focal_point", None)
        return str(focal.unit or focal.commune) if focal else ""
