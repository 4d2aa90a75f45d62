"""Admin building blocks that know no app of the project: saves through services, read-only lists,
date columns, dated records announced to whoever listens, and inlines without a query per row.

The scoped classes every programme admin uses are built on these in :mod:`apps.accounts.admin_base`.
"""

from __future__ import annotations

import datetime
import functools
import json
from collections import defaultdict
from collections.abc import Callable, Iterable

from django import forms
from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.paginator import Paginator
from django.db import connections, models
from django.db.models.functions import Upper
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.formats import date_format
from django.utils.functional import cached_property

from apps.core.dates import validate_plausible_year
from apps.core.forms import MoneyField, QuantityField
from apps.core.services import save_validated
from apps.core.signals import dated_records_changed


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


class EstimatedCountPaginator(Paginator):
    """Counts big lists from PostgreSQL's estimate instead of reading every row for the page links.

    Unfiltered, the table's size is ``pg_class.reltuples`` (kept by autovacuum); filtered or searched,
    it is the planner's row estimate for the list's query. Lists the estimate puts under
    ``exact_below`` rows are counted exactly, so small lists and every test keep exact numbers.
    On a million donations ``COUNT(*)`` reads the whole table for a number nobody checks.
    """

    exact_below = 10_000

    @cached_property
    def count(self) -> int:
        queryset = self.object_list
        if not isinstance(queryset, models.QuerySet) or connections[queryset.db].vendor != "postgresql":
            return super().count
        estimate = self._estimate(queryset)
        return estimate if estimate >= self.exact_below else super().count

    def page(self, number):
        """The page's rows found by their ids first: the list's order and filters are read from the indexes
        alone, and the joins and columns of the list (``list_select_related``, annotations) are made for
        the page's rows only, not for every row an OFFSET skips (page 100 skips 4.950 rows)."""
        queryset = self.object_list
        if not isinstance(queryset, models.QuerySet) or connections[queryset.db].vendor != "postgresql":
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        if bottom == 0:  # the first page reads its rows straight from the ordering index: nothing to skip
            return self._get_page(queryset[bottom:top], number, self)
        ids = queryset.values("pk")[bottom:top]
        return self._get_page(queryset.filter(AnyOfIds(models.F("pk"), ids)), number, self)

    @staticmethod
    def _estimate(queryset: models.QuerySet) -> int:
        if queryset.query.is_empty():
            return 0
        if not queryset.query.where:
            with connections[queryset.db].cursor() as cursor:
                cursor.execute(
                    "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [queryset.model._meta.db_table]
                )
                row = cursor.fetchone()
            return int(row[0]) if row else 0
        plan = json.loads(queryset.order_by().explain(format="json"))
        return int(plan[0]["Plan"]["Plan Rows"])


class PlausibleDatesMixin:
    """Every date field of an admin form refuses a year no record can have (0001, 9999), as the importer does."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)  # type: ignore[misc]
        if isinstance(db_field, models.DateField) and formfield is not None:
            formfield.validators.append(validate_plausible_year)
        return formfield


class TypedAsWrittenMixin:
    """Amounts in VND and decimal quantities read as staff type them (:mod:`apps.core.forms`), as the importer does."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, models.BigIntegerField) and db_field.name.endswith("_vnd"):
            kwargs.setdefault("form_class", MoneyField)
            kwargs.setdefault("widget", forms.TextInput(attrs={"class": "vBigIntegerField"}))
        elif isinstance(db_field, models.DecimalField):
            kwargs.setdefault("form_class", QuantityField)
            kwargs.setdefault("widget", forms.TextInput(attrs={"class": "vIntegerField"}))
        return super().formfield_for_dbfield(db_field, request, **kwargs)  # type: ignore[misc]


# Sections shown under a record's change form, added by the apps above the record's own (the help a household
# received is known to apps.donations, which apps.households cannot import): model → render(request, obj) → HTML.
PAGE_SECTIONS: dict[type[models.Model], list[Callable[[HttpRequest, models.Model], str]]] = defaultdict(list)


def page_section(model: type[models.Model]):
    """Decorator: ``render(request, obj)`` returns HTML shown under the change form of ``model``'s records."""

    def register(render: Callable[[HttpRequest, models.Model], str]):
        PAGE_SECTIONS[model].append(render)
        return render

    return register


class PageSectionsMixin:
    """Renders the PAGE_SECTIONS of the model under the change form (templates/admin/change_form.html)."""

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.pk is not None:
            context["page_sections"] = [render(request, obj) for render in PAGE_SECTIONS.get(type(obj), [])]
        return super().render_change_form(request, context, add, change, form_url, obj)  # type: ignore[misc]


class ValidatedSaveAdmin(PageSectionsMixin, TypedAsWrittenMixin, PlausibleDatesMixin, admin.ModelAdmin):
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


class AnyOfIds(models.Func):
    """``fk = ANY(ARRAY(SELECT id ...))``: the ids are found once (an InitPlan) and then looked up in ``fk``'s
    index. ``fk IN (SELECT ...)`` ORed with other conditions becomes a hashed subplan that PostgreSQL tests
    on every row of the list (a million donations); this form lets it OR the indexes' bitmaps instead."""

    conditional = True
    output_field = models.BooleanField()

    def __init__(self, column: models.F, ids: models.QuerySet) -> None:
        super().__init__(column, models.Subquery(ids))

    def as_sql(self, compiler, connection, **extra_context):
        column, ids = self.get_source_expressions()
        column_sql, column_params = compiler.compile(column)
        ids_sql, ids_params = compiler.compile(ids)
        return f"{column_sql} = ANY(ARRAY{ids_sql})", (*column_params, *ids_params)


class ProbedDatesQuerySet(models.QuerySet):
    """``dates(field, "year" | "month")`` found by one index probe per year or month, not by reading every row.

    The admin's ``date_hierarchy`` asks a list for the years (then the months) it has rows in; Django answers with
    ``SELECT DISTINCT DATE_TRUNC(...)`` over the whole filtered list (a million donations read twice per page).
    Here the list's first and last dates (two ends of the date's index) bound the years, and one query asks each
    year "your first row?", ``ORDER BY date LIMIT 1`` through the same index. Same answer as Django's, always.
    """

    def dates(self, field_name, kind, order="ASC"):
        if kind not in ("year", "month") or connections[self.db].vendor != "postgresql":
            return super().dates(field_name, kind, order)
        plain = self.order_by()
        ends = plain.aggregate(first=models.Min(field_name), last=models.Max(field_name))
        if ends["first"] is None:
            return []
        starts = list(_period_starts(ends["first"], ends["last"], kind))
        probes = [
            plain.filter(**{f"{field_name}__gte": start, f"{field_name}__lt": end})
            .order_by(field_name)
            .values_list(field_name, flat=True)[:1]
            for start, end in zip(starts, [*starts[1:], _next_period(starts[-1], kind)], strict=True)
        ]
        found = probes[0].union(*probes[1:], all=True) if len(probes) > 1 else probes[0]
        periods = sorted({day.replace(month=1, day=1) if kind == "year" else day.replace(day=1) for day in found})
        return periods if order == "ASC" else periods[::-1]


def _next_period(start: datetime.date, kind: str) -> datetime.date:
    if kind == "year":
        return start.replace(year=start.year + 1)
    return start.replace(year=start.year + start.month // 12, month=start.month % 12 + 1)


def _period_starts(first: datetime.date, last: datetime.date, kind: str) -> Iterable[datetime.date]:
    start = first.replace(month=1, day=1) if kind == "year" else first.replace(day=1)
    while start <= last:
        yield start
        start = _next_period(start, kind)


class ProbedDatesChangeList(ChangeList):
    """A change list whose ``date_hierarchy`` reads years and months through :class:`ProbedDatesQuerySet`."""

    def get_queryset(self, request, exclude_parameters=None):
        queryset = super().get_queryset(request, exclude_parameters)
        if not isinstance(queryset, ProbedDatesQuerySet):
            queryset.__class__ = _probed(type(queryset))
        return queryset


@functools.cache
def _probed(queryset_class: type[models.QuerySet]) -> type[models.QuerySet]:
    return type(f"Probed{queryset_class.__name__}", (ProbedDatesQuerySet, queryset_class), {})


class ProbedDateHierarchyMixin:
    """Big lists with a ``date_hierarchy`` list their years and months without reading all their rows."""

    def get_changelist(self, request, **kwargs):
        return ProbedDatesChangeList


class DatedRecordsAdminMixin:
    """Every save and delete announces the records' dates (:data:`apps.core.signals.dated_records_changed`).

    The reports app listens and warns the person when a date falls inside a frozen report; the
    announcement follows the change, so a refused save or delete warns of nothing.
    """

    date_field = "date"

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        self.announce_dates(request, [getattr(obj, self.date_field)])

    def delete_model(self, request, obj) -> None:
        super().delete_model(request, obj)
        self.announce_dates(request, [getattr(obj, self.date_field)])

    def delete_queryset(self, request, queryset) -> None:
        # The "delete selected" action: each distinct date once, not each row.
        dates = list(queryset.order_by().values_list(self.date_field, flat=True).distinct())
        super().delete_queryset(request, queryset)
        self.announce_dates(request, dates)

    def announce_dates(
        self, request: HttpRequest, dates: Iterable[datetime.date | None], *, sender: type[models.Model] | None = None
    ) -> None:
        known = sorted({day for day in dates if day is not None})
        if known:
            dated_records_changed.send(sender=sender or self.model, request=request, dates=known)


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


class PreloadedInline(TypedAsWrittenMixin, PlausibleDatesMixin, admin.TabularInline):
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


class Unaccented(models.Func):
    """``unaccent(text)`` through the IMMUTABLE wrapper of migration core 0004, so an index can hold it.

    PostgreSQL's own ``unaccent()`` is only STABLE: an index on it is refused, and a search on
    ``__unaccent`` reads the whole table. Searches written with this match the trigram indexes.
    """

    function = "taybinh_unaccent"
    output_field = models.TextField()


def contains_text(path: str, word: str) -> models.Q:
    """``path`` contains ``word`` ignoring case; ``name__unaccent`` ignoring diacritics too (word already plain)."""
    if path.endswith("__unaccent"):
        return models.Q(models.lookups.IContains(Unaccented(path.removesuffix("__unaccent")), word))
    return models.Q(**{f"{path}__icontains": word})


def words_in_order(path: str, words: list[str]) -> models.Q:
    """``path`` holds each of ``words`` at the start of a word, in that order, ignoring case (and diacritics
    for ``name__unaccent``): "nguyen van" finds "Nguyễn Văn An", not "Nguyễn Ngọc Hạnh" of "Vạn Lộc"."""
    # PostgreSQL's \m is the start of a word; every character that is not a letter or digit is escaped.
    # Matched on UPPER(...) with the words in capitals, as contains_text's LIKE is: the trigram indexes on
    # UPPER(...) (a household's head name, a donation's reference) serve both.
    pattern = ".*".join(r"\m" + "".join(ch if ch.isalnum() else "\\" + ch for ch in word.upper()) for word in words)
    if path.endswith("__unaccent"):
        return models.Q(models.lookups.Regex(Upper(Unaccented(path.removesuffix("__unaccent"))), pattern))
    return models.Q(models.lookups.Regex(Upper(path), pattern))
