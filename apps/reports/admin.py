from django.contrib import admin

from apps.core.admin_base import ReadOnlyAdminMixin
from apps.reports.models import FrozenReport


@admin.register(FrozenReport)
class FrozenReportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: approved figures are never edited; a report is frozen from the report page."""

    list_display = ["__str__", "commune", "group", "frozen_by", "frozen_at"]
    list_select_related = ["commune", "group", "frozen_by"]
    list_filter = ["end"]
    date_hierarchy = "frozen_at"
    readonly_fields = ["start", "end", "commune", "group", "figures", "frozen_by", "frozen_at"]
    actions = ()  # the site's bulk delete, for the superuser only (has_delete_permission)

    def has_delete_permission(self, request, obj=None) -> bool:
        # Only a superuser may undo a freeze (for a report frozen by mistake).
        return request.user.is_superuser
