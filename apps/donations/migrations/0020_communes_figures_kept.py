"""The commune list's figures kept ahead of time: CommuneFigures (sums per commune, kind and item since the
start) and CommuneTally (one row per household or student per commune, with its days helped there), folded
by ``donations_fold`` with the other tables and rebuilt by ``donations_rebuild_figures``. The fold also
moves the year tallies' first and last days as it adds days, so that ``donations_refact`` dates again from
the donations only the tallies of those who had days taken away or added before a later year (0019 dated
everyone a statement concerned). Reversing puts 0019's versions back.
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

# A tally's first and last day move with the days added; a year tally created gets the last day helped
# before it: the latest of the last day ever helped before this statement (ever's row, read before the
# upsert) and the days added in earlier years. That holds for days added after every earlier one (an
# import of this year's help); donations_refact dates again from the donations the tallies of anyone
# whose days were taken away or added before a later year helped.
NEW_TALLIES = """        INSERT INTO donations_recipienttally AS t
            (sector, year, household_id, student_id, days, first_day, last_day, previous_last_day)
        SELECT n.sector, n.year, n.household_id, n.student_id, n.days, n.first_day, n.last_day,
            CASE WHEN n.year <> 0 THEN GREATEST(
                COALESCE(household_ever.last_day, student_ever.last_day),
                LAG(n.last_day) OVER (
                    PARTITION BY n.sector, n.household_id, n.student_id, n.year = 0 ORDER BY n.year
                )
            ) END
        FROM new_days n
        LEFT JOIN donations_recipienttally household_ever
            ON n.household_id IS NOT NULL AND household_ever.sector = n.sector AND household_ever.year = 0
            AND household_ever.household_id = n.household_id
            AND household_ever.student_id IS NOT DISTINCT FROM n.student_id
        LEFT JOIN donations_recipienttally student_ever
            ON n.household_id IS NULL AND student_ever.sector = n.sector AND student_ever.year = 0
            AND student_ever.household_id IS NULL AND student_ever.student_id = n.student_id
        ORDER BY n.sector, n.year, n.household_id, n.student_id
        ON CONFLICT (sector, year, household_id, student_id) DO UPDATE SET
            days = t.days + EXCLUDED.days,
            first_day = LEAST(t.first_day, EXCLUDED.first_day),
            last_day = GREATEST(t.last_day, EXCLUDED.last_day)"""

REFACT = _edit(
    THIRD.REFACT,
    (
        """    concerned := concerned || facts;
    PERFORM donations_date_tallies(
        ARRAY(SELECT DISTINCT household_id FROM unnest(concerned) WHERE household_id IS NOT NULL),
        ARRAY(SELECT DISTINCT student_id FROM unnest(concerned) WHERE student_id IS NOT NULL)
    );""",
        """    -- Dated again from the donations: whoever had days taken away, or days added in a year before
    -- the last one they were helped in (the later years' days before them may have changed).
    concerned := concerned || ARRAY(
        SELECT f FROM unnest(facts) AS f
        JOIN donations_recipienttally t ON t.sector = '' AND t.year = 0
            AND t.household_id IS NOT DISTINCT FROM f.household_id AND t.student_id IS NOT DISTINCT FROM f.student_id
            AND (t.household_id = f.household_id OR t.household_id IS NULL AND t.student_id = f.student_id)
        WHERE EXTRACT(YEAR FROM f.day) < EXTRACT(YEAR FROM t.last_day)
    );
    IF cardinality(concerned) > 0 THEN
        PERFORM donations_date_tallies(
            ARRAY(SELECT DISTINCT household_id FROM unnest(concerned) WHERE household_id IS NOT NULL),
            ARRAY(SELECT DISTINCT student_id FROM unnest(concerned) WHERE student_id IS NOT NULL)
        );
    END IF;""",
    ),
)

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
    (
        """            COUNT(*) AS days
        FROM (
            SELECT sector, EXTRACT(YEAR FROM day)::int AS year, household_id, student_id FROM upserted WHERE created
        ) AS created""",
        """            COUNT(*) AS days, MIN(day) AS first_day, MAX(day) AS last_day
        FROM (
            SELECT sector, EXTRACT(YEAR FROM day)::int AS year, household_id, student_id, day
            FROM upserted WHERE created
        ) AS created""",
    ),
    (
        """        INSERT INTO donations_recipienttally AS t (sector, year, household_id, student_id, days)
        SELECT sector, year, household_id, student_id, days FROM new_days
        ORDER BY sector, year, household_id, student_id
        ON CONFLICT (sector, year, household_id, student_id) DO UPDATE SET days = t.days + EXCLUDED.days""",
        NEW_TALLIES,
    ),
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

TRUNCATED_TOO = (
    ", donations_programmefigures, donations_programmecounts, donations_communetally, donations_communefigures"
)
FORWARD = FOLD + REFACT + REBUILD + TRUNCATED % TRUNCATED_TOO + "SELECT donations_rebuild_figures();"
BACKWARD = SECOND.FOLD + THIRD.REFACT + THIRD.REBUILD + TRUNCATED % ""


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
