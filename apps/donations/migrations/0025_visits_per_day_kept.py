"""Household visits per day and sector kept ahead of time (issue 10): VisitDay, kept by statement triggers on
RecipientDay (its rows with a household, new less old, whatever writes them). A period across years adds up the
visits of the days it cuts from these rows (a few hundred) instead of counting every visit of those days
(35.000 rows for half a year at province). While ``taybinh.figures_deferred`` is on (a bulk load, a rebuild)
the triggers do nothing, and ``donations_rebuild_figures()`` fills the table at its end.
"""

import importlib
from collections.abc import Callable

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


def signed_events(changed: Callable[..., str], emptied: str) -> dict[str, tuple[str, str, str]]:
    """The events of :func:`statement_triggers` for a kept table folded from a statement's rows: ``changed`` of
    the rows each signed (new +1, old -1), then ``emptied`` (the kept rows left at nothing) where old rows left."""
    return {
        "inserted": ("INSERT", "REFERENCING NEW TABLE AS new_rows", changed(("new_rows", 1))),
        "updated": (
            "UPDATE",
            "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
            changed(("new_rows", 1), ("old_rows", -1)) + emptied,
        ),
        "deleted": ("DELETE", "REFERENCING OLD TABLE AS old_rows", changed(("old_rows", -1)) + emptied),
    }


EVENTS = signed_events(changed, EMPTIED)

FORWARD = """
CREATE FUNCTION donations_rebuild_visit_days() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM donations_visitday;
    INSERT INTO donations_visitday (day, sector, visits)
    SELECT day, sector, COUNT(*) FROM donations_recipientday WHERE household_id IS NOT NULL GROUP BY day, sector;
END
$$;
"""


def statement_triggers(prefix: str, table: str, events: dict[str, tuple[str, str, str]], kept: str) -> tuple[str, str]:
    """Statement triggers on ``table`` running each event's body (``events``: name to event, transition tables and
    body) unless the figures are deferred, and emptying ``kept`` when ``table`` is truncated. Returns the SQL that
    creates them and the SQL that drops them and their functions."""
    created = "".join(
        f"""
CREATE FUNCTION {prefix}_{name}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT donations_figures_deferred() THEN{body}
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER {prefix}_{name} AFTER {event} ON {table} {referencing}
    FOR EACH STATEMENT EXECUTE FUNCTION {prefix}_{name}();
"""
        for name, (event, referencing, body) in events.items()
    )
    created += f"""
CREATE FUNCTION {prefix}_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE {kept};
    RETURN NULL;
END
$$;
CREATE TRIGGER {prefix}_truncated AFTER TRUNCATE ON {table}
    FOR EACH STATEMENT EXECUTE FUNCTION {prefix}_truncated();
"""
    names = [*events, "truncated"]
    dropped = "".join(f"DROP TRIGGER {prefix}_{name} ON {table};\n" for name in names)
    return created, dropped + "".join(f"DROP FUNCTION {prefix}_{name}();\n" for name in names)


TRIGGERS, DROPPED = statement_triggers("donations_visits", "donations_recipientday", EVENTS, "donations_visitday")
FORWARD += TRIGGERS
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

BACKWARD = DROPPED + GROUPS.REBUILD + "DROP FUNCTION donations_rebuild_visit_days();\n"


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
