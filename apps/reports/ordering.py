"""The order of communes in a report's tables: the issuing body's administrative order where it sets one
(:class:`apps.reports.models.CommuneOrder`), Vietnamese alphabetical order otherwise (issue 12)."""

from __future__ import annotations

from typing import Any

from apps.bodies.models import IssuingBody
from apps.reports.models import CommuneOrder


def in_body_order(rows: list[dict[str, Any]], body: IssuingBody | None) -> list[dict[str, Any]]:
    """``rows`` (each with a commune ``code``, already in Vietnamese order) in the body's order: the communes
    it placed first, by their place; the others after them, in the order they came."""
    if body is None:
        return rows
    places = dict(CommuneOrder.objects.filter(issuer=body).values_list("commune__code", "position"))
    if not places:
        return rows
    placed = sorted((row for row in rows if row["code"] in places), key=lambda row: places[row["code"]])
    return placed + [row for row in rows if row["code"] not in places]


def ordered_figures(figures: dict[str, Any], body: IssuingBody | None) -> dict[str, Any]:
    """The report's figures with the communes' table in the body's order (what a report shows and approval keeps)."""
    return {**figures, "communes": in_body_order(figures["communes"], body)}
