from django.contrib import admin
from django.db import models
from django.http import HttpRequest
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from apps.core.admin_base import ReadOnlyAdminMixin
from apps.portal.models import Article, DailyVisits, ReviewPeriod, VisitCounterSettings, WebsiteLink


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "published_on", "publisher", "author", "is_published"]
    list_filter = ["is_published", "publisher"]
    list_editable = ["is_published"]
    search_fields = ["title", "summary", "author"]
    date_hierarchy = "published_on"
    prepopulated_fields = {"slug": ["title"]}
    exclude = ["created_by"]

    def save_model(self, request: HttpRequest, obj: Article, form, change: bool) -> None:
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(WebsiteLink)
class WebsiteLinkAdmin(admin.ModelAdmin):
    # An address typed without its scheme ("tayhoa.gov.vn") is saved as https://, not http://.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["title", "url", "position", "is_active"]
    list_editable = ["position", "is_active"]
    search_fields = ["title", "url"]


@admin.register(ReviewPeriod)
class ReviewPeriodAdmin(admin.ModelAdmin):
    list_display = ["title", "start", "end", "shown_on_home"]
    fields = ["title", "start", "end", "article", "shown_on_home"]
    list_select_related = ["article"]
    raw_id_fields = ["article"]


@admin.register(VisitCounterSettings)
class VisitCounterSettingsAdmin(admin.ModelAdmin):
    """One row: the changelist goes straight to it."""

    fields = ["carried_over_total"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def changelist_view(self, request: HttpRequest, extra_context=None):
        counter = VisitCounterSettings.load()
        return redirect("admin:portal_visitcountersettings_change", counter.pk)


@admin.register(DailyVisits)
class DailyVisitsAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Read-only: the counter is written by the site itself."""

    list_display = ["day", "views_shown"]
    date_hierarchy = "day"
    show_full_result_count = False

    @admin.display(description=_("page views"), ordering="views")
    def views_shown(self, obj: DailyVisits) -> int:
        return obj.views
