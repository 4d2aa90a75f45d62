"""The commune list's figures kept ahead of time: CommuneFigures (sums per commune, kind and item since the
start) and CommuneTally (one row per household or student per commune, with its days helped there), folded
by ``donations_fold`` with the other tables and rebuilt by ``donations_rebuild_figures`` (0019's versions
with these tables added; reversing puts those back).
"""

import importlib

import django.db.models.deletion
from django.db import migrations, models

SECOND = importlib.import_module("apps.donations.migrations.0014_programme_figures_kept_as_appended_changes")
THIRD = importlib.import_module("apps.donations.migrations.0019_tallies_know_their_days")


def _edit(text: str, *changes: tuple[str, str]) -> str:
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


COMMUNE_SUMS = """
    INSERT INTO donations_communefigures AS c
        (commune_id, kind, item_id, donations, amount_vnd, quantity, labour_days)
    SELECT commune_id, kind, item_id, p_sign * COUNT(*), p_sign * SUM(amount_vnd),
        p_sign * COALESCE(SUM(quantity), 0), p_sign * COALESCE(SUM(labour_days), 0)
    FROM unnest(p_facts)
    GROUP BY commune_id, kind, item_id
    ORDER BY commune_id, kind, item_id
    ON CONFLICT (commune_id, kind, item_id) DO UPDATE SET
        donations = c.donations + EXCLUDED.donations,
        amount_vnd = c.amount_vnd + EXCLUDED.amount_vnd,
        quantity = c.quantity + EXCLUDED.quantity,
        labour_days = c.labour_days + EXCLUDED.labour_days;
    WITH upserted AS ("""
# A commune's tally counts its RecipientDay rows per household or student, as RecipientTally does per sector
# and year. Taken out: households and students apart, so that each matches through the key's index.
COMMUNE_TALLIED = """
    ), commune_tallied AS (
        INSERT INTO donations_communetally AS c (commune_id, household_id, student_id, days)
        SELECT commune_id, household_id, student_id, COUNT(*) FROM upserted WHERE created
        GROUP BY commune_id, household_id, student_id
        ORDER BY commune_id, household_id, student_id
        ON CONFLICT (commune_id, household_id, student_id) DO UPDATE SET days = c.days + EXCLUDED.days
    )
    INSERT INTO donations_programmecounts (sector, year, households, students, household_visits)
    SELECT sector, year, SUM(households), SUM(students), SUM(visits) FROM ("""
COMMUNE_UNTALLIED = """
        ), commune_gone AS (
            SELECT commune_id, household_id, student_id, COUNT(*) AS days FROM emptied
            GROUP BY commune_id, household_id, student_id
        ), commune_households AS (
            UPDATE donations_communetally c SET days = c.days - gone.days
            FROM commune_gone AS gone
            WHERE gone.household_id IS NOT NULL AND c.commune_id = gone.commune_id
                AND c.household_id = gone.household_id AND c.student_id IS NOT DISTINCT FROM gone.student_id
        ), commune_students AS (
            UPDATE donations_communetally c SET days = c.days - gone.days
            FROM commune_gone AS gone
            WHERE gone.household_id IS NULL AND c.commune_id = gone.commune_id
                AND c.household_id IS NULL AND c.student_id = gone.student_id
        )
        INSERT INTO donations_programmecounts (sector, year, households, students, household_visits)
        SELECT sector, year, -SUM(households), -SUM(students), -SUM(visits) FROM ("""
COMMUNE_EMPTIED = """
        DELETE FROM donations_recipienttally WHERE days = 0;
        DELETE FROM donations_communetally WHERE days = 0;
        DELETE FROM donations_communefigures c
        USING (SELECT DISTINCT commune_id, kind, item_id FROM unnest(p_facts)) k
        WHERE c.donations = 0 AND c.commune_id = k.commune_id AND c.kind = k.kind
            AND c.item_id IS NOT DISTINCT FROM k.item_id;"""

FOLD = _edit(
    SECOND.FOLD,
    ("\n    WITH upserted AS (", COMMUNE_SUMS),
    (
        "RETURNING r.sector, r.day, r.household_id, r.student_id, (r.xmax = 0) AS created",
        "RETURNING r.sector, r.day, r.commune_id, r.household_id, r.student_id, (r.xmax = 0) AS created",
    ),
    (
        """
    )
    INSERT INTO donations_programmecounts (sector, year, households, students, household_visits)
    SELECT sector, year, SUM(households), SUM(students), SUM(visits) FROM (""",
        COMMUNE_TALLIED,
    ),
    (
        "RETURNING r.sector, r.day, r.household_id, r.student_id\n",
        "RETURNING r.sector, r.day, r.commune_id, r.household_id, r.student_id\n",
    ),
    (
        """
        )
        INSERT INTO donations_programmecounts (sector, year, households, students, household_visits)
        SELECT sector, year, -SUM(households), -SUM(students), -SUM(visits) FROM (""",
        COMMUNE_UNTALLIED,
    ),
    ("\n        DELETE FROM donations_recipienttally WHERE days = 0;", COMMUNE_EMPTIED),
)

REBUILD = _edit(
    THIRD.REBUILD,
    (
        "    DELETE FROM donations_recipienttally;",
        "    DELETE FROM donations_recipienttally;\n    DELETE FROM donations_communetally;\n"
        "    DELETE FROM donations_communefigures;",
    ),
    (
        "    PERFORM set_config('taybinh.figures_deferred', was, true);",
        """    INSERT INTO donations_communefigures
        (commune_id, kind, item_id, donations, amount_vnd, quantity, labour_days)
    SELECT commune_id, kind, item_id, SUM(donations), SUM(amount_vnd), SUM(quantity), SUM(labour_days)
    FROM donations_dailyfigures GROUP BY commune_id, kind, item_id;
    INSERT INTO donations_communetally (commune_id, household_id, student_id, days)
    SELECT commune_id, household_id, student_id, COUNT(*) FROM donations_recipientday
    GROUP BY commune_id, household_id, student_id;
    PERFORM set_config('taybinh.figures_deferred', was, true);""",
    ),
)

TRUNCATED = """
CREATE OR REPLACE FUNCTION donations_donations_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE donations_donationfact, donations_dailyfigures, donations_recipientday, donations_sectorday,
        donations_recipienttally%s;
    RETURN NULL;
END
$$;
"""

FORWARD = (
    FOLD
    + REBUILD
    + TRUNCATED
    % (", donations_programmefigures, donations_programmecounts, donations_communetally, donations_communefigures")
    + ("SELECT donations_rebuild_figures();")
)
BACKWARD = SECOND.FOLD + THIRD.REBUILD + TRUNCATED % ""


class Migration(migrations.Migration):
    dependencies = [
        ("communes", "0004_dates_between_1900_and_2100"),
        ("donations", "0019_tallies_know_their_days"),
        ("households", "0012_listed_statuses_and_codes_searched_by_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="CommuneFigures",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(max_length=10)),
                ("donations", models.IntegerField()),
                ("amount_vnd", models.BigIntegerField()),
                ("quantity", models.DecimalField(decimal_places=2, max_digits=16)),
                ("labour_days", models.DecimalField(decimal_places=1, max_digits=14)),
                (
                    "commune",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="communes.commune",
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
                        fields=("commune", "kind", "item"), name="donations_communefigures_key", nulls_distinct=False
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="CommuneTally",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("days", models.IntegerField()),
                (
                    "commune",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="communes.commune",
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
                    models.Index(condition=models.Q(("days", 0)), fields=["id"], name="donations_commune_emptied_idx")
                ],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("commune", "household", "student"),
                        name="donations_communetally_key",
                        nulls_distinct=False,
                    )
                ],
            },
        ),
        migrations.RunSQL(FORWARD, BACKWARD),
    ]
