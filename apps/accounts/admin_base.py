"""The base classes of every programme admin: scoped to what the user may touch (see
:mod:`apps.accounts.scoping`), saved through the services, searched without diacritics.

- :class:`ProgrammeModelAdmin` keeps each user to their records, saves through the services and
  searches without Vietnamese diacritics.
- :class:`ProgrammeInline` keeps inline pages at a fixed number of queries however many rows.
"""

from __future__ import annotations

from apps.accounts.admin_scoping import ScopedAdminMixin, ScopedInlineMixin
from apps.core.admin_base import PreloadedInline, ValidatedSaveAdmin
from apps.core.text import strip_diacritics


class ProgrammeModelAdmin(ScopedAdminMixin, ValidatedSaveAdmin):
    """Scoped to what the user may touch, saved through services, searched without diacritics."""

    list_per_page = 50

    def get_search_results(self, request, queryset, search_term):
        # Names are searched as unaccent(name) (search_fields use "__unaccent"), so the term
        # loses its marks too: "Hòa Bình", "hoa binh" and "HOA BINH" find the same rows.
        return super().get_search_results(request, queryset, strip_diacritics(search_term))


class ProgrammeInline(ScopedInlineMixin, PreloadedInline):
    """Inline rows limited to what the user may see, with no query per row (see PreloadedInline)."""
