"""Number formats as Vietnamese officials write them (apps.core.numbers), and the blocks every public page shows."""

from __future__ import annotations

from decimal import Decimal

from django import template

from apps.core.numbers import grouped
from apps.portal import selectors

register = template.Library()


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
