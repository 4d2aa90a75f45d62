"""Admin side of apps.accounts.scoping: every programme ModelAdmin and inline mixes this in."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from apps.accounts.scoping import focal_unit_id, may_write, scope_queryset


class ScopedInlineMixin:
    """Rows and the choices of every foreign key limited to the records the user may see."""

    def get_queryset(self, request):
        return scope_queryset(request.user, super().get_queryset(request))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = scope_queryset(request.user, field.queryset)
        return field


class ScopedAdminMixin(ScopedInlineMixin):
    """Lists, edit pages, choices and saves limited to the records the user may touch.

    An id typed into the address that lies outside the user's scope is simply not found,
    and a choice outside it is not offered and not accepted.
    """

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or may_write(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or may_write(request.user, obj))

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        unit_id = focal_unit_id(request.user)
        if unit_id and any(f.name == "unit" for f in self.model._meta.fields):
            initial.setdefault("unit", unit_id)
        return initial

    def save_model(self, request, obj, form, change):
        if not may_write(request.user, obj):
            raise PermissionDenied
        super().save_model(request, obj, form, change)

    def delete_model(self, request, obj):
        if not may_write(request.user, obj):
            raise PermissionDenied
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        if any(not may_write(request.user, obj) for obj in queryset):
            raise PermissionDenied
        super().delete_queryset(request, queryset)
