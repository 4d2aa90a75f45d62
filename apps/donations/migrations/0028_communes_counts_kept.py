"""A commune's households, students and household visits counted ahead of time (issue 10): CommuneCounts, kept by
statement triggers on CommuneTally's rows (new less old, whatever writes them). The commune list and a commune's
page (with no commune merged into it) read one row per commune, sector and year instead of one per household or
student helped (~106.000 rows for the commune list at province). While ``taybinh.figures_deferred`` is on (a bulk
load, a rebuild) the triggers do nothing, and ``donations_rebuild_figures()`` fills the table at its end.
"""

import importlib

from django.db import migrations, models

VISITS = importlib.import_module("apps.donations.migrations.0025_visits_per_day_kept")
ENDS = importlib.import_module("apps.donations.migrations.0027_helped_since_and_until_kept")
COUNTS = "households, students, household_visits"


def counts_of(table: str, sign: int) -> str:
    """Each of ``table``'s tally rows as +/-1 household or student helped (days > 0) and its household visits."""
    return f"""
            SELECT commune_id, sector, year, {sign} * (household_id IS NOT NULL AND days > 0)::int AS h,
                {sign} * (student_id IS NOT NULL AND days > 0)::int AS s,
                {sign} * CASE WHEN household_id IS NOT NULL THEN days ELSE 0 END AS v
            FROM {table}"""


def changed(*signed_tables: tuple[str, int]) -> str:
    rows = "\n            UNION ALL".join(counts_of(table, sign) for table, sign in signed_tables)
    return f"""
        INSERT INTO donations_communecounts AS k (commune_id, sector, year, {COUNTS})
        SELECT commune_id, sector, year, SUM(h), SUM(s), SUM(v) FROM ({rows}
        ) AS changes
        GROUP BY commune_id, sector, year HAVING SUM(h) <> 0 OR SUM(s) <> 0 OR SUM(v) <> 0
        ORDER BY commune_id, sector, year
        ON CONFLICT (commune_id, sector, year) DO UPDATE SET
            households = k.households + EXCLUDED.households,
            students = k.students + EXCLUDED.students,
            household_visits = k.household_visits + EXCLUDED.household_visits;"""


# The counts a statement's old rows leave at nothing.
EMPTIED = """
        DELETE FROM donations_communecounts k USING (SELECT DISTINCT commune_id, sector, year FROM old_rows) o
        WHERE k.commune_id = o.commune_id AND k.sector = o.sector AND k.year = o.year
            AND k.households = 0 AND k.students = 0 AND k.household_visits = 0;"""

EVENTS = VISITS.signed_events(changed, EMPTIED)

FORWARD = f"""
CREATE FUNCTION donations_rebuild_commune_counts() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM donations_communecounts;
    INSERT INTO donations_communecounts (commune_id, sector, year, {COUNTS})
    SELECT commune_id, sector, year, SUM(h), SUM(s), SUM(v) FROM ({counts_of("donations_communetally", 1)}
    ) AS counts
    GROUP BY commune_id, sector, year HAVING SUM(h) <> 0 OR SUM(s) <> 0 OR SUM(v) <> 0;
END
$$;
"""
TRIGGERS, DROPPED = VISITS.statement_triggers(
    "donations_counts", "donations_communetally", EVENTS, "donations_communecounts"
)
FORWARD += TRIGGERS
# The rebuild of every kept table ends with these (from the tallies it has just rebuilt).
REBUILD = ENDS.COMMUNES._edit(
    ENDS.REBUILD,
    (
        "    PERFORM donations_rebuild_recipient_ends();",
        "    PERFORM donations_rebuild_recipient_ends();\n    PERFORM donations_rebuild_commune_counts();",
    ),
)
FORWARD += REBUILD + "SELECT donations_rebuild_commune_counts();"

BACKWARD = DROPPED + ENDS.REBUILD + "DROP FUNCTION donations_rebuild_commune_counts();\n"


class Migration(migrations.Migration):
    dependencies = [
        ("donations", "0027_helped_since_and_until_kept"),
    ]

    operations = [
        migrations.CreateModel(
            name="CommuneCounts",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("sector", models.CharField(max_length=20)),
                ("year", models.SmallIntegerField()),
                ("households", models.IntegerField()),
                ("students", models.IntegerField()),
                ("household_visits", models.IntegerField()),
                (
                    "commune",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=models.deletion.DO_NOTHING,
                        related_name="+",
                        to="communes.commune",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("commune", "sector", "year"), name="donations_communecounts_key")
                ],
            },
        ),
        migrations.RunSQL(FORWARD, BACKWARD),
    ]
