"""The database floor: the contract's totals written by hand in SQL, the best plain query for each scope.

Each floor returns what summary.json returns (CONTRACT.md, "Counting rules"), so the bench can check
that it counts the same thing before it compares times. ``donations`` is the set of donations in
scope, found through the indexes each scope can use: the period through (date, unit), a commune
through the four beneficiary links resolved to ids first, a group through its memberships and
(unit, date).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

IN_PERIOD = "d.date >= %(start)s AND d.date <= %(end)s"

ALL_DONATIONS = f"SELECT d.* FROM donations_donation d WHERE {IN_PERIOD}"

# The commune and every commune merged into it, at any depth; then its villages, households, students.
COMMUNE_PLACES = """
    communes (id) AS (
        SELECT id FROM communes_commune WHERE code = %(commune)s
        UNION SELECT merged.id FROM communes_commune merged JOIN communes ON merged.successor_id = communes.id
    ),
    villages AS (SELECT id FROM communes_village WHERE commune_id IN (SELECT id FROM communes)),
    households AS (SELECT id FROM households_household WHERE village_id IN (SELECT id FROM villages)),
    students AS (SELECT id FROM households_student WHERE household_id IN (SELECT id FROM households))
"""
IN_COMMUNE = f"""
    SELECT d.* FROM donations_donation d WHERE d.commune_id IN (SELECT id FROM communes) AND {IN_PERIOD}
    UNION ALL SELECT d.* FROM donations_donation d WHERE d.village_id IN (SELECT id FROM villages) AND {IN_PERIOD}
    UNION ALL SELECT d.* FROM donations_donation d WHERE d.household_id IN (SELECT id FROM households) AND {IN_PERIOD}
    UNION ALL SELECT d.* FROM donations_donation d WHERE d.student_id IN (SELECT id FROM students) AND {IN_PERIOD}
"""

# Units that were members of the group on the donation's date (memberships of a unit never overlap).
IN_GROUP = f"""
    SELECT d.* FROM units_groupmembership m
    JOIN units_unitgroup g ON g.id = m.group_id AND g.code = %(group)s
    JOIN donations_donation d ON d.unit_id = m.unit_id AND d.date >= m.start AND (m."end" IS NULL OR d.date <= m."end")
    WHERE {IN_PERIOD}
"""

SECTORS = {"district_unit": "district_units", "commune_committee": "commune_committees", "other": "other"}

FIGURES = """
    SELECT u.kind,
        COALESCE(SUM(d.amount_vnd) FILTER (WHERE d.kind = 'money'), 0),
        COALESCE(SUM(d.amount_vnd) FILTER (WHERE d.kind = 'loan'), 0),
        COALESCE(SUM(d.labour_days) FILTER (WHERE d.kind = 'labour'), 0),
        COUNT(DISTINCT (d.household_id, d.date, d.unit_id)) FILTER (WHERE d.household_id IS NOT NULL),
        COUNT(DISTINCT d.household_id),
        COUNT(DISTINCT d.student_id)
    FROM scoped d JOIN units_unit u ON u.id = d.unit_id
    GROUP BY GROUPING SETS ((u.kind), ())
"""

GOODS = """
    SELECT u.kind, i.code, SUM(d.quantity)
    FROM scoped d JOIN units_unit u ON u.id = d.unit_id JOIN donations_item i ON i.id = d.item_id
    WHERE d.kind = 'goods'
    GROUP BY GROUPING SETS ((u.kind, i.code), (i.code))
"""


@dataclass(frozen=True)
class Floor:
    """One scope: a name, the summary.json query string it matches, and its parameters."""

    name: str
    query: str  # summary.json's query string for the same scope
    start: datetime.date = datetime.date(1900, 1, 1)
    end: datetime.date = datetime.date(2999, 12, 31)
    commune: str | None = None
    group: str | None = None

    def scoped_sql(self) -> str:
        if self.commune and self.group:
            raise ValueError("one scope at a time")
        if self.commune:
            return f"WITH RECURSIVE {COMMUNE_PLACES}, scoped AS ({IN_COMMUNE})"
        return f"WITH scoped AS ({IN_GROUP if self.group else ALL_DONATIONS})"

    def params(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "commune": self.commune, "group": self.group}


def run(cursor, floor: Floor) -> dict[str, Any]:
    """The floor's two statements (figures, goods); returns summary.json's "total" shape for comparison."""
    scoped = floor.scoped_sql()
    cursor.execute(scoped + FIGURES, floor.params())
    figures = cursor.fetchall()
    cursor.execute(scoped + GOODS, floor.params())
    goods = cursor.fetchall()
    total = {"money_vnd": 0, "loans_vnd": 0, "labour_days": 0, "household_visits": 0, "households": 0, "students": 0}
    for kind, money, loans, labour, visits, households, students in figures:
        if kind is None:
            total = {
                "money_vnd": int(money),
                "loans_vnd": int(loans),
                "labour_days": _number(labour),
                "household_visits": visits,
                "households": households,
                "students": students,
            }
    total["goods"] = {code: _number(quantity) for kind, code, quantity in goods if kind is None}
    return total


def _number(value: Decimal | int) -> int | float:
    value = Decimal(value)
    return int(value) if value == value.to_integral_value() else float(value)


def comparable(total: dict[str, Any]) -> dict[str, Any]:
    """summary.json's total reduced to what a floor returns (goods as code -> quantity)."""
    figures = {key: total[key] for key in ("money_vnd", "loans_vnd", "labour_days", "household_visits")}
    figures |= {key: total[key] for key in ("households", "students")}
    figures["goods"] = {code: item["quantity"] for code, item in total.get("goods", {}).items()}
    return figures
