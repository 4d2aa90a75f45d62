"""Number formats as Vietnamese officials write them (apps.core.numbers), and the blocks every public page shows."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django import template
from django.templatetags.static import static
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from apps.communes.models import document_date
from apps.core.numbers import grouped
from apps.portal import selectors

register = template.Library()

BEFORE = _("%(name)s (before %(date)s)")


@register.filter
def vnd(value: int | None) -> str:
    """745320000 → "745.320.000 đ"."""
    return f"{grouped(value)} đ"


@register.filter
def qty(value: int | float | Decimal | None) -> str:
    """1009 → "1.009", 12.5 → "12,5": grouped thousands, a decimal comma only when needed."""
    return grouped(value)


@register.simple_tag
def programme_settings():
    return selectors.programme_settings()


@register.inclusion_tag("portal/_website_links.html")
def website_links_block() -> dict:
    return {"links": selectors.website_links()}


@register.filter
def unit_name(unit) -> str:
    """A unit as a page about today names it: one that ended while a unit of its name exists says when
    ("Đảng ủy xã Hòa Thịnh (trước 01/7/2025)"). Reads ``ended_on`` and ``namesake_today`` of
    :func:`apps.portal.selectors.units_with_progress`."""
    ended_on = getattr(unit, "ended_on", None)
    if ended_on is None or not getattr(unit, "namesake_today", False):
        return unit.name
    return str(BEFORE % {"name": unit.name, "date": document_date(ended_on + datetime.timedelta(days=1))})


# The query parameters that make a different page (apps.portal.caching.PAGE_PARAMETERS); any other is dropped
# from the canonical address, so that shared links with tracking parameters count as one page.
CANONICAL_PARAMETERS = ("from", "to", "commune", "group", "page")


@register.simple_tag(takes_context=True)
def canonical_url(context) -> str:
    request = context["request"]
    query = urlencode([(name, request.GET[name]) for name in CANONICAL_PARAMETERS if request.GET.get(name)])
    return request.build_absolute_uri(request.path + (f"?{query}" if query else ""))


@register.simple_tag(takes_context=True)
def absolute_static(context, path: str) -> str:
    """A static file's full address, as Open Graph wants its image."""
    return context["request"].build_absolute_uri(static(path))
