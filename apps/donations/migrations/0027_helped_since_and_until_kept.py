"""Households and students first and last helped per day kept ahead of time (issue 10): RecipientEnds, kept by
statement triggers on RecipientTally's rows of all years (their first and last days, new less old, whatever
writes them). A period across years that begins before anyone was helped (a review from the programme's start) or
ends after the last day helped (the current phase) counts its distinct households and students from these rows
(a few hundred) instead of one tally row each (~60.000 for the current phase at province). While
``taybinh.figures_deferred`` is on (a bulk load, a rebuild) the triggers do nothing, and
``donations_rebuild_figures()`` fills the table at its end.
"""

import importlib

from django.db import migrations, models

COMMUNES = importlib.import_module("apps.donations.migrations.0026_communes_figures_per_sector_and_year")
VISITS = importlib.import_module("apps.donations.migrations.0025_visits_per_day_kept")
ENDS = "households_first, students_first, households_last, students_last"


def ends_of(table: str, sign: int) -> str:
    """The first and last days of ``table``'s tallies of all years, each +/-1 household or student that day."""
    household = f"{sign} * (household_id IS NOT NULL)::int"
    student = f"{sign} * (student_id IS NOT NULL)::int"
    return f"""
            SELECT sector, first_day AS day, {household} AS hf, {student} AS sf, 0 AS hl, 0 AS sl
            FROM {table} WHERE year = 0 AND first_day IS NOT NULL
            UNION ALL
            SELECT sector, last_day, 0, 0, {household}, {student}
            FROM {table} WHERE year = 0 AND last_day IS NOT NULL"""


def changed(*signed_tables: tuple[str, int]) -> str:
    rows = "\n            UNION ALL".join(ends_of(table, sign) for table, sign in signed_tables)
    return f"""
        INSERT INTO donations_recipientends AS e (sector, day, {ENDS})
        SELECT sector, day, SUM(hf), SUM(sf), SUM(hl), SUM(sl) FROM ({rows}
        ) AS changes
        GROUP BY sector, day HAVING SUM(hf) <> 0 OR SUM(sf) <> 0 OR SUM(hl) <> 0 OR SUM(sl) <> 0
        ORDER BY sector, day
        ON CONFLICT (sector, day) DO UPDATE SET
            households_first = e.households_first + EXCLUDED.households_first,
            students_first = e.students_first + EXCLUDED.students_first,
            households_last = e.households_last + EXCLUDED.households_last,
            students_last = e.students_last + EXCLUDED.students_last;"""


# The days a statement's old rows leave without anyone first or last helped.
EMPTIED = """
        DELETE FROM donations_recipientends e USING old_rows o
        WHERE o.year = 0 AND e.sector = o.sector AND (e.day = o.first_day OR e.day = o.last_day)
            AND e.households_first = 0 AND e.students_first = 0 AND e.households_last = 0 AND e.students_last = 0;"""

EVENTS = VISITS.signed_events(changed, EMPTIED)

FORWARD = f"""
CREATE FUNCTION donations_rebuild_recipient_ends() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM donations_recipientends;
    INSERT INTO donations_recipientends (sector, day, {ENDS})
    SELECT sector, day, SUM(hf), SUM(sf), SUM(hl), SUM(sl) FROM ({ends_of("donations_recipienttally", 1)}
    ) AS ends
    GROUP BY sector, day HAVING SUM(hf) <> 0 OR SUM(sf) <> 0 OR SUM(hl) <> 0 OR SUM(sl) <> 0;
END
$$;
"""
TRIGGERS, DROPPED = VISITS.statement_triggers(
    "donations_ends", "donations_recipienttally", EVENTS, "donations_recipientends"
)
FORWARD += TRIGGERS
# The rebuild of every kept table ends with these (from the tallies it has just rebuilt).
REBUILD = COMMUNES._edit(
    COMMUNES.REBUILD,
    (
        "    PERFORM donations_rebuild_visit_days();",
        "    PERFORM donations_rebuild_visit_days();\n    PERFORM donations_rebuild_recipient_ends();",
    ),
)
FORWARD += REBUILD + "SELECT donations_rebuild_recipient_ends();"

BACKWARD = DROPPED + COMMUNES.REBUILD + "DROP FUNCTION donations_rebuild_recipient_ends();\n"


class Migration(migrations.Migration):
    dependencies = [
        ("donations", "0026_communes_figures_per_sector_and_year"),
    ]

    operations = [
        migrations.CreateModel(
            name="RecipientEnds",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("day", models.DateField()),
                ("sector", models.CharField(max_length=20)),
                ("households_first", models.IntegerField()),
                ("students_first", models.IntegerField()),
                ("households_last", models.IntegerField()),
                ("students_last", models.IntegerField()),
            ],
            options={
                "constraints": [models.UniqueConstraint(fields=("sector", "day"), name="donations_recipientends_key")],
            },
        ),
        migrations.RunSQL(FORWARD, BACKWARD),
    ]
