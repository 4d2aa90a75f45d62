from django import forms
from django.contrib import admin
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from apps.accounts.admin_base import ProgrammeModelAdmin
from apps.bodies.models import IssuingBody, format_term


class IssuingBodyForm(forms.ModelForm):
    """The admin's form for a body (the admin builds its fields from the fieldsets)."""

    def clean(self):
        cleaned_data = super().clean()
        if not {"start", "end", "whole_installation", "communes"} & self.errors.keys():
            # The same rule as services.save_issuing_body(), on the communes as chosen on this page.
            chosen = IssuingBody(
                pk=self.instance.pk,
                start=cleaned_data.get("start"),
                end=cleaned_data.get("end"),
                whole_installation=cleaned_data.get("whole_installation", False),
            )
            chosen.clean_area(cleaned_data.get("communes") or [])
        return cleaned_data


class TermFilter(admin.SimpleListFilter):
    title = _("term")
    parameter_name = "term"

    def lookups(self, request, model_admin):
        return [("current", _("in charge today")), ("ended", _("ended")), ("future", _("not yet begun"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "current":
            return queryset.on_duty(today)
        if self.value() == "ended":
            return queryset.filter(end__lt=today)
        if self.value() == "future":
            return queryset.filter(start__gt=today)
        return queryset


@admin.register(IssuingBody)
class IssuingBodyAdmin(ProgrammeModelAdmin):
    form = IssuingBodyForm
    list_display = ["code", "name", "superior_body", "symbol", "term", "area", "plan_number", "signer_name"]
    list_display_links = ["code", "name"]
    list_filter = [TermFilter, "whole_installation", "symbol"]
    search_fields = ["code", "name__unaccent", "superior_body__unaccent", "communes__name__unaccent"]
    date_hierarchy = "start"
    filter_horizontal = ["communes"]
    fieldsets = [
        (None, {"fields": ["code", "name", "superior_body", "symbol", "place_name"]}),
        (_("Signature and recipients"), {"fields": ["signer_title", "signer_role", "signer_name", "recipients"]}),
        (_("The plan it runs"), {"fields": ["plan_number", "plan_date", "plan_title"]}),
        (
            _("Term and area"),
            {
                "fields": ["start", "end", "whole_installation", "communes"],
                "description": _(
                    "A report is issued by the body in charge of its period: on a commune, the body that "
                    "covers that commune, otherwise the body that covers the whole installation."
                ),
            },
        ),
        (
            _("Labels of the sectors"),
            {
                "fields": ["district_units_label", "commune_committees_label", "other_label"],
                "description": _("As this body's documents name them; leave empty for the usual wording."),
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("communes")

    @admin.display(description=_("term"), ordering="start")
    def term(self, obj: IssuingBody) -> str:
        return format_term(obj.start, obj.end)

    @admin.display(description=_("area"))
    def area(self, obj: IssuingBody) -> str:
        if obj.whole_installation:
            return str(_("whole installation"))
        return ", ".join(str(commune) for commune in obj.communes.all())
