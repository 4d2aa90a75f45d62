from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import F, OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from apps.accounts.admin_base import ProgrammeInline, ProgrammeModelAdmin, RelatedFirstSearchMixin
from apps.accounts.audit import AuditHistoryAdminMixin
from apps.accounts.scoping import sees_id_numbers
from apps.core.admin_base import EstimatedCountPaginator, short_date
from apps.households.changes import household_changes
from apps.households.models import (
    DeprivationIndicator,
    Household,
    HouseholdStatus,
    PovertyCause,
    PovertyStandard,
    Student,
    Target,
    standard_for_year,
)
from apps.households.services import check_deprivations


class StatusInline(ProgrammeInline):
    """The household's reviews with what each found and changed; deprivations and causes are edited on the
    classification's own page (the link on each row)."""

    model = HouseholdStatus
    verbose_name_plural = _("poverty reviews: lists, deprivations and causes")
    fields = ["year", "status", "review_round", "decision", "found", "causes_found", "flags", "change"]
    readonly_fields = ["decision", "found", "causes_found", "flags", "change"]
    ordering = ["-year", F("decided_on").desc(nulls_last=True), "-pk"]
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("standard").prefetch_related("deprivations", "causes")

    def get_formset(self, request, obj=None, **kwargs):
        # The changes are derived from the household's classifications in order: computed once, not per row.
        statuses = obj.statuses.in_review_order() if obj else []
        self._changes = {status.pk: changes for status, changes in household_changes(statuses)}
        return super().get_formset(request, obj, **kwargs)

    @admin.display(description=_("decision"))
    def decision(self, obj: HouseholdStatus) -> str:
        parts = [obj.decision_number, obj.decided_on.strftime("%d/%m/%Y") if obj.decided_on else ""]
        return " · ".join(part for part in [*parts, obj.standard.name if obj.standard else ""] if part)

    @admin.display(description=_("deprivations found"))
    def found(self, obj: HouseholdStatus) -> str:
        return ", ".join(sorted(str(d) for d in obj.deprivations.all())) or "—"

    @admin.display(description=_("main causes"))
    def causes_found(self, obj: HouseholdStatus) -> str:
        return ", ".join(str(c) for c in obj.causes.all()) or "—"

    @admin.display(description=_("flags"))
    def flags(self, obj: HouseholdStatus) -> str:
        names = ["no_labour_capacity", "ethnic_minority", "policy_household", "at_risk"]
        return ", ".join(str(HouseholdStatus._meta.get_field(n).verbose_name) for n in names if getattr(obj, n)) or "—"

    @admin.display(description=_("change"))
    def change(self, obj: HouseholdStatus) -> str:
        changes = getattr(self, "_changes", {}).get(obj.pk, set())
        return ", ".join(str(change.label) for change in sorted(changes)) or "—"


class ClassificationForm(forms.ModelForm):
    """The admin's copy of the import's rule: deprivations are indicators of the year's standard."""

    class Meta:
        model = HouseholdStatus
        fields = [
            "household",
            "year",
            "status",
            "standard",
            "review_round",
            "decision_number",
            "decided_on",
            "deprivations",
            "causes",
            "no_labour_capacity",
            "ethnic_minority",
            "policy_household",
            "at_risk",
        ]
        widgets = {"deprivations": forms.CheckboxSelectMultiple, "causes": forms.CheckboxSelectMultiple}

    def clean(self):
        cleaned = super().clean()
        deprivations = cleaned.get("deprivations")
        if deprivations and cleaned.get("year"):
            standard = cleaned.get("standard") or standard_for_year(cleaned["year"])
            try:
                check_deprivations(standard, deprivations)
            except ValidationError as exc:
                self.add_error("deprivations", exc.message_dict["deprivations"])
        return cleaned


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
    form = ClassificationForm
    list_display = ["household", "village", "review_year", "status", "review_round", "standard"]
    list_filter = [
        "year",
        "status",
        "review_round",
        "at_risk",
        ("household__village__commune", admin.RelatedOnlyFieldListFilter),
    ]
    fieldsets = [
        (None, {"fields": ["household", "year", "status", "standard"]}),
        (_("Review"), {"fields": ["review_round", "decision_number", "decided_on"]}),
        (_("What the review found"), {"fields": ["deprivations", "causes"]}),
        (
            _("Flags"),
            {"fields": ["no_labour_capacity", "ethnic_minority", "policy_household", "at_risk"]},
        ),
    ]
    list_select_related = ["household__village__commune", "standard"]
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


@admin.register(PovertyStandard)
class PovertyStandardAdmin(ProgrammeModelAdmin):
    list_display = ["name", "legal_basis", "period", "rural_poverty_line_vnd", "urban_poverty_line_vnd"]
    filter_horizontal = ["indicators"]

    @admin.display(description=_("list years"))
    def period(self, obj: PovertyStandard) -> str:
        return obj.period


@admin.register(DeprivationIndicator)
class DeprivationIndicatorAdmin(ProgrammeModelAdmin):
    list_display = ["code", "name", "dimension"]
    list_filter = ["dimension", "standards"]
    search_fields = ["code", "name__unaccent"]


@admin.register(PovertyCause)
class PovertyCauseAdmin(ProgrammeModelAdmin):
    list_display = ["code", "name", "order"]
