"""The base classes of every programme admin: scoped to what the user may touch (see
:mod:`apps.accounts.scoping`), saved through the services, searched without diacritics.

- :class:`ProgrammeModelAdmin` keeps each user to their records, saves through the services and
  searches without Vietnamese diacritics.
- :class:`RelatedFirstSearchMixin` searches the big lists through foreign-key indexes.
- :class:`ProgrammeInline` keeps inline pages at a fixed number of queries however many rows.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import F, Q
from django.utils.text import smart_split, unescape_string_literal

from apps.accounts.admin_scoping import ScopedAdminMixin, ScopedInlineMixin
from apps.accounts.scoping import scope_queryset
from apps.accounts.stale import SEEN_FIELD, current_version, read_version, refuse_stale_edit, tracks_versions
from apps.core.admin_base import (
    AnyOfIds,
    PreloadedInline,
    ProbedDateHierarchyMixin,
    ValidatedSaveAdmin,
    contains_text,
    words_in_order,
)
from apps.core.text import strip_diacritics


class StaleEditAdminMixin:
    """A change form remembers the record's version (apps.accounts.stale): saving it after someone else
    saved the record is refused, with what they changed, instead of silently putting back the old values.
    """

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if change and obj is not None and tracks_versions(type(obj)):
            # A form sent back with errors keeps the version it was opened at: saving it again is still refused.
            seen = read_version(request.POST.get(SEEN_FIELD)) if request.method == "POST" else None
            context["seen_version"] = str(seen if seen is not None else current_version(obj))
        return super().render_change_form(request, context, add, change, form_url, obj)  # type: ignore[misc]

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)  # type: ignore[misc]
        if obj is None or not tracks_versions(self.model):  # type: ignore[attr-defined]
            return form

        class VersionCheckedForm(form):
            def clean(self):
                # Before the model's own checks: the row is locked from here until the save.
                refuse_stale_edit(self.instance, read_version(self.data.get(SEEN_FIELD)))
                return super().clean()

        VersionCheckedForm.__name__ = form.__name__
        return VersionCheckedForm


class ProgrammeModelAdmin(StaleEditAdminMixin, ScopedAdminMixin, ProbedDateHierarchyMixin, ValidatedSaveAdmin):
    """Scoped to what the user may touch, saved through services, searched without diacritics,
    and never saved over someone else's later change (StaleEditAdminMixin)."""

    list_per_page = 50

    def get_search_results(self, request, queryset, search_term):
        # Names are searched as unaccent(name) (search_fields use "__unaccent"), so the term
        # loses its marks too: "Hòa Bình", "hoa binh" and "HOA BINH" find the same rows.
        return super().get_search_results(request, queryset, strip_diacritics(search_term))


class ProgrammeInline(ScopedInlineMixin, PreloadedInline):
    """Inline rows limited to what the user may see, with no query per row (see PreloadedInline)."""


class RelatedFirstSearchMixin:
    """Search that finds matching related rows first, then this list's rows through its foreign keys.

    Django's search joins every searched table and ORs the conditions, which reads all of a big table
    (a million donations) for each word. Here each word is matched in the related table first (small,
    or indexed like a household's head name) and the list is filtered by ``<fk> IN (those ids)``.
    Related rows are only those the user may see (:mod:`apps.accounts.scoping`): a household head's
    name finds nothing for someone who may not see households.
    """

    def get_search_results(self, request, queryset, search_term):
        fields = self.get_search_fields(request)
        words = []
        for bit in smart_split(strip_diacritics(search_term)):
            if bit.startswith(('"', "'")) and bit[0] == bit[-1]:
                bit = unescape_string_literal(bit)
            if bit.strip():
                words.append(bit.strip())
        if not words:
            return queryset, False
        if len(words) > 1:
            # A phrase first: its words in order within one field (a head's name, a code). Only when no row
            # has that are the words looked for anywhere, so "nguyen van" does not bring "Vạn Lộc" villagers.
            phrase = _matching(request.user, queryset.model, fields, lambda path: words_in_order(path, words))
            found = _found(queryset, phrase)
            if found is not None:
                return found, False
        condition = Q()
        for word in words:
            condition &= _matching(
                request.user, queryset.model, fields, lambda path, word=word: contains_text(path, word)
            )
        found = _found(queryset, condition)
        return (queryset.none() if found is None else found), False


# Up to this many rows found, the list, its count and its date hierarchy are read by their ids.
SEARCH_IDS_AT_MOST = 10_000


def _found(queryset, condition: Q):
    """The rows of ``queryset`` matching ``condition``, or None when there are none.

    The search runs once, here, and the list's own queries (the page, the count, the date hierarchy) then read
    its rows by their ids: run inside each of them, the search's subqueries would run again in every one, and
    PostgreSQL, unable to guess how few rows a search finds, walks the whole ordering index looking for them.
    A search finding more rows than SEARCH_IDS_AT_MOST stays a condition of the list's queries.
    """
    ids = list(queryset.filter(condition).order_by().values_list("pk", flat=True)[: SEARCH_IDS_AT_MOST + 1])
    if not ids:
        return None
    if len(ids) > SEARCH_IDS_AT_MOST:
        return queryset.filter(condition)
    return queryset.filter(pk__in=ids)


def _matching(user, model, paths, condition_for: Callable[[str], Q]) -> Q:
    """Rows of ``model`` where ``condition_for(path)`` holds for one of ``paths``, following foreign keys by ids."""
    condition = Q()
    for path in paths:
        first, _, rest = path.partition("__")
        field = model._meta.get_field(first)
        if rest and field.is_relation and field.many_to_one:
            # One set of ids per searched field: each can then be found through that field's own index (a
            # head's name has one, a household's code none), where their OR would read the whole table.
            related = field.related_model
            found = scope_queryset(user, related._default_manager.all()).filter(
                _matching(user, related, [rest], condition_for)
            )
            condition |= Q(AnyOfIds(F(first), found.order_by().values("pk")))
        else:
            condition |= condition_for(path)
    return condition
