from django.contrib import admin
from django.db.models import OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from apps.accounts.admin_base import ProgrammeInline, ProgrammeModelAdmin, RelatedFirstSearchMixin
from apps.accounts.audit import AuditHistoryAdminMixin
from apps.accounts.scoping import sees_id_numbers
from apps.core.admin_base import EstimatedCountPaginator, short_date
from apps.households.models import Household, HouseholdStatus, Student, Target


class StatusInline(ProgrammeInline):
    model = HouseholdStatus
    fields = ["year", "status"]
    ordering = ["-year"]


class StudentInline(ProgrammeInline):
    model = Student
    fields = ["code", "name", "school", "grade"]


class LatestStatusFilter(admin.SimpleListFilter):
    title = _("latest status")
    parameter_name = "latest_status"

    def lookups(self, request, model_admin):
        return HouseholdStatus.Status.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(latest_status=self.value())
        return queryset


@admin.register(Household)
class HouseholdAdmin(RelatedFirstSearchMixin, AuditHistoryAdminMixin, ProgrammeModelAdmin):
    list_display = ["code", "head_name", "village_name", "commune", "size", "latest_status", "latest_status_year"]
    list_display_links = ["code", "head_name"]
    list_filter = [LatestStatusFilter, ("village__commune", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["village__commune"]
    search_fields = [
        "code",
        "head_name__unaccent",
        "id_number",
        "village__name__unaccent",
        "village__commune__name__unaccent",
    ]
    autocomplete_fields = ["village"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    inlines = [StatusInline, StudentInline]

    # A unit focal point never reads an ID number (apps.accounts.scoping.sees_id_numbers): not on the change
    # page (left out rather than masked: a masked number still tells digits and who has one), not found by
    # searching for one, not in the change history; the list and its Excel export have no ID column.
    def get_exclude(self, request, obj=None):
        exclude = list(super().get_exclude(request, obj) or [])
        return exclude if sees_id_numbers(request.user) else [*exclude, "id_number"]

    def get_search_fields(self, request):
        fields = super().get_search_fields(request)
        return fields if sees_id_numbers(request.user) else [field for field in fields if field != "id_number"]

    def history_view(self, request, object_id, extra_context=None):
        response = super().history_view(request, object_id, extra_context)
        if not sees_id_numbers(request.user) and getattr(response, "context_data", None):
            hidden = str(Household._meta.get_field("id_number").verbose_name)
            for event in response.context_data.get("events", []):
                event["changes"] = [change for change in event["changes"] if change["field"] != hidden]
        return response

    def get_queryset(self, request):
        latest = HouseholdStatus.objects.filter(household=OuterRef("pk")).order_by("-year")
        return (
            super()
            .get_queryset(request)
            .annotate(
                latest_status=Subquery(latest.values("status")[:1]),
                latest_status_year=Subquery(latest.values("year")[:1]),
            )
        )

    @admin.display(description=_("village"), ordering="village__name")
    def village_name(self, obj: Household) -> str:
        return obj.village.name

    @admin.display(description=_("commune"), ordering="village__commune__name")
    def commune(self, obj: Household) -> str:
        return obj.village.commune.name

    @admin.display(description=_("latest status"), ordering="latest_status")
    def latest_status(self, obj: Household) -> str:
        return HouseholdStatus.Status(obj.latest_status).label if obj.latest_status else ""

    @admin.display(description=_("review year"), ordering="latest_status_year")
    def latest_status_year(self, obj: Household) -> str:
        # A year, not an amount: "2018", never "2.018".
        return str(obj.latest_status_year or "")


@admin.register(HouseholdStatus)
class HouseholdStatusAdmin(RelatedFirstSearchMixin, AuditHistoryAdminMixin, ProgrammeModelAdmin):
    list_display = ["household", "village", "review_year", "status"]
    list_filter = ["year", "status", ("household__village__commune", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["household__village__commune"]
    search_fields = ["household__code", "household__head_name__unaccent"]
    autocomplete_fields = ["household"]
    show_full_result_count = False
    paginator = EstimatedCountPaginator

    @admin.display(description=_("village"), ordering="household__village__name")
    def village(self, obj: HouseholdStatus) -> str:
        return str(obj.household.village)

    @admin.display(description=_("year"), ordering="year")
    def review_year(self, obj: HouseholdStatus) -> str:
        return str(obj.year)


@admin.register(Student)
class StudentAdmin(ProgrammeModelAdmin):
    list_display = ["code", "name", "household", "commune", "school", "grade"]
    list_display_links = ["code", "name"]
    list_filter = [("household__village__commune", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["household__village__commune"]
    search_fields = ["code", "name__unaccent", "school__unaccent", "household__code", "household__head_name__unaccent"]
    autocomplete_fields = ["household"]
    show_full_result_count = False

    @admin.display(description=_("commune"), ordering="household__village__commune__name")
    def commune(self, obj: Student) -> str:
        return obj.household.village.commune.name


@admin.register(Target)
class TargetAdmin(ProgrammeModelAdmin):
    list_display = ["code", "kind", "subject", "unit", "year", "status", short_date(Target, "achieved_on")]
    list_filter = ["kind", "status", "target_year"]
    list_select_related = ["village__commune", "household", "unit"]
    search_fields = ["code", "village__name__unaccent", "household__code", "household__head_name__unaccent"]
    autocomplete_fields = ["village", "household", "unit"]
    date_hierarchy = "achieved_on"

    @admin.display(description=_("village or household"))
    def subject(self, obj: Target) -> str:
        return str(obj.village if obj.kind == Target.Kind.MODEL_VILLAGE else obj.household)

    @admin.display(description=_("target year"), ordering="target_year")
    def year(self, obj: Target) -> str:
        return str(obj.target_year)
