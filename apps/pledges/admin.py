from django.contrib import admin
from django.http import HttpRequest
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from apps.accounts.admin_base import ProgrammeModelAdmin, RelatedFirstSearchMixin
from apps.accounts.audit import AuditHistoryAdminMixin
from apps.core.admin_base import EstimatedCountPaginator, page_section
from apps.core.numbers import grouped, plain_number
from apps.donations.admin import help_section
from apps.donations.models import Donation
from apps.households.beneficiaries import BENEFICIARY_SELECT_RELATED
from apps.pledges.models import Pledge
from apps.units.admin_filters import SectorFilter


@admin.register(Pledge)
class PledgeAdmin(RelatedFirstSearchMixin, AuditHistoryAdminMixin, ProgrammeModelAdmin):
    list_display = ["code", "unit", "member", "beneficiary_label", "period", "promised"]
    list_export = [
        "code",
        "unit",
        "member",
        "beneficiary_kind",
        "beneficiary_label",
        "start",
        "end",
        "money_vnd",
        "labour",
        "description",
    ]
    # No filter per unit: 60-odd units make a wall of links; search finds a unit by name or code.
    list_filter = ["beneficiary_kind", SectorFilter]
    list_select_related = ["unit", "member", *BENEFICIARY_SELECT_RELATED]
    search_fields = [
        "code",
        "unit__code",
        "unit__name__unaccent",
        "member__name__unaccent",
        "household__code",
        "household__head_name__unaccent",
        "student__code",
        "village__name__unaccent",
        "commune__name__unaccent",
    ]
    autocomplete_fields = ["unit", "member", "commune", "village", "household", "student"]
    date_hierarchy = "start"
    show_full_result_count = False
    paginator = EstimatedCountPaginator
    fieldsets = [
        (_("Who"), {"fields": ["code", "unit", "member"]}),
        (
            _("To whom"),
            {
                "fields": ["beneficiary_kind", "commune", "village", "household", "student"],
                "description": _("Choose the kind, then fill in only the matching field."),
            },
        ),
        (_("What and until when"), {"fields": ["start", "end", "money_vnd", "labour_days", "description"]}),
    ]

    @admin.display(description=_("beneficiary"))
    def beneficiary_label(self, obj: Pledge) -> str:
        return str(obj.beneficiary or "")

    @admin.display(description=_("period"), ordering="start")
    def period(self, obj: Pledge) -> str:
        return f"{date_format(obj.start, 'SHORT_DATE_FORMAT')} – {date_format(obj.end, 'SHORT_DATE_FORMAT')}"

    @admin.display(description=_("promised"))
    def promised(self, obj: Pledge) -> str:
        parts = []
        if obj.money_vnd:
            parts.append(_("%(amount)s VND") % {"amount": grouped(obj.money_vnd)})
        if obj.labour_days:
            parts.append(_("%(days)s labour days") % {"days": grouped(obj.labour_days)})
        if obj.description:
            parts.append(Truncator(obj.description).chars(60))
        return "; ".join(str(part) for part in parts)

    @admin.display(description=_("labour days"), ordering="labour_days")
    def labour(self, obj: Pledge):
        return plain_number(obj.labour_days)


@page_section(Pledge)
def pledge_help(request: HttpRequest, pledge: Pledge) -> str:
    """The donations that fulfil the pledge, and a link to record one with the pledge's unit and beneficiary."""
    prefill = {"unit": pledge.unit_id, "pledge": pledge.pk, "beneficiary_kind": pledge.beneficiary_kind}
    if pledge.member_id:
        prefill["member"] = pledge.member_id
    beneficiary_id = getattr(pledge, f"{pledge.beneficiary_kind}_id", None)
    if beneficiary_id:
        prefill[pledge.beneficiary_kind] = beneficiary_id
    return help_section(
        request,
        title=_("Help given under this pledge"),
        empty=_("No help has been recorded under this pledge yet."),
        donations=Donation.objects.filter(pledge=pledge),
        prefill=prefill,
        list_filter={"pledge__id__exact": pledge.pk},
    )
