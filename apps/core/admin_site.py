"""The programme's admin site and the building blocks every app's admin shares.

- :class:`ProgrammeAdminSite` names the programme, groups the index the way staff think of the
  records (area, units, households, help given, configuration) instead of by Django app, and
  exports any filtered changelist to Excel (see :mod:`apps.core.admin_export`).
- :class:`ProgrammeModelAdmin` keeps each user to their records, saves through the services and
  searches without Vietnamese diacritics.
- :class:`ProgrammeInline` keeps inline pages at a fixed number of queries however many rows.
"""

from __future__ import annotations

import decimal
import unicodedata
from typing import Any

from django.apps import apps
from django.contrib import admin
from django.contrib.admin.widgets import AutocompleteSelect
from django.db import DatabaseError, models
from django.forms.models import BaseInlineFormSet
from django.http import Http404, HttpRequest
from django.urls import NoReverseMatch, path, reverse
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext_lazy as _

from apps.accounts.admin_scoping import ScopedAdminMixin, ScopedInlineMixin
from apps.core.admin_export import export_changelist
from apps.core.services import save_validated

# The index, grouped as the programme speaks of its records: (key, title, ["app_label.model_name", ...]).
# Models not listed keep their own app's box after these, so nothing registered is ever hidden.
INDEX_SECTIONS: list[tuple[str, Any, list[str]]] = [
    ("area", _("Area"), ["communes.commune", "communes.village"]),
    (
        "units",
        _("Agencies and units"),
        ["units.unitgroup", "units.unit", "units.groupmembership", "units.assignment", "units.member"],
    ),
    (
        "households",
        _("Poor households and students"),
        ["households.household", "households.householdstatus", "households.student", "households.target"],
    ),
    (
        "help",
        _("Pledges and help given"),
        ["pledges.pledge", "donations.donation", "donations.repayment", "donations.item"],
    ),
    (
        "publishing",
        _("Public portal"),
        [
            "portal.article",
            "portal.websitelink",
            "portal.reviewperiod",
            "portal.visitcountersettings",
            "portal.dailyvisits",
        ],
    ),
    ("reports", _("Reports"), ["reports.frozenreport"]),
    ("history", _("Change history"), ["pghistory.events"]),
    (
        "configuration",
        _("Configuration"),
        ["core.programmesettings", "accounts.focalpoint", "auth.user", "auth.group"],
    ),
]


def strip_diacritics(text: str) -> str:
    """ "Hòa Đồng" → "Hoa Dong": what PostgreSQL's unaccent() makes of the searched columns."""
    decomposed = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def grouped(value: decimal.Decimal | int) -> str:
    """745000000 → "745.000.000", 12.5 → "12,5" in Vietnamese."""
    return number_format(plain_number(value), use_l10n=True, force_grouping=True)


def plain_number(value: decimal.Decimal | int | None) -> decimal.Decimal | int | None:
    """1009.00 → 1009 and 12.50 → 12.5, so lists show "1.009" and "12,5" rather than "1.009,00"."""
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else value.normalize()
    return value


def short_date(model: type[models.Model], field_name: str):
    """A list column showing a date as 24/10/2018 (lists use the long "ngày 24 tháng 10 năm 2018" otherwise).

    The export reads the date itself (``export_attr``) so spreadsheets get a real date cell.
    """

    @admin.display(description=model._meta.get_field(field_name).verbose_name, ordering=field_name)
    def column(obj: models.Model) -> str | None:
        value = getattr(obj, field_name)
        return date_format(value, "SHORT_DATE_FORMAT") if value else None

    column.__name__ = field_name  # the cell's CSS class: field-<name>
    column.export_attr = field_name
    return column


class ProgrammeAdminSite(admin.AdminSite):
    site_title = _("Programme administration")
    index_title = _("Records of the programme")
    # Lists have many columns; the full width serves data entry better than a second menu.
    enable_nav_sidebar = False

    @property
    def site_header(self) -> str:  # type: ignore[override]
        # The programme's short name as the district set it; the default before the table exists.
        from apps.core.models import ProgrammeSettings

        try:
            name = ProgrammeSettings.objects.values_list("short_name", flat=True).first()
        except DatabaseError:
            name = None
        return name or str(_("Helping poor households"))

    def each_context(self, request: HttpRequest) -> dict[str, Any]:
        context = super().each_context(request)
        # The import page belongs to another app; the index must work before (or without) it.
        try:
            context["import_url"] = reverse("imports:upload")
        except NoReverseMatch:
            context["import_url"] = None
        context["report_links"] = [
            (_("Summary report"), "/reports/summary/"),
            (_("Monitoring: who is on track, who is behind"), "/reports/monitoring/"),
        ]
        return context

    def get_urls(self):
        # One export view for every registered list, so no changelist lacks its "Export to Excel".
        export = path("export/<str:app_label>/<str:model_name>/", self.admin_view(self.export_view), name="export")
        return [export, *super().get_urls()]

    def export_view(self, request: HttpRequest, app_label: str, model_name: str):
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            raise Http404 from None
        if model not in self._registry:
            raise Http404
        return export_changelist(self._registry[model], request)

    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> list[dict[str, Any]]:
        if app_label:
            return super().get_app_list(request, app_label)
        app_dict = self._build_app_dict(request)
        models_by_key = {
            f"{app['app_label']}.{model['object_name'].lower()}": model
            for app in app_dict.values()
            for model in app["models"]
        }
        placed: set[str] = set()
        sections = []
        # Third-party records whose own names are not in Vietnamese.
        if "pghistory.events" in models_by_key:
            models_by_key["pghistory.events"]["name"] = _("Changes to records")
        for key, title, model_keys in INDEX_SECTIONS:
            models = [models_by_key[k] for k in model_keys if k in models_by_key]
            placed.update(model_keys)
            if models:
                sections.append(
                    {"name": title, "app_label": key, "app_url": "", "has_module_perms": True, "models": models}
                )
        for app in sorted(app_dict.values(), key=lambda a: a["name"].lower()):
            rest = [m for m in app["models"] if f"{app['app_label']}.{m['object_name'].lower()}" not in placed]
            if rest:
                sections.append({**app, "models": sorted(rest, key=lambda m: m["name"])})
        return sections


class SectorFilter(admin.SimpleListFilter):
    """The giving unit's kind, which the reports call its sector (district units, commune committees)."""

    title = _("sector")
    parameter_name = "sector"
    unit_path = "unit"

    def lookups(self, request, model_admin):
        from apps.units.models import Unit

        return Unit.Kind.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{f"{self.unit_path}__kind": self.value()})
        return queryset


class ValidatedSaveAdmin(admin.ModelAdmin):
    """Saves go through a service (``save_record``), so the admin keeps the importer's rules."""

    def save_model(self, request, obj, form, change) -> None:
        self.save_record(request, obj)

    def save_record(self, request: HttpRequest, obj: models.Model) -> None:
        save_validated(obj)


class ReadOnlyAdminMixin:
    """Records the portal writes itself (history, visit counts, approved figures): nobody edits them here."""

    actions = None

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class ProgrammeModelAdmin(ScopedAdminMixin, ValidatedSaveAdmin):
    """Scoped to what the user may touch, saved through services, searched without diacritics."""

    list_per_page = 50

    def get_search_results(self, request, queryset, search_term):
        # Names are searched as unaccent(name) (search_fields use "__unaccent"), so the term
        # loses its marks too: "Hòa Bình", "hoa binh" and "HOA BINH" find the same rows.
        return super().get_search_results(request, queryset, strip_diacritics(search_term))


class PreloadedAutocompleteSelect(AutocompleteSelect):
    """An autocomplete that shows the chosen row's label from a cache filled once per formset.

    Django's widget looks each chosen row up with its own query, which on an inline of 50 rows
    is 50 queries; the inline's formset fills ``labels`` from one select_related queryset.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Shared (not copied) by every form of the formset: Widget.__deepcopy__ copies attrs only.
        self.labels: dict[str, str] = {}

    def optgroups(self, name, value, attr=None):
        chosen = [str(v) for v in value if v not in (None, "")]
        if not chosen or any(v not in self.labels for v in chosen):
            return super().optgroups(name, value, attr)
        options = [self.create_option(name, v, self.labels[v], True, index) for index, v in enumerate(chosen)]
        if not self.is_required:
            options.insert(0, self.create_option(name, "", "", False, 0))
        return [(None, options, 0)]


class PreloadedLabelsFormSet(BaseInlineFormSet):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.form.base_fields.items():
            widget = getattr(field.widget, "widget", field.widget)
            if not isinstance(widget, PreloadedAutocompleteSelect) or not self.instance.pk:
                continue
            for row in self.get_queryset():
                related = getattr(row, name)
                if related is not None:
                    widget.labels[str(related.pk)] = str(related)


class ProgrammeInline(ScopedInlineMixin, admin.TabularInline):
    """Inline rows with no query per row: autocomplete labels come from one joined query.

    Name every autocomplete field in ``list_select_related`` too (plus what its ``__str__`` reads).
    """

    extra = 0
    formset = PreloadedLabelsFormSet
    list_select_related: tuple[str, ...] = ()

    def get_queryset(self, request):
        return super().get_queryset(request).select_related(*self.list_select_related)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request) and "widget" not in kwargs:
            kwargs["widget"] = PreloadedAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
