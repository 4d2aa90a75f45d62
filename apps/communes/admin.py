from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from apps.communes.models import Commune, Village
from apps.core.admin_site import ProgrammeInline, ProgrammeModelAdmin, short_date


class VillageInline(ProgrammeInline):
    model = Village
    fields = ["code", "name", "kind", "disadvantaged"]


@admin.register(Commune)
class CommuneAdmin(ProgrammeModelAdmin):
    list_display = ["code", "name", "kind", "disadvantaged", "village_count", "successor",
                    short_date(Commune, "valid_to")]
    list_display_links = ["code", "name"]
    list_filter = ["kind", "disadvantaged", ("successor", admin.EmptyFieldListFilter)]
    list_select_related = ["successor"]
    search_fields = ["code", "name__unaccent"]
    autocomplete_fields = ["successor"]
    inlines = [VillageInline]
    fieldsets = [
        (None, {"fields": ["code", "name", "kind", "disadvantaged"]}),
        (_("Merger"), {"fields": ["successor", "valid_to"], "description": _(
            "Fill these in when the commune was merged into another: its records stay reportable under "
            "both names."
        )}),
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
    list_filter = ["kind", "disadvantaged", "commune"]
    list_select_related = ["commune"]
    search_fields = ["code", "name__unaccent", "commune__name__unaccent"]
    autocomplete_fields = ["commune"]
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(household_count=Count("households"))

    @admin.display(description=_("households"), ordering="household_count")
    def household_count(self, obj: Village) -> int:
        return obj.household_count
