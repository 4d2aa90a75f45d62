"""The whole programme's figures per group of units kept ahead of time (issue 10): GroupFigures (sums per
group, kind and item since the start) and GroupTally (one row per household or student per group), each
donation in the group its unit was in on its date, or in its unit's sector when the unit was in no group.

Statement triggers keep them from the day figures, whatever writes those (the fold of every donation write):
the change of DailyFigures and RecipientDay rows (new rows less old rows), each placed in its unit's group on
its day. A statement changing memberships moves the day figures of its units from the group they were in
before it to the group they are in after it; it first locks the day figures against writers until it
commits, so that a writer in flight (its rows placed with the memberships before) is waited for and its rows
moved with the others, and a writer coming later waits and places its rows with the memberships after.
While ``taybinh.figures_deferred`` is on (a bulk load, a rebuild) the triggers do nothing, and
``donations_rebuild_figures()`` fills both tables from the day figures at its end.
"""

import importlib

import django.db.models.deletion
from django.db import migrations, models

REBUILT = importlib.import_module("apps.donations.migrations.0020_communes_figures_kept")

FIGURES = "r.kind, r.item_id, r.donations, r.amount_vnd, r.quantity, r.labour_days"
DAYS = "r.household_id, r.student_id"


def placed(rows: str, columns: str, sign: int, memberships: str = "units_groupmembership") -> str:
    """Day rows (``rows``: a table, or a subquery in parentheses, aliased r) with the group their unit was in on
    their day among ``memberships`` (one at a time), else the unit's sector, and a sign."""
    return f"""SELECT m.group_id, CASE WHEN m.group_id IS NULL THEN r.sector ELSE '' END AS sector, {columns},
            {sign} AS sign
        FROM {rows} r LEFT JOIN {memberships} m ON m.unit_id = r.unit_id AND m.start <= r.day
            AND (m."end" IS NULL OR m."end" >= r.day)"""


def add_sums(*placed_rows: str, before: str = "", upsert: bool = True) -> str:
    """The signed sums of ``placed_rows`` (:func:`placed` with FIGURES) added to GroupFigures (inserted into
    the emptied table without ``upsert``)."""
    added = """
    ORDER BY 1, 2, 3, 4
    ON CONFLICT (group_id, sector, kind, item_id) DO UPDATE SET
        donations = g.donations + EXCLUDED.donations,
        amount_vnd = g.amount_vnd + EXCLUDED.amount_vnd,
        quantity = g.quantity + EXCLUDED.quantity,
        labour_days = g.labour_days + EXCLUDED.labour_days;
    DELETE FROM donations_groupfigures WHERE donations = 0;"""
    return f"""
    {before}INSERT INTO donations_groupfigures AS g
        (group_id, sector, kind, item_id, donations, amount_vnd, quantity, labour_days)
    SELECT group_id, sector, kind, item_id, SUM(sign * donations), SUM(sign * amount_vnd),
        SUM(sign * quantity), SUM(sign * labour_days)
    FROM ({" UNION ALL ".join(placed_rows)}) AS changes
    GROUP BY 1, 2, 3, 4
    HAVING SUM(sign * donations) <> 0 OR SUM(sign * amount_vnd) <> 0 OR SUM(sign * quantity) <> 0
        OR SUM(sign * labour_days) <> 0{added if upsert else ";"}"""


def add_days(*placed_rows: str, before: str = "", upsert: bool = True) -> str:
    """The signed days of ``placed_rows`` (:func:`placed` with DAYS) added to GroupTally (inserted into the
    emptied table without ``upsert``)."""
    added = """
    ORDER BY 1, 2, 3, 4
    ON CONFLICT (group_id, sector, household_id, student_id) DO UPDATE SET days = t.days + EXCLUDED.days;
    DELETE FROM donations_grouptally WHERE days = 0;"""
    return f"""
    {before}INSERT INTO donations_grouptally AS t (group_id, sector, household_id, student_id, days)
    SELECT group_id, sector, household_id, student_id, SUM(sign)
    FROM ({" UNION ALL ".join(placed_rows)}) AS changes
    GROUP BY 1, 2, 3, 4
    HAVING SUM(sign) <> 0{added if upsert else ";"}"""


# The memberships of the moved units before the statement: theirs now, less the statement's new rows, plus
# its old rows.
BEFORE = """WITH before AS (
        SELECT unit_id, group_id, start, "end" FROM units_groupmembership
        WHERE unit_id = ANY(units) AND id <> ALL(ARRAY(SELECT id FROM unnest(p_new)))
        UNION ALL
        SELECT unit_id, group_id, start, "end" FROM unnest(p_old)
    )
    """


def moved(table: str, columns: str) -> tuple[str, str]:
    """The moved units' day rows of ``table``: out of their group before, into their group now."""
    rows = f"(SELECT * FROM {table} WHERE unit_id = ANY(units))"
    return placed(rows, columns, -1, memberships="before"), placed(rows, columns, 1)


FORWARD = f"""
CREATE FUNCTION donations_rebuild_group_figures() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM donations_groupfigures;
    DELETE FROM donations_grouptally;{add_sums(placed("donations_dailyfigures", FIGURES, 1), upsert=False)}{
    add_days(placed("donations_recipientday", DAYS, 1), upsert=False)
}
END
$$;

CREATE FUNCTION donations_group_sums(p_new donations_dailyfigures[], p_old donations_dailyfigures[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN{add_sums(placed("unnest(p_new)", FIGURES, 1), placed("unnest(p_old)", FIGURES, -1))}
END
$$;

CREATE FUNCTION donations_group_days(p_new donations_recipientday[], p_old donations_recipientday[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN{add_days(placed("unnest(p_new)", DAYS, 1), placed("unnest(p_old)", DAYS, -1))}
END
$$;

CREATE FUNCTION donations_group_memberships_moved(p_new units_groupmembership[], p_old units_groupmembership[])
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    units bigint[] := ARRAY(SELECT unit_id FROM unnest(p_new) UNION SELECT unit_id FROM unnest(p_old));
BEGIN
    IF cardinality(units) = 0 THEN
        RETURN;
    END IF;
    LOCK TABLE donations_dailyfigures, donations_recipientday IN SHARE ROW EXCLUSIVE MODE;{
    add_sums(*moved("donations_dailyfigures", FIGURES), before=BEFORE)
}{add_days(*moved("donations_recipientday", DAYS), before=BEFORE)}
END
$$;

"""
TABLES = {
    "donations_dailyfigures": "donations_group_sums",
    "donations_recipientday": "donations_group_days",
    "units_groupmembership": "donations_group_memberships_moved",
}
# A trigger with transition tables has one event: one function per event, handing its tables as arrays to the
# table's function above (an INSERT has no old rows, a DELETE no new rows).
EVENTS = {
    "inserted": ("INSERT", "REFERENCING NEW TABLE AS new_rows", True, False),
    "updated": ("UPDATE", "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows", True, True),
    "deleted": ("DELETE", "REFERENCING OLD TABLE AS old_rows", False, True),
}


def _dispatch(new: bool, old: bool) -> str:
    """The call of the table's function with the statement's rows (typed: a transition table's are records)."""

    def rows(present: bool, name: str, table: str) -> str:
        return f"ARRAY(SELECT r::{table} FROM {name} r)" if present else "'{}'"

    return (
        "\n    ".join(
            f"{'IF' if n == 0 else 'ELSIF'} TG_TABLE_NAME = '{table}' THEN\n"
            f"        PERFORM {function}({rows(new, 'new_rows', table)}, {rows(old, 'old_rows', table)});"
            for n, (table, function) in enumerate(TABLES.items())
        )
        + "\n    END IF;"
    )


FORWARD += "".join(
    f"""
CREATE FUNCTION donations_groups_{event}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT donations_figures_deferred() THEN
    {_dispatch(new, old)}
    END IF;
    RETURN NULL;
END
$$;
"""
    for event, (_event, _referencing, new, old) in EVENTS.items()
)
FORWARD += """
CREATE FUNCTION donations_groups_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT donations_figures_deferred() THEN
        PERFORM donations_rebuild_group_figures();
    END IF;
    RETURN NULL;
END
$$;
"""
TRIGGERS = {
    **{name: (event, referencing) for name, (event, referencing, _, _) in EVENTS.items()},
    "truncated": ("TRUNCATE", ""),
}
FORWARD += "".join(
    f"CREATE TRIGGER donations_groups_{name} AFTER {event} ON {table} {referencing} FOR EACH STATEMENT "
    f"EXECUTE FUNCTION donations_groups_{name}();\n"
    for table in TABLES
    for name, (event, referencing) in TRIGGERS.items()
)
# The rebuild of every kept table ends with the groups' (from the day figures it has just rebuilt).
REBUILD = REBUILT._edit(
    REBUILT.REBUILD,
    (
        "    PERFORM set_config('taybinh.figures_deferred', was, true);",
        "    PERFORM donations_rebuild_group_figures();\n    PERFORM set_config('taybinh.figures_deferred', was, true);",
    ),
)
FORWARD += REBUILD
FORWARD += "SELECT donations_rebuild_group_figures();"
BACKWARD = (
    "".join(f"DROP TRIGGER donations_groups_{name} ON {table};\n" for table in TABLES for name in TRIGGERS)
    + REBUILT.REBUILD
    + """
DROP FUNCTION donations_groups_inserted(), donations_groups_updated(), donations_groups_deleted(),
    donations_groups_truncated();
DROP FUNCTION donations_group_memberships_moved(units_groupmembership[], units_groupmembership[]);
DROP FUNCTION donations_group_days(donations_recipientday[], donations_recipientday[]);
DROP FUNCTION donations_group_sums(donations_dailyfigures[], donations_dailyfigures[]);
DROP FUNCTION donations_rebuild_group_figures();
"""
)


class Migration(migrations.Migration):
    dependencies = [
        ("donations", "0022_outcomes_remembered"),
        ("households", "0012_listed_statuses_and_codes_searched_by_index"),
        ("units", "0006_member_names_searched_by_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="GroupFigures",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(max_length=10)),
                ("donations", models.IntegerField()),
                ("amount_vnd", models.BigIntegerField()),
                ("quantity", models.DecimalField(decimal_places=2, max_digits=16)),
                ("labour_days", models.DecimalField(decimal_places=1, max_digits=14)),
                ("sector", models.CharField(max_length=20)),
                (
                    "group",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="units.unitgroup",
                    ),
                ),
                (
                    "item",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="donations.item",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("group", "sector", "kind", "item"),
                        name="donations_groupfigures_key",
                        nulls_distinct=False,
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="GroupTally",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("sector", models.CharField(max_length=20)),
                ("days", models.IntegerField()),
                (
                    "group",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="units.unitgroup",
                    ),
                ),
                (
                    "household",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="households.household",
                    ),
                ),
                (
                    "student",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="households.student",
                    ),
                ),
            ],
            options={
                "indexes": [
                    models.Index(condition=models.Q(("days", 0)), fields=["id"], name="donations_group_emptied_idx")
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("group", "sector", "household", "student"),
                        name="donations_grouptally_key",
                        nulls_distinct=False,
                    )
                ],
            },
        ),
        migrations.RunSQL(FORWARD, BACKWARD),
    ]
