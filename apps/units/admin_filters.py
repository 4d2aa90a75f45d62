"""List filters other apps' admins use on records given by a unit."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from apps.units.models import Unit


class SectorFilter(admin.SimpleListFilter):
    """The giving unit's kind, which the reports call its sector (district units, commune committees)."""

    title = _("sector")
    parameter_name = "sector"
    unit_path = "unit"

    def lookups(self, request, model_admin):
        return Unit.Kind.choices

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(**{f"{self.unit_path}__kind": self.value()})
        return queryset
