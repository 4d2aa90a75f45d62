from django.contrib import admin

from apps.core.admin_base import ReadOnlyAdminMixin
from apps.reports.models import CommuneOrder, FrozenReport, ReportDraft


@admin.register(FrozenReport)
class FrozenReportAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: approved figures are never edited; a report is frozen from the report page."""

    list_display = ["__str__", "version", "number", "issued_on", "issuer", "commune", "group", "frozen_by", "frozen_at"]
    list_select_related = ["commune", "group", "frozen_by", "issuer"]
    list_filter = ["end"]
    date_hierarchy = "frozen_at"
    readonly_fields = [
        "start",
        "end",
        "commune",
        "group",
        "issuer",
        "version",
        "number",
        "number_year",
        "issued_on",
        "sections",
        "signer_capacity",
        "signer_title",
        "signer_name",
        "recipients",
        "figures",
        "frozen_by",
        "frozen_at",
    ]
    actions = ()  # the site's bulk delete, for the superuser only (has_delete_permission)

    def has_delete_permission(self, request, obj=None) -> bool:
        # Only a superuser may undo a freeze (for a report frozen by mistake).
        return request.user.is_superuser


@admin.register(ReportDraft)
class ReportDraftAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Drafts are written on the report's own page (Viết nội dung báo cáo), which shows the outline; listed here."""

    list_display = ["__str__", "commune", "group", "signer_name", "updated_by", "updated_at"]
    list_select_related = ["commune", "group", "updated_by"]
    readonly_fields = [
        "start",
        "end",
        "commune",
        "group",
        "sections",
        "signer_capacity",
        "signer_title",
        "signer_name",
        "recipients",
        "updated_by",
        "updated_at",
    ]
    actions = ()


@admin.register(CommuneOrder)
class CommuneOrderAdmin(admin.ModelAdmin):
    """The administrative order an issuing body lists communes in; communes left out follow in Vietnamese order."""

    list_display = ["issuer", "position", "commune"]
    list_display_links = ["commune"]
    list_editable = ["position"]
    list_filter = ["issuer"]
    list_select_related = ["issuer", "commune"]
    autocomplete_fields = ["commune"]
