"""The monitoring page's section on needs no help has met: one line in its template, its own selector and partial."""

import datetime

from django import template

from apps.reports.needs import unmet_needs

register = template.Library()


@register.inclusion_tag("reports/_unmet_needs.html")
def unmet_needs_section(on: datetime.date) -> dict:
    return {"needs": unmet_needs(on=on)}
