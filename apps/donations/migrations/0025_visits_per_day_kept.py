"""Household visits per day and sector kept ahead of time (issue 10): VisitDay, kept by statement triggers on
RecipientDay (its rows with a household, new less old, whatever writes them). A period across years adds up the
visits of the days it cuts from these rows (a few hundred) instead of counting every visit of those days
(35.000 rows for half a year at province). While ``taybinh.figures_deferred`` is on (a bulk load, a rebuild)
the triggers do nothing, and ``donations_rebuild_figures()`` fills the table at its end.
"""

import importlib

from django.db import migrations, models

GROUPS = importlib.import_module("apps.donations.migrations.0023_groups_figures_kept")


def changed(*signed_rows: tuple[str, int]) -> str:
    """The visits ``signed_rows`` (transition tables, each with its sign) add to each day and sector."""
    rows = " UNION ALL ".join(
        f"SELECT day, sector, {sign} AS sign FROM {table} WHERE household_id IS NOT NULL" for table, sign in signed_rows
    )
    return f"""
        INSERT INTO donations_visitday AS v (day, sector, visits)
        SELECT day, sector, SUM(sign) FROM ({rows}) AS changes
        GROUP BY day, sector HAVING SUM(sign) <> 0
        ORDER BY day, sector
        ON CONFLICT (day, sector) DO UPDATE SET visits = v.visits + EXCLUDED.visits;"""


# The days and sectors a statement's old rows leave without a visit.
EMPTIED = """
        DELETE FROM donations_visitday v USING old_rows o WHERE v.day = o.day AND v.sector = o.sector AND v.visits = 0;"""

EVENTS = {
    "inserted": ("INSERT", "REFERENCING NEW TABLE AS new_rows", changed(("new_rows", 1))),
    "updated": (
        "UPDATE",
        "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
        changed(("new_rows", 1), ("old_rows", -1)) + EMPTIED,
    ),
    "deleted": (
        "DELETE",
        "REFERENCING OLD TABLE AS old_rows",
        changed(("old_rows", -1)) + EMPTIED,
    ),
}

FORWARD = """
CREATE FUNCTION donations_rebuild_visit_days() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM donations_visitday;
    INSERT INTO donations_visitday (day, sector, visits)
    SELECT day, sector, COUNT(*) FROM donations_recipientday WHERE household_id IS NOT NULL GROUP BY day, sector;
END
$$;
"""
FORWARD += "".join(
    f"""
CREATE FUNCTION donations_visits_{name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT donations_figures_deferred() THEN{body}
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER donations_visits_{name} AFTER {event} ON donations_recipientday {referencing}
    FOR EACH STATEMENT EXECUTE FUNCTION donations_visits_{name}();
"""
    for name, (event, referencing, body) in EVENTS.items()
)
FORWARD += """
CREATE FUNCTION donations_visits_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE donations_visitday;
    RETURN NULL;
END
$$;
CREATE TRIGGER donations_visits_truncated AFTER TRUNCATE ON donations_recipientday
    FOR EACH STATEMENT EXECUTE FUNCTION donations_visits_truncated();
"""
# The rebuild of every kept table ends with the visits' (from the day figures it has just rebuilt).
REBUILD = GROUPS.REBUILT._edit(
    GROUPS.REBUILD,
    (
        "    PERFORM donations_rebuild_group_figures();",
        "    PERFORM donations_rebuild_group_figures();\n    PERFORM donations_rebuild_visit_days();",
    ),
)
FORWARD += REBUILD
FORWARD += "SELECT donations_rebuild_visit_days();"

BACKWARD = (
    "".join(f"DROP TRIGGER donations_visits_{name} ON donations_recipientday;\n" for name in [*EVENTS, "truncated"])
    + GROUPS.REBUILD
    + "".join(f"DROP FUNCTION donations_visits_{name}();\n" for name in [*EVENTS, "truncated"])
    + "DROP FUNCTION donations_rebuild_visit_days();\n"
)


class Migration(migrations.Migration):
    dependencies = [
        ("donations", "0024_audit_triggers_per_statement"),
    ]

    operations = [
        migrations.CreateModel(
            name="VisitDay",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("day", models.DateField()),
                ("sector", models.CharField(max_length=20)),
                ("visits", models.IntegerField()),
            ],
            options={
                "constraints": [models.UniqueConstraint(fields=("day", "sector"), name="donations_visitday_key")],
            },
        ),
        migrations.RunSQL(FORWARD, BACKWARD),
    ]
