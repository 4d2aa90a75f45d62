from django.contrib import admin
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.admin_base import ProgrammeInline, ProgrammeModelAdmin
from apps.communes.admin import FormerNameInline
from apps.core.admin_base import short_date
from apps.donations.models import Donation
from apps.donations.selectors import per_unit
from apps.units.admin_filters import SectorFilter
from apps.units.models import Assignment, GroupMembership, Member, Unit, UnitGroup, UnitGroupName, UnitName, active_on


class MembershipInline(ProgrammeInline):
    model = GroupMembership
    fields = ["unit", "start", "end"]
    autocomplete_fields = ["unit"]
    list_select_related = ("unit", "group")


class AssignmentInline(ProgrammeInline):
    model = Assignment
    fields = ["commune", "village", "start", "end"]
    autocomplete_fields = ["commune", "village"]
    list_select_related = ("group", "commune", "village__commune")


class UnitGroupNameInline(FormerNameInline):
    model = UnitGroupName


class UnitNameInline(FormerNameInline):
    model = UnitName


class MemberInline(ProgrammeInline):
    model = Member
    fields = ["code", "name", "position"]


@admin.register(UnitGroup)
class UnitGroupAdmin(ProgrammeModelAdmin):
    list_display = ["code", "name", "current_units", "current_communes"]
    list_display_links = ["code", "name"]
    search_fields = ["code", "name__unaccent"]
    inlines = [UnitGroupNameInline, MembershipInline, AssignmentInline]

    def get_queryset(self, request):
        today = timezone.localdate()
        return (
            super()
            .get_queryset(request)
            .annotate(
                current_units=Count("memberships", filter=active_on(today, "memberships__"), distinct=True),
                current_communes=Count("assignments__commune", filter=active_on(today, "assignments__"), distinct=True),
            )
        )

    @admin.display(description=_("units today"), ordering="current_units")
    def current_units(self, obj: UnitGroup) -> int:
        return obj.current_units

    @admin.display(description=_("communes assigned today"), ordering="current_communes")
    def current_communes(self, obj: UnitGroup) -> int:
        return obj.current_communes


@admin.register(Unit)
class UnitAdmin(ProgrammeModelAdmin):
    list_display = ["code", "name", "kind", "current_group", "commune", "donation_count", "money_given"]
    list_display_links = ["code", "name"]
    list_filter = ["kind", "memberships__group"]
    list_select_related = ["commune"]
    search_fields = ["code", "name__unaccent"]
    autocomplete_fields = ["commune"]
    inlines = [UnitNameInline, MemberInline]

    def get_queryset(self, request):
        today = timezone.localdate()
        group_today = GroupMembership.objects.filter(active_on(today), unit=OuterRef("pk")).order_by("-start")
        given = Donation.objects.filter(unit=OuterRef("pk")).order_by().values("unit")
        # Subqueries rather than joins: joining donations and memberships would multiply the rows.
        return (
            super()
            .get_queryset(request)
            .annotate(
                current_group_name=Subquery(group_today.values("group__name")[:1]),
                donation_count=Coalesce(Subquery(given.annotate(n=Count("pk")).values("n")), 0),
                money_given=per_unit("money_vnd"),
            )
        )

    @admin.display(description=_("group today"), ordering="current_group_name")
    def current_group(self, obj: Unit) -> str:
        return obj.current_group_name or ""

    @admin.display(description=_("donations"), ordering="donation_count")
    def donation_count(self, obj: Unit) -> int:
        return obj.donation_count

    @admin.display(description=_("money given (VND)"), ordering="money_given")
    def money_given(self, obj: Unit) -> int:
        return obj.money_given


@admin.register(GroupMembership)
class GroupMembershipAdmin(ProgrammeModelAdmin):
    list_display = ["unit", "group", short_date(GroupMembership, "start"), short_date(GroupMembership, "end")]
    list_filter = ["group", SectorFilter]
    list_select_related = ["unit", "group"]
    search_fields = ["unit__code", "unit__name__unaccent", "group__code", "group__name__unaccent"]
    autocomplete_fields = ["unit"]
    date_hierarchy = "start"


@admin.register(Assignment)
class AssignmentAdmin(ProgrammeModelAdmin):
    list_display = ["group", "commune", "village", short_date(Assignment, "start"), short_date(Assignment, "end")]
    list_filter = ["group", "commune"]
    list_select_related = ["group", "commune", "village__commune"]
    search_fields = ["group__code", "group__name__unaccent", "commune__name__unaccent", "village__name__unaccent"]
    autocomplete_fields = ["commune", "village"]
    date_hierarchy = "start"


@admin.register(Member)
class MemberAdmin(ProgrammeModelAdmin):
    list_display = ["code", "name", "unit", "position"]
    list_display_links = ["code", "name"]
    list_filter = [SectorFilter]
    list_select_related = ["unit"]
    search_fields = ["code", "name__unaccent", "unit__name__unaccent"]
    autocomplete_fields = ["unit"]
    show_full_result_count = False
