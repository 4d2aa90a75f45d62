"""A commune's figures per sector and per year kept ahead of time (issue 10): CommuneFigures' sums per sector and
year (and ALL_YEARS), CommuneTally's rows per sector (in all years) and per year (in all sectors) beside the
rows in all sectors and years it had. A commune's page and its results (with the communes merged into it) then
read a few hundred rows instead of its days' (five queries, ~100 ms at province). Folded by ``donations_fold``
as before, rebuilt by ``donations_rebuild_commune_figures()``, which ``donations_rebuild_figures()`` calls.
Reversing puts 0020's fold and 0025's rebuild back and rebuilds the tables as they were.
"""

import importlib

from django.db import migrations, models

COMMUNES = importlib.import_module("apps.donations.migrations.0020_communes_figures_kept")
VISITS = importlib.import_module("apps.donations.migrations.0025_visits_per_day_kept")
_edit = COMMUNES._edit

# The sums per sector, year and in all years ("year" is null in the second set: ALL_YEARS) of ``rows``: facts
# (``count`` COUNT(*)) or day figures (SUM(donations)).
SUMS_BY_YEAR = """
    SELECT commune_id, sector, COALESCE(year, 0), kind, item_id, {sign}{count}, {sign}SUM(amount_vnd),
        {sign}COALESCE(SUM(quantity), 0), {sign}COALESCE(SUM(labour_days), 0)
    FROM (SELECT *, EXTRACT(YEAR FROM day)::int AS year FROM {rows}) AS fact
    GROUP BY GROUPING SETS ((commune_id, sector, year, kind, item_id), (commune_id, sector, kind, item_id))"""
# A household's or a student's days in a commune in all sectors and years, per sector, per year.
DAYS_BY_YEAR = """
        SELECT commune_id, COALESCE(sector, '') AS sector, COALESCE(year, 0) AS year, household_id, student_id,
            COUNT(*) AS days
        FROM (
            SELECT commune_id, sector, EXTRACT(YEAR FROM day)::int AS year, household_id, student_id FROM {rows}
        ) AS days
        GROUP BY GROUPING SETS (
            (commune_id, household_id, student_id), (commune_id, sector, household_id, student_id),
            (commune_id, year, household_id, student_id)
        )"""


FOLD = _edit(
    COMMUNES.FOLD,
    (
        COMMUNES.COMMUNE_SUMS[: COMMUNES.COMMUNE_SUMS.index("    ON CONFLICT")],
        """
    INSERT INTO donations_communefigures AS c
        (commune_id, sector, year, kind, item_id, donations, amount_vnd, quantity, labour_days)"""
        + SUMS_BY_YEAR.format(rows="unnest(p_facts)", sign="p_sign * ", count="COUNT(*)")
        + "\n    ORDER BY 1, 2, 3, 4, 5\n",
    ),
    (
        "    ON CONFLICT (commune_id, kind, item_id) DO UPDATE SET",
        "    ON CONFLICT (commune_id, sector, year, kind, item_id) DO UPDATE SET",
    ),
    (
        """        INSERT INTO donations_communetally AS c (commune_id, household_id, student_id, days)
        SELECT commune_id, household_id, student_id, COUNT(*) FROM upserted WHERE created
        GROUP BY commune_id, household_id, student_id
        ORDER BY commune_id, household_id, student_id
        ON CONFLICT (commune_id, household_id, student_id) DO UPDATE SET days = c.days + EXCLUDED.days""",
        """        INSERT INTO donations_communetally AS c (commune_id, sector, year, household_id, student_id, days)"""
        + DAYS_BY_YEAR.format(rows="upserted WHERE created")
        + """
        ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT (commune_id, sector, year, household_id, student_id) DO UPDATE SET days = c.days + EXCLUDED.days""",
    ),
    (
        """            SELECT commune_id, household_id, student_id, COUNT(*) AS days FROM emptied
            GROUP BY commune_id, household_id, student_id""",
        DAYS_BY_YEAR.format(rows="emptied").replace("\n        ", "\n            ").lstrip("\n"),
    ),
    (
        "WHERE gone.household_id IS NOT NULL AND c.commune_id = gone.commune_id\n",
        "WHERE gone.household_id IS NOT NULL AND c.commune_id = gone.commune_id\n"
        "                AND c.sector = gone.sector AND c.year = gone.year\n",
    ),
    (
        "WHERE gone.household_id IS NULL AND c.commune_id = gone.commune_id\n",
        "WHERE gone.household_id IS NULL AND c.commune_id = gone.commune_id\n"
        "                AND c.sector = gone.sector AND c.year = gone.year\n",
    ),
)

REBUILD_COMMUNES = f"""
CREATE FUNCTION donations_rebuild_commune_figures() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM donations_communefigures;
    DELETE FROM donations_communetally;
    INSERT INTO donations_communefigures
        (commune_id, sector, year, kind, item_id, donations, amount_vnd, quantity, labour_days){
    SUMS_BY_YEAR.format(rows="donations_dailyfigures", sign="", count="SUM(donations)")
};
    INSERT INTO donations_communetally (commune_id, sector, year, household_id, student_id, days){
    DAYS_BY_YEAR.format(rows="donations_recipientday")
};
END
$$;
"""

REBUILD = _edit(
    VISITS.REBUILD,
    (
        """    INSERT INTO donations_communefigures
        (commune_id, kind, item_id, donations, amount_vnd, quantity, labour_days)
    SELECT commune_id, kind, item_id, SUM(donations), SUM(amount_vnd), SUM(quantity), SUM(labour_days)
    FROM donations_dailyfigures GROUP BY commune_id, kind, item_id;
    INSERT INTO donations_communetally (commune_id, household_id, student_id, days)
    SELECT commune_id, household_id, student_id, COUNT(*) FROM donations_recipientday
    GROUP BY commune_id, household_id, student_id;
""",
        "    PERFORM donations_rebuild_commune_figures();\n",
    ),
)

EMPTIED = "TRUNCATE donations_communefigures, donations_communetally;"
FORWARD = FOLD + REBUILD_COMMUNES + REBUILD + "SELECT donations_rebuild_commune_figures();"
BACKWARD = COMMUNES.FOLD + VISITS.REBUILD + "DROP FUNCTION donations_rebuild_commune_figures();\n" + EMPTIED


class Migration(migrations.Migration):
    dependencies = [
        ("donations", "0025_visits_per_day_kept"),
    ]

    operations = [
        # Emptied first (the new keys are built on empty tables, then filled by the rebuild); reversed last,
        # with the rows as they were.
        migrations.RunSQL(EMPTIED, "SELECT donations_rebuild_figures();"),
        migrations.RemoveConstraint(model_name="communefigures", name="donations_communefigures_key"),
        migrations.RemoveConstraint(model_name="communetally", name="donations_communetally_key"),
        migrations.AddField(
            model_name="communefigures",
            name="sector",
            field=models.CharField(default="", max_length=20),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="communefigures",
            name="year",
            field=models.SmallIntegerField(default=0),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="communetally",
            name="sector",
            field=models.CharField(default="", max_length=20),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="communetally",
            name="year",
            field=models.SmallIntegerField(default=0),
            preserve_default=False,
        ),
        migrations.AddConstraint(
            model_name="communefigures",
            constraint=models.UniqueConstraint(
                fields=("commune", "sector", "year", "kind", "item"),
                name="donations_communefigures_key",
                nulls_distinct=False,
            ),
        ),
        migrations.AddConstraint(
            model_name="communetally",
            constraint=models.UniqueConstraint(
                fields=("commune", "sector", "year", "household", "student"),
                include=("days",),
                name="donations_communetally_key",
                nulls_distinct=False,
            ),
        ),
        migrations.RunSQL(FORWARD, BACKWARD),
    ]
