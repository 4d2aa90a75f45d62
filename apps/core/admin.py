from django.contrib import admin
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from apps.core.admin_base import ValidatedSaveAdmin
from apps.core.models import ProgrammeSettings


@admin.register(ProgrammeSettings)
class ProgrammeSettingsAdmin(ValidatedSaveAdmin):
    """One row: the changelist opens it, it cannot be added twice or deleted.

    Not scoped (apps.core is the base and knows no scoping): no focal point holds a permission on it.
    """

    fieldsets = [
        (_("The programme"), {"fields": ["programme_name", "short_name", "programme_start"]}),
        (_("Public site"), {"fields": ["site_owner", "area_name"]}),
    ]

    def has_add_permission(self, request) -> bool:
        return super().has_add_permission(request) and not ProgrammeSettings.objects.exists()

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def changelist_view(self, request, extra_context=None):
        settings_row = ProgrammeSettings.load()
        return HttpResponseRedirect(reverse("admin:core_programmesettings_change", args=[settings_row.pk]))
