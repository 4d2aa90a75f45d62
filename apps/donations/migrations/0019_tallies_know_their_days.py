"""Each year's RecipientTally row knows its household's or student's first and last day helped that year
and the last day helped before that year, so that the distinct households and students of any period
across years are counted from a few index ranges, one row each, instead of every day helped
(apps.donations.selectors.recipients_between).

``donations_date_tallies()`` sets them again, from the donations, for the households and students a
statement's facts concern; ``donations_refact`` calls it after its two folds, and the rebuild fills them
when it tallies. Reversing puts back the versions of 0013 and 0014.
"""

import importlib

from django.db import migrations, models

FIRST = importlib.import_module("apps.donations.migrations.0013_figures_triggers")
SECOND = importlib.import_module("apps.donations.migrations.0014_programme_figures_kept_as_appended_changes")

DATE_TALLIES = r"""
-- The days of these households' and students' year tallies again, from their donations as they are
-- now (a statement's facts are then equal to its donations): the first and last day of each year
-- helped and of all years (0), and for a year the last day helped in an earlier year, per sector and
-- in all sectors ('').
CREATE FUNCTION donations_date_tallies(p_households bigint[], p_students bigint[]) RETURNS void
LANGUAGE sql AS $$
    WITH per_year AS (
        SELECT COALESCE(sector, '') AS sector, year, household_id, student_id,
            MIN(day) AS first_day, MAX(day) AS last_day
        FROM (
            SELECT u.kind AS sector, EXTRACT(YEAR FROM d.date)::int AS year, d.household_id, d.student_id,
                d.date AS day
            FROM donations_donation d JOIN units_unit u ON u.id = d.unit_id
            WHERE d.household_id = ANY(p_households) OR d.student_id = ANY(p_students)
        ) AS helped
        GROUP BY GROUPING SETS (
            (sector, year, household_id, student_id), (sector, household_id, student_id),
            (year, household_id, student_id), (household_id, student_id)
        )
    ), dated AS (
        SELECT sector, COALESCE(year, 0) AS year, household_id, student_id, first_day, last_day,
            CASE WHEN year IS NOT NULL THEN LAG(last_day) OVER (
                PARTITION BY sector, household_id, student_id, year IS NULL ORDER BY year
            ) END AS previous_last_day
        FROM per_year
    ), households AS (  -- run to completion although nothing reads it
        UPDATE donations_recipienttally t
        SET first_day = w.first_day, last_day = w.last_day, previous_last_day = w.previous_last_day
        FROM dated w
        WHERE w.household_id IS NOT NULL AND t.sector = w.sector AND t.year = w.year
            AND t.household_id = w.household_id AND t.student_id IS NOT DISTINCT FROM w.student_id
            AND (t.first_day, t.last_day, t.previous_last_day)
                IS DISTINCT FROM (w.first_day, w.last_day, w.previous_last_day)
    )
    UPDATE donations_recipienttally t
    SET first_day = w.first_day, last_day = w.last_day, previous_last_day = w.previous_last_day
    FROM dated w
    WHERE w.household_id IS NULL AND t.sector = w.sector AND t.year = w.year
        AND t.household_id IS NULL AND t.student_id = w.student_id
        AND (t.first_day, t.last_day, t.previous_last_day)
            IS DISTINCT FROM (w.first_day, w.last_day, w.previous_last_day);
$$;
"""

OLD_FOLD_CALL = "    PERFORM donations_fold(facts, 1);\nEND\n$$;"
REFACT_START = "CREATE FUNCTION donations_refact"
OLD_REFACT = FIRST.FUNCTIONS[FIRST.FUNCTIONS.index(REFACT_START) :]
OLD_REFACT = OLD_REFACT[: OLD_REFACT.index(OLD_FOLD_CALL) + len(OLD_FOLD_CALL)]
REFACT = (
    OLD_REFACT.replace(
        "DECLARE\n    facts donations_donationfact[];",
        ("DECLARE\n    facts donations_donationfact[];\n    concerned donations_donationfact[];"),
    )
    .replace(
        "    PERFORM donations_fold(facts, -1);", "    PERFORM donations_fold(facts, -1);\n    concerned := facts;"
    )
    .replace(
        OLD_FOLD_CALL,
        "    PERFORM donations_fold(facts, 1);\n"
        "    concerned := concerned || facts;\n"
        "    PERFORM donations_date_tallies(\n"
        "        ARRAY(SELECT DISTINCT household_id FROM unnest(concerned) WHERE household_id IS NOT NULL),\n"
        "        ARRAY(SELECT DISTINCT student_id FROM unnest(concerned) WHERE student_id IS NOT NULL)\n"
        "    );\nEND\n$$;",
    )
    .replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION")
)

OLD_TALLY = """    INSERT INTO donations_recipienttally (sector, year, household_id, student_id, days)
    SELECT COALESCE(sector, ''), COALESCE(year, 0), household_id, student_id, COUNT(*)
    FROM (
        SELECT sector, EXTRACT(YEAR FROM day)::int AS year, household_id, student_id FROM donations_recipientday
    ) AS days
    GROUP BY GROUPING SETS (
        (sector, year, household_id, student_id), (sector, household_id, student_id),
        (year, household_id, student_id), (household_id, student_id)
    );"""
NEW_TALLY = """    INSERT INTO donations_recipienttally
        (sector, year, household_id, student_id, days, first_day, last_day, previous_last_day)
    SELECT sector, year, household_id, student_id, days, first_day, last_day,
        CASE WHEN year <> 0 THEN LAG(last_day) OVER (
            PARTITION BY sector, household_id, student_id, year = 0 ORDER BY year
        ) END
    FROM (
        SELECT COALESCE(sector, '') AS sector, COALESCE(year, 0) AS year, household_id, student_id,
            COUNT(*) AS days, MIN(day) AS first_day, MAX(day) AS last_day
        FROM (
            SELECT sector, EXTRACT(YEAR FROM day)::int AS year, household_id, student_id, day
            FROM donations_recipientday
        ) AS days
        GROUP BY GROUPING SETS (
            (sector, year, household_id, student_id), (sector, household_id, student_id),
            (year, household_id, student_id), (household_id, student_id)
        )
    ) AS tallies;"""
assert OLD_TALLY in SECOND.REBUILD
REBUILD = SECOND.REBUILD.replace(OLD_TALLY, NEW_TALLY)

FORWARD = DATE_TALLIES + REFACT + REBUILD + "SELECT donations_rebuild_figures();"
BACKWARD = (
    OLD_REFACT.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION")
    + SECOND.REBUILD
    + "DROP FUNCTION donations_date_tallies(bigint[], bigint[]);"
)


class Migration(migrations.Migration):
    dependencies = [
        ("donations", "0018_reference_searched_through_a_trigram_index"),
        ("households", "0011_status_changes_kept_by_triggers"),
    ]

    operations = [
        migrations.AddField(model_name="recipienttally", name="first_day", field=models.DateField(null=True)),
        migrations.AddField(model_name="recipienttally", name="last_day", field=models.DateField(null=True)),
        migrations.AddField(model_name="recipienttally", name="previous_last_day", field=models.DateField(null=True)),
        migrations.RunSQL(FORWARD, BACKWARD),
        migrations.AddIndex(
            model_name="recipienttally",
            index=models.Index(
                condition=~models.Q(year=0),
                fields=["year", "last_day"],
                include=("sector", "household", "student"),
                name="donations_tally_last_day_idx",
            ),
        ),
        migrations.AddIndex(
            model_name="recipienttally",
            index=models.Index(
                condition=~models.Q(year=0),
                fields=["year", "previous_last_day"],
                include=("sector", "first_day", "household", "student"),
                name="donations_tally_previous_idx",
            ),
        ),
    ]
