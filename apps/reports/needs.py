"""Help that fits the need, per commune: poor households with no help this year, and households whose deprivation
no help of the matching kind has reached this year (monitoring, staff only; counts, no names).

A deprivation is matched with the kinds of help the programme records that address it. Health, water and
information have no matching kind of help in the programme's records, so they are not listed here.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import connection

from apps.communes.models import Commune, name_history

SCHOOL_ITEMS = ("sach", "vo", "xe_dap")  # books, notebooks, bicycles

# The list of the year is the household's last classification of that list year (a recognition during the year
# after the yearly review); "this year" is from 1 January to the day looked at.
NEEDS_SQL = """
WITH latest AS (
    SELECT DISTINCT ON (s.household_id) s.id, s.household_id, s.status, v.commune_id
    FROM households_householdstatus s
    JOIN households_household h ON h.id = s.household_id
    JOIN communes_village v ON v.id = h.village_id
    WHERE s.year = %(year)s
    ORDER BY s.household_id, s.decided_on DESC NULLS LAST, s.id DESC
),
lacking AS (
    SELECT l.household_id, ARRAY_AGG(DISTINCT d.dimension) AS dimensions
    FROM latest l
    JOIN households_householdstatus_deprivations sd ON sd.householdstatus_id = l.id
    JOIN households_deprivationindicator d ON d.id = sd.deprivationindicator_id
    GROUP BY l.household_id
),
help AS (  -- what each household received this year, itself or through its students
    SELECT COALESCE(d.household_id, st.household_id) AS household_id,
           BOOL_OR(d.student_id IS NOT NULL OR i.code = ANY(%(school_items)s)) AS school,
           BOOL_OR(d.kind IN ('loan', 'labour')) AS work,
           BOOL_OR(d.kind = 'labour') AS housing
    FROM donations_donation d
    LEFT JOIN households_student st ON st.id = d.student_id
    LEFT JOIN donations_item i ON i.id = d.item_id
    WHERE d.date BETWEEN %(start)s AND %(on)s AND (d.household_id IS NOT NULL OR d.student_id IS NOT NULL)
    GROUP BY 1
)
SELECT l.commune_id,
       COUNT(*) FILTER (WHERE l.status = 'poor') AS poor,
       COUNT(*) FILTER (WHERE l.status = 'poor' AND h.household_id IS NULL) AS poor_not_helped,
       COUNT(*) FILTER (WHERE 'education' = ANY(k.dimensions) AND NOT COALESCE(h.school, FALSE)) AS school,
       COUNT(*) FILTER (WHERE 'employment' = ANY(k.dimensions) AND NOT COALESCE(h.work, FALSE)) AS work,
       COUNT(*) FILTER (WHERE 'housing' = ANY(k.dimensions) AND NOT COALESCE(h.housing, FALSE)) AS housing
FROM latest l
LEFT JOIN lacking k ON k.household_id = l.household_id
LEFT JOIN help h ON h.household_id = l.household_id
WHERE l.status IN ('poor', 'near_poor')
GROUP BY l.commune_id
"""


def unmet_needs(*, on: datetime.date) -> dict[str, Any]:
    """Per commune (as today), among the poor and near-poor households of ``on``'s list: the counts. Two queries."""
    params = {"year": on.year, "start": datetime.date(on.year, 1, 1), "on": on, "school_items": list(SCHOOL_ITEMS)}
    with connection.cursor() as cursor:
        cursor.execute(NEEDS_SQL, params)
        columns = [column.name for column in cursor.description]
        rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    ids = [row["commune_id"] for row in rows]
    communes = Commune.objects.with_names_on(on).prefetch_related(name_history()).in_bulk(ids)
    named = ({**row, "commune": communes[row["commune_id"]].display_name(on=on)} for row in rows)
    rows = sorted(named, key=lambda row: row["commune"])
    keys = ("poor", "poor_not_helped", "school", "work", "housing")
    total = {key: sum(row[key] for row in rows) for key in keys}
    return {"year": on.year, "rows": rows, "total": total}
