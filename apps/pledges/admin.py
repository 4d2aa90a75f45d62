from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from apps.core.admin_site import ProgrammeModelAdmin, SectorFilter, plain_number, short_date
from apps.pledges.models import Pledge

# The beneficiary's label reads its village and commune; one join chain per kind.
BENEFICIARY_SELECT_RELATED = [
    "commune", "village__commune", "household__village__commune", "student__household",
]


@admin.register(Pledge)
class PledgeAdmin(ProgrammeModelAdmin):
    list_display = ["code", "unit", "member", "beneficiary_kind", "beneficiary_label",
                    short_date(Pledge, "start"), short_date(Pledge, "end"),
                    "money_vnd", "labour"]
    list_filter = ["beneficiary_kind", SectorFilter, "unit"]
    list_select_related = ["unit", "member", *BENEFICIARY_SELECT_RELATED]
    search_fields = ["code", "unit__code", "unit__name__unaccent", "member__name__unaccent",
                     "household__code", "student__code", "village__name__unaccent", "commune__name__unaccent"]
    autocomplete_fields = ["unit", "member", "commune", "village", "household", "student"]
    date_hierarchy = "start"
    show_full_result_count = False
    fieldsets = [
        (_("Who"), {"fields": ["code", "unit", "member"]}),
        (_("To whom"), {
            "fields": ["beneficiary_kind", "commune", "village", "household", "student"],
            "description": _("Choose the kind, then fill in only the matching field."),
        }),
        (_("What and until when"), {"fields": ["start", "end", "money_vnd", "labour_days", "description"]}),
    ]

    @admin.display(description=_("beneficiary"))
    def beneficiary_label(self, obj: Pledge) -> str:
        return str(obj.beneficiary or "")

    @admin.display(description=_("labour days"), ordering="labour_days")
    def labour(self, obj: Pledge):
        return plain_number(obj.labour_days)
