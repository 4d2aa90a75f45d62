"""What a review changed for a household, derived from two consecutive classifications, never typed.

- escaped poverty (thoát nghèo): poor before, on no poor list now (near-poor, average or none);
- escaped near-poverty (thoát cận nghèo): near-poor before, average or none now;
- newly poor (hộ nghèo phát sinh): poor now, not before, and never poor earlier;
- fell back (tái nghèo): poor now, not before, but poor in some earlier classification.

A household's first classification changes nothing: there is nothing to compare it with.
:func:`changes_between` is the rule; the database keeps the changes it makes by the same rule
(StatusChange, read through :data:`CHANGES_SQL`), and a test holds the two together.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.db.models.expressions import RawSQL
from django.utils.translation import gettext_lazy as _

POOR, NEAR_POOR = "poor", "near_poor"


class Change(models.TextChoices):
    ESCAPED_POVERTY = "escaped_poverty", _("escaped poverty")
    ESCAPED_NEAR_POVERTY = "escaped_near_poverty", _("escaped near-poverty")
    NEWLY_POOR = "newly_poor", _("newly poor")
    FELL_BACK = "fell_back", _("fell back into poverty")


def changes_between(previous: str | None, current: str, *, poor_earlier: bool = False) -> set[Change]:
    """The changes from the list ``previous`` to the list ``current``; ``poor_earlier``: poor before ``previous``."""
    if previous is None:
        return set()
    changes = set()
    if previous == POOR and current != POOR:
        changes.add(Change.ESCAPED_POVERTY)
    if previous == NEAR_POOR and current not in (POOR, NEAR_POOR):
        changes.add(Change.ESCAPED_NEAR_POVERTY)
    if current == POOR and previous != POOR:
        changes.add(Change.FELL_BACK if poor_earlier else Change.NEWLY_POOR)
    return changes


# One row per classification that changed something (the rows of StatusChange, which the database keeps
# by the same rule as changes_between: migration households/0011): the household, the list year, the lists
# before and after and the changes made. Use it as a CTE: WITH changes AS (CHANGES_SQL).
CHANGES_SQL = """
    SELECT household_id, year, previous, status, escaped_poverty, escaped_near_poverty, newly_poor, fell_back
    FROM households_statuschange
"""


def household_changes(statuses) -> list[tuple[object, set[Change]]]:
    """Each classification of one household (in review order) with the changes it made: for one admin page."""
    result, previous, poor_before_previous = [], None, False
    for status in statuses:
        result.append((status, changes_between(previous, status.status, poor_earlier=poor_before_previous)))
        poor_before_previous = poor_before_previous or previous == POOR
        previous = status.status
    return result


def with_change(change: Change, *, first_year: int | None = None, last_year: int | None = None, field: str = "pk") -> Q:
    """Households with ``change`` in a list year from ``first_year`` to ``last_year``: a filter on Household, or
    on a model whose ``field`` is a household."""
    sql = f"SELECT household_id FROM ({CHANGES_SQL}) AS changes WHERE {Change(change).value}"  # noqa: S608
    params: list[int] = []
    if first_year is not None:
        sql += " AND year >= %s"
        params.append(first_year)
    if last_year is not None:
        sql += " AND year <= %s"
        params.append(last_year)
    return Q(**{f"{field}__in": RawSQL(sql, params)})  # noqa: S611 (no user text in it: the change is a Change, years are parameters)
