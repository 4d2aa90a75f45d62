"""The public results page's poverty outcomes: one line in its template, its own selector and partial."""

from django import template
from django.utils import timezone

from apps.donations.outcomes import outcomes_in_scope

register = template.Library()


@register.inclusion_tag("households/_poverty_outcomes.html")
def poverty_outcomes_section(scope) -> dict:
    """Helped against not-helped households' escapes from poverty for the page's period and commune.

    A group of units has no households of its own to compare: for a group the section says so.
    """
    if scope.group is not None:
        return {"for_group": True}
    rows = outcomes_in_scope(start=scope.start, end=scope.end, commune=scope.commune, today=timezone.localdate())
    return {"outcomes": rows}
