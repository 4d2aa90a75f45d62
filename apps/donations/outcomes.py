"""Did the households the programme helped get out of poverty, and stay out? Aggregates only, never names.

A cohort is the households first helped in one year that were on that year's poor or near-poor list; they are
compared with the households of the same communes on the same lists that the programme had not helped by the
end of the three years looked at. Escapes and falls are the changes derived from consecutive classifications
(apps.households.changes). Used by the public results page and the period report (both above this layer).
"""

from __future__ import annotations

import datetime
import json
from typing import Any

from django.db import connection

from apps.communes.models import Commune
from apps.households.changes import CHANGES_SQL

WINDOWS = (1, 2, 3)
MIN_BASE = 10  # escaped within one, two and three years of the list year of first help

# One row per (list year, helped or not): how many households, how many escaped within 1, 2, 3 years, ...
# %(scope)s narrows the households to some communes; the parameters are (until_year, communes...).
OUTCOMES_SQL = f"""
WITH changes AS ({CHANGES_SQL}),
first_help AS (  -- the year each household was first helped, kept by the figure triggers (RecipientTally)
    SELECT household_id, EXTRACT(YEAR FROM first_day)::int AS year
    FROM donations_recipienttally WHERE sector = '' AND year = 0 AND household_id IS NOT NULL
),
listed AS (
    SELECT s.household_id, s.year, s.status, v.commune_id, f.year AS first_helped
    FROM households_householdstatus s
    JOIN households_household h ON h.id = s.household_id
    JOIN communes_village v ON v.id = h.village_id
    LEFT JOIN first_help f ON f.household_id = s.household_id
    WHERE s.review_round = 'yearly' AND s.status IN ('poor', 'near_poor') AND s.year <= %(until)s %(scope)s
),
cohort AS (
    SELECT listed.*, COALESCE(first_helped = year, FALSE) AS helped FROM listed
    WHERE first_helped = year OR first_helped IS NULL OR first_helped > year + 3
),
helped_where AS (SELECT DISTINCT year, commune_id FROM cohort WHERE helped),
compared AS (  -- the households not helped count only in communes where some were helped that year
    SELECT cohort.* FROM cohort JOIN helped_where USING (year, commune_id)
),
followed AS (
    SELECT c.household_id, c.year, c.helped, c.status,
           BOOL_OR(ch.escaped_poverty AND ch.year <= c.year + 1) AS escaped_1,
           BOOL_OR(ch.escaped_poverty AND ch.year <= c.year + 2) AS escaped_2,
           BOOL_OR(ch.escaped_poverty AND ch.year <= c.year + 3) AS escaped_3,
           BOOL_OR(ch.escaped_near_poverty AND ch.year <= c.year + 3) AS escaped_near_3,
           BOOL_OR(ch.fell_back) AS fell_back
    FROM compared AS c
    LEFT JOIN changes AS ch ON ch.household_id = c.household_id AND ch.year > c.year AND ch.year <= %(until)s
        AND (ch.escaped_poverty OR ch.escaped_near_poverty OR ch.fell_back)  -- the changes looked at
    GROUP BY c.household_id, c.year, c.helped, c.status
)
SELECT year, helped,
       COUNT(*) AS households,
       COUNT(*) FILTER (WHERE status = 'poor') AS poor,
       COUNT(*) FILTER (WHERE status = 'poor' AND escaped_1) AS escaped_1,
       COUNT(*) FILTER (WHERE status = 'poor' AND escaped_2) AS escaped_2,
       COUNT(*) FILTER (WHERE status = 'poor' AND escaped_3) AS escaped_3,
       COUNT(*) FILTER (WHERE escaped_near_3) AS escaped_near_3,
       COUNT(*) FILTER (WHERE fell_back) AS fell_back
FROM followed GROUP BY year, helped ORDER BY year, helped DESC
"""

STANDARDS_SQL = """
SELECT year, name, legal_basis FROM households_povertystandard,
LATERAL generate_series(first_year::int, last_year::int) AS year WHERE year = ANY(%s)
"""


def poverty_outcomes(
    *, commune_ids: list[int] | None = None, first_year: int | None = None, until_year: int
) -> list[dict[str, Any]]:
    """Per year of first help up to ``until_year``: helped households' escapes against the not-helped ones'.

    Nothing after ``until_year`` is looked at (a report about 2018 knows nothing of 2019): a window that
    ends later is None. Two queries whatever the number of households when remembered (:func:`_remembered_rows`).
    """
    rows = _remembered_rows(commune_ids, until_year)
    with connection.cursor() as cursor:
        years = sorted({row["year"] for row in rows if row["helped"] and row["year"] >= (first_year or 0)})
        cursor.execute(STANDARDS_SQL, [years])
        standards = {year: f"{name} ({basis})" for year, name, basis in cursor.fetchall()}
    by_key = {(row["year"], row["helped"]): row for row in rows}
    return [
        {
            "year": year,
            "standard": standards.get(year, ""),
            "helped": _group(by_key[(year, True)], year, until_year),
            "not_helped": _group(by_key[(year, False)], year, until_year) if (year, False) in by_key else None,
        }
        for year in years
    ]


# donations/0022: the advisory lock a statement changing what the outcomes read holds, shared, until it commits.
WRITERS_LOCK = 7_301_022

REMEMBERED_SQL = """
SELECT rows FROM donations_outcomesmemo
WHERE key = %s AND last_write = (SELECT COALESCE(MAX(id), 0) FROM donations_outcomeswrite)
"""
# The marks before the last are no longer needed by anyone (a remembered row naming one is stale): removed.
REMEMBER_SQL = """
WITH pruned AS (DELETE FROM donations_outcomeswrite WHERE id < %(last_write)s)
INSERT INTO donations_outcomesmemo (key, last_write, rows) VALUES (%(key)s, %(last_write)s, %(rows)s)
ON CONFLICT (key) DO UPDATE SET last_write = EXCLUDED.last_write, rows = EXCLUDED.rows
"""


def _remembered_rows(commune_ids: list[int] | None, until_year: int) -> list[dict[str, Any]]:
    """OUTCOMES_SQL's rows for some communes (or all), remembered (:func:`remembered`)."""
    scope, params = "", {"until": until_year}
    if commune_ids is not None:
        scope, params["communes"] = "AND v.commune_id = ANY(%(communes)s)", list(commune_ids)
    return remembered(f"{until_year}:{communes_key(commune_ids)}", OUTCOMES_SQL.replace("%(scope)s", scope), params)


def communes_key(commune_ids: list[int] | None) -> str:
    """How a key of :func:`remembered` names the communes a query is about (None: all)."""
    return "all" if commune_ids is None else ",".join(map(str, sorted(commune_ids)))


def remembered(key: str, sql: str, params: dict[str, Any] | list[Any]) -> list[dict[str, Any]]:
    """The rows of ``sql``, remembered under ``key`` until one of the tables the outcomes read changes
    (donations/0022: classifications, their changes, households' villages, villages' communes, first help):
    for any query reading only those, the communes it is about named in ``key``.

    One query when nothing changed since they were remembered. Otherwise they are counted again and, when no
    statement changing those tables is in flight (the exclusive form of their lock is free, taken without
    waiting), remembered with the last change seen: held while counting, the lock keeps writers from
    marking a change, so the rows count exactly what that last change left. A writer waits for it (0,4 s at
    province), once per change; a remembered row written in a transaction that then changes more is
    superseded by its own later marks."""
    with connection.cursor() as cursor:
        cursor.execute(REMEMBERED_SQL, [key])
        if (found := cursor.fetchone()) is not None:
            return json.loads(found[0])  # Django's connection reads jsonb as text
        # The last change as the statement began, maybe older than the lock: then the rows remembered are
        # never used (they name a change that is no longer the last), never wrong.
        cursor.execute(
            "SELECT pg_try_advisory_lock(%s), (SELECT COALESCE(MAX(id), 0) FROM donations_outcomeswrite)",
            [WRITERS_LOCK],
        )
        alone, last_write = cursor.fetchone()
        try:
            cursor.execute(sql, params)
            columns = [column.name for column in cursor.description]
            rows = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
            if alone:
                cursor.execute(REMEMBER_SQL, {"key": key, "last_write": last_write, "rows": json.dumps(rows)})
        finally:
            if alone:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [WRITERS_LOCK])
    return rows


def _share(count: int | None, base: int) -> dict[str, int | None] | None:
    """A count and its whole percentage of ``base``; None for a window not reviewed yet."""
    # No percentage of fewer than MIN_BASE households: one household of one would read "100%".
    return (
        None if count is None else {"count": count, "percent": round(100 * count / base) if base >= MIN_BASE else None}
    )


def _group(row: dict[str, Any], year: int, until_year: int) -> dict[str, Any]:
    """One cohort year's helped or not-helped households, as plain data (a frozen report keeps it as JSON)."""
    poor, households = row["poor"], row["households"]
    return {
        "households": households,
        "poor": poor,
        # Of the poor, escaped within 1, 2, 3 years; of all, escaped near-poverty within 3 years; fell back later.
        "escaped": [_share(row[f"escaped_{k}"] if year + k <= until_year else None, poor) for k in WINDOWS],
        "escaped_near": _share(row["escaped_near_3"] if year + 3 <= until_year else None, households),
        "fell_back": _share(row["fell_back"], households),
    }


def outcomes_in_scope(
    *, start: datetime.date | None, end: datetime.date | None, commune: Commune | None, today: datetime.date
) -> list[dict[str, Any]]:
    """:func:`poverty_outcomes` for a page's period and commune (with the communes merged into it).

    Cohorts are the years of first help within the period; nothing after its last year (or today) is looked at.
    """
    commune_ids = None
    if commune is not None:
        commune_ids = commune.family_ids()
    until = min(end, today) if end else today
    return poverty_outcomes(commune_ids=commune_ids, first_year=start.year if start else None, until_year=until.year)
