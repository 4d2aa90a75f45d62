from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from apps.accounts.admin_base import ProgrammeInline, ProgrammeModelAdmin
from apps.communes.models import Commune, CommuneName, Village, VillageCommune, VillageName
from apps.core.admin_base import short_date


class VillageInline(ProgrammeInline):
    model = Village
    fields = ["code", "name", "kind", "disadvantaged"]


class FormerNameInline(ProgrammeInline):
    """The names a record bore before; its own name field is the current one."""

    fields = ["name", "start", "end"]
    verbose_name = _("former name")
    verbose_name_plural = _("former names (the current name is above)")


class CommuneNameInline(FormerNameInline):
    model = CommuneName


class VillageNameInline(FormerNameInline):
    model = VillageName


class VillageCommuneInline(ProgrammeInline):
    """The communes a village belonged to over time; the village's "commune" is the one of the open period."""

    model = VillageCommune
    fields = ["commune", "start", "end"]
    autocomplete_fields = ["commune"]
    list_select_related = ("commune", "village")


class MergedFilter(admin.SimpleListFilter):
    title = _("mergers")
    parameter_name = "merged"

    def lookups(self, request, model_admin):
        return [("no", _("still existing")), ("yes", _("merged into another"))]

    def queryset(self, request, queryset):
        if self.value() in ("yes", "no"):
            return queryset.filter(successor__isnull=self.value() == "no")
        return queryset


@admin.register(Commune)
class CommuneAdmin(ProgrammeModelAdmin):
    list_display = [
        "code",
        "name",
        "kind",
        "disadvantaged",
        "village_count",
        "successor",
        short_date(Commune, "valid_to"),
    ]
    list_display_links = ["code", "name"]
    list_filter = ["kind", "disadvantaged", MergedFilter]
    list_select_related = ["successor"]
    search_fields = ["code", "name__unaccent"]
    autocomplete_fields = ["successor"]
    inlines = [CommuneNameInline, VillageInline]
    fieldsets = [
        (None, {"fields": ["code", "name", "kind", "disadvantaged"]}),
        (
            _("Merger"),
            {
                "fields": ["successor", "valid_to"],
                "description": _(
                    "Fill these in when the commune was merged into another: its records stay reportable under "
                    "both names."
                ),
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(village_count=Count("villages"))

    @admin.display(description=_("villages"), ordering="village_count")
    def village_count(self, obj: Commune) -> int:
        return obj.village_count


@admin.register(Village)
class VillageAdmin(ProgrammeModelAdmin):
    list_display = ["code", "name", "kind", "commune", "disadvantaged", "household_count"]
    list_display_links = ["code", "name"]
    # Only communes that have villages: the communes formed by a merger would be empty choices.
    list_filter = ["kind", "disadvantaged", ("commune", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["commune"]
    search_fields = ["code", "name__unaccent", "commune__name__unaccent"]
    autocomplete_fields = ["commune"]
    show_full_result_count = False
    inlines = [VillageNameInline, VillageCommuneInline]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(household_count=Count("households"))

    @admin.display(description=_("households"), ordering="household_count")
    def household_count(self, obj: Village) -> int:
        return obj.household_count
