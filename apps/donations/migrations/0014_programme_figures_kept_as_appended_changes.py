"""The whole programme's figures kept as appended changes (ProgrammeFigures, ProgrammeCounts), and the
all-sectors tallies (RecipientTally rows with sector ''), so that the whole programme's totals read a few
rows instead of every day's (apps/donations/models.py). ``donations_fold`` and ``donations_rebuild_figures``
are replaced by versions that keep them too; reversing puts back the versions of 0013.
"""

import importlib

import django.db.models.deletion
from django.db import migrations, models

FIRST = importlib.import_module("apps.donations.migrations.0013_figures_triggers")

FOLD = r"""
-- Add (p_sign 1) or take out (p_sign -1) facts from the summary tables, one grouped statement per
-- table (keys in order, so two transactions lock shared rows in the same order). RecipientTally counts
-- RecipientDay rows per sector and in all sectors (''): a row created ("xmax = 0": inserted, not
-- updated, by the upsert) adds a day to its household's or student's tallies, a row emptied and deleted
-- takes one away. A tally created or emptied is a household or a student more or less in ProgrammeCounts.
-- ProgrammeFigures and ProgrammeCounts only get rows appended (never a shared row updated, so no writer
-- waits on another there); about one statement in fifty folds their rows together.
CREATE OR REPLACE FUNCTION donations_fold(p_facts donations_donationfact[], p_sign integer) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF cardinality(p_facts) = 0 THEN
        RETURN;
    END IF;
    INSERT INTO donations_dailyfigures AS d
        (day, unit_id, sector, commune_id, kind, item_id, donations, amount_vnd, quantity, labour_days)
    SELECT day, unit_id, MIN(sector), commune_id, kind, item_id, p_sign * COUNT(*), p_sign * SUM(amount_vnd),
        p_sign * COALESCE(SUM(quantity), 0), p_sign * COALESCE(SUM(labour_days), 0)
    FROM unnest(p_facts)
    GROUP BY day, unit_id, commune_id, kind, item_id
    ORDER BY day, unit_id, commune_id, kind, item_id
    ON CONFLICT (day, unit_id, commune_id, kind, item_id) DO UPDATE SET
        sector = EXCLUDED.sector,
        donations = d.donations + EXCLUDED.donations,
        amount_vnd = d.amount_vnd + EXCLUDED.amount_vnd,
        quantity = d.quantity + EXCLUDED.quantity,
        labour_days = d.labour_days + EXCLUDED.labour_days;
    INSERT INTO donations_sectorday AS d
        (day, sector, kind, item_id, donations, amount_vnd, quantity, labour_days)
    SELECT day, sector, kind, item_id, p_sign * COUNT(*), p_sign * SUM(amount_vnd),
        p_sign * COALESCE(SUM(quantity), 0), p_sign * COALESCE(SUM(labour_days), 0)
    FROM unnest(p_facts)
    GROUP BY day, sector, kind, item_id
    ORDER BY day, sector, kind, item_id
    ON CONFLICT (day, sector, kind, item_id) DO UPDATE SET
        donations = d.donations + EXCLUDED.donations,
        amount_vnd = d.amount_vnd + EXCLUDED.amount_vnd,
        quantity = d.quantity + EXCLUDED.quantity,
        labour_days = d.labour_days + EXCLUDED.labour_days;
    INSERT INTO donations_programmefigures (sector, kind, item_id, donations, amount_vnd, quantity, labour_days)
    SELECT sector, kind, item_id, p_sign * COUNT(*), p_sign * SUM(amount_vnd),
        p_sign * COALESCE(SUM(quantity), 0), p_sign * COALESCE(SUM(labour_days), 0)
    FROM unnest(p_facts)
    GROUP BY sector, kind, item_id;
    WITH upserted AS (
        INSERT INTO donations_recipientday AS r
            (day, unit_id, sector, commune_id, household_id, student_id, donations)
        SELECT day, unit_id, MIN(sector), commune_id, household_id, student_id, p_sign * COUNT(*)
        FROM unnest(p_facts)
        WHERE household_id IS NOT NULL OR student_id IS NOT NULL
        GROUP BY day, unit_id, commune_id, household_id, student_id
        ORDER BY day, unit_id, commune_id, household_id, student_id
        ON CONFLICT (day, unit_id, commune_id, household_id, student_id) DO UPDATE SET
            sector = EXCLUDED.sector,
            donations = r.donations + EXCLUDED.donations
        RETURNING r.sector, r.household_id, r.student_id, (r.xmax = 0) AS created
    ), new_days AS (
        SELECT sector, household_id, student_id FROM upserted WHERE created
        UNION ALL
        SELECT '', household_id, student_id FROM upserted WHERE created
    ), tallied AS (
        INSERT INTO donations_recipienttally AS t (sector, household_id, student_id, days)
        SELECT sector, household_id, student_id, COUNT(*) FROM new_days
        GROUP BY sector, household_id, student_id
        ORDER BY sector, household_id, student_id
        ON CONFLICT (sector, household_id, student_id) DO UPDATE SET days = t.days + EXCLUDED.days
        RETURNING t.sector, t.household_id, t.student_id, (t.xmax = 0) AS created
    )
    INSERT INTO donations_programmecounts (sector, households, students, household_visits)
    SELECT sector, SUM(households), SUM(students), SUM(visits) FROM (
        SELECT sector, COUNT(household_id) AS households, COUNT(student_id) AS students, 0 AS visits
        FROM tallied WHERE created GROUP BY sector
        UNION ALL
        SELECT sector, 0, 0, COUNT(household_id) FROM new_days GROUP BY sector
    ) AS added
    GROUP BY sector
    HAVING SUM(households) <> 0 OR SUM(students) <> 0 OR SUM(visits) <> 0;
    IF p_sign < 0 THEN
        DELETE FROM donations_dailyfigures d
        USING (SELECT DISTINCT day, unit_id, commune_id, kind, item_id FROM unnest(p_facts)) k
        WHERE d.donations = 0 AND d.day = k.day AND d.unit_id = k.unit_id AND d.commune_id = k.commune_id
            AND d.kind = k.kind AND d.item_id IS NOT DISTINCT FROM k.item_id;
        DELETE FROM donations_sectorday d
        USING (SELECT DISTINCT day, sector, kind, item_id FROM unnest(p_facts)) k
        WHERE d.donations = 0 AND d.day = k.day AND d.sector = k.sector AND d.kind = k.kind
            AND d.item_id IS NOT DISTINCT FROM k.item_id;
        WITH emptied AS (
            DELETE FROM donations_recipientday r
            USING (SELECT DISTINCT day, unit_id, commune_id, household_id, student_id FROM unnest(p_facts)) k
            WHERE r.donations = 0 AND r.day = k.day AND r.unit_id = k.unit_id AND r.commune_id = k.commune_id
                AND r.household_id IS NOT DISTINCT FROM k.household_id
                AND r.student_id IS NOT DISTINCT FROM k.student_id
            RETURNING r.sector, r.household_id, r.student_id
        ), gone_days AS (
            SELECT sector, household_id, student_id FROM emptied
            UNION ALL
            SELECT '', household_id, student_id FROM emptied
        ), untallied AS (
            UPDATE donations_recipienttally t SET days = t.days - gone.days
            FROM (
                SELECT sector, household_id, student_id, COUNT(*) AS days FROM gone_days
                GROUP BY sector, household_id, student_id
            ) AS gone
            WHERE t.sector = gone.sector AND t.household_id IS NOT DISTINCT FROM gone.household_id
                AND t.student_id IS NOT DISTINCT FROM gone.student_id
            RETURNING t.sector, t.household_id, t.student_id, t.days
        )
        INSERT INTO donations_programmecounts (sector, households, students, household_visits)
        SELECT sector, -SUM(households), -SUM(students), -SUM(visits) FROM (
            SELECT sector, COUNT(household_id) AS households, COUNT(student_id) AS students, 0 AS visits
            FROM untallied WHERE days = 0 GROUP BY sector
            UNION ALL
            SELECT sector, 0, 0, COUNT(household_id) FROM gone_days GROUP BY sector
        ) AS taken
        GROUP BY sector
        HAVING SUM(households) <> 0 OR SUM(students) <> 0 OR SUM(visits) <> 0;
        DELETE FROM donations_recipienttally WHERE days = 0;
    END IF;
    IF random() < 0.02 THEN
        PERFORM donations_compact_programme();
    END IF;
END
$$;
"""

COMPACT = r"""
-- ProgrammeFigures' and ProgrammeCounts' rows folded into one per key. Rows another transaction is
-- folding are skipped (SKIP LOCKED): this never waits, and no row is counted twice.
CREATE FUNCTION donations_compact_programme() RETURNS void LANGUAGE sql AS $$
    WITH gone AS (
        DELETE FROM donations_programmefigures
        WHERE id IN (SELECT id FROM donations_programmefigures FOR UPDATE SKIP LOCKED)
        RETURNING *
    )
    INSERT INTO donations_programmefigures (sector, kind, item_id, donations, amount_vnd, quantity, labour_days)
    SELECT sector, kind, item_id, SUM(donations), SUM(amount_vnd), SUM(quantity), SUM(labour_days)
    FROM gone GROUP BY sector, kind, item_id HAVING SUM(donations) <> 0;
    WITH gone AS (
        DELETE FROM donations_programmecounts
        WHERE id IN (SELECT id FROM donations_programmecounts FOR UPDATE SKIP LOCKED)
        RETURNING *
    )
    INSERT INTO donations_programmecounts (sector, households, students, household_visits)
    SELECT sector, SUM(households), SUM(students), SUM(household_visits)
    FROM gone GROUP BY sector
    HAVING SUM(households) <> 0 OR SUM(students) <> 0 OR SUM(household_visits) <> 0;
$$;
"""

REBUILD = r"""
-- Everything again from the donations, set-based (the triggers are skipped meanwhile).
CREATE OR REPLACE FUNCTION donations_rebuild_figures() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    was text := COALESCE(current_setting('taybinh.figures_deferred', true), '');
BEGIN
    PERFORM set_config('taybinh.figures_deferred', 'on', true);
    DELETE FROM donations_programmecounts;
    DELETE FROM donations_programmefigures;
    DELETE FROM donations_recipienttally;
    DELETE FROM donations_recipientday;
    DELETE FROM donations_sectorday;
    DELETE FROM donations_dailyfigures;
    DELETE FROM donations_donationfact;
    INSERT INTO donations_donationfact
        (donation_id, day, unit_id, sector, commune_id, kind, item_id, household_id, student_id,
         amount_vnd, quantity, labour_days)
    SELECT d.id, d.date, d.unit_id, u.kind,
        donations_place_commune(d.commune_id, d.village_id, d.household_id, d.student_id, d.date),
        d.kind, d.item_id, d.household_id, d.student_id, d.amount_vnd, d.quantity, d.labour_days
    FROM donations_donation d JOIN units_unit u ON u.id = d.unit_id;
    INSERT INTO donations_dailyfigures
        (day, unit_id, sector, commune_id, kind, item_id, donations, amount_vnd, quantity, labour_days)
    SELECT day, unit_id, MIN(sector), commune_id, kind, item_id, COUNT(*), SUM(amount_vnd),
        COALESCE(SUM(quantity), 0), COALESCE(SUM(labour_days), 0)
    FROM donations_donationfact GROUP BY day, unit_id, commune_id, kind, item_id;
    INSERT INTO donations_recipientday (day, unit_id, sector, commune_id, household_id, student_id, donations)
    SELECT day, unit_id, MIN(sector), commune_id, household_id, student_id, COUNT(*)
    FROM donations_donationfact WHERE household_id IS NOT NULL OR student_id IS NOT NULL
    GROUP BY day, unit_id, commune_id, household_id, student_id;
    INSERT INTO donations_sectorday (day, sector, kind, item_id, donations, amount_vnd, quantity, labour_days)
    SELECT day, sector, kind, item_id, SUM(donations), SUM(amount_vnd), SUM(quantity), SUM(labour_days)
    FROM donations_dailyfigures GROUP BY day, sector, kind, item_id;
    INSERT INTO donations_programmefigures (sector, kind, item_id, donations, amount_vnd, quantity, labour_days)
    SELECT sector, kind, item_id, SUM(donations), SUM(amount_vnd), SUM(quantity), SUM(labour_days)
    FROM donations_sectorday GROUP BY sector, kind, item_id;
    INSERT INTO donations_recipienttally (sector, household_id, student_id, days)
    SELECT COALESCE(sector, ''), household_id, student_id, COUNT(*) FROM donations_recipientday
    GROUP BY GROUPING SETS ((sector, household_id, student_id), (household_id, student_id));
    INSERT INTO donations_programmecounts (sector, households, students, household_visits)
    SELECT sector, COUNT(household_id), COUNT(student_id),
        COALESCE(SUM(days) FILTER (WHERE household_id IS NOT NULL), 0)
    FROM donations_recipienttally GROUP BY sector;
    PERFORM set_config('taybinh.figures_deferred', was, true);
END
$$;
"""

FORWARD = COMPACT + FOLD + REBUILD + "SELECT donations_rebuild_figures();"
BACKWARD = (
    FIRST.FOLD.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION")
    + FIRST.REBUILD.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION")
    + "DROP FUNCTION donations_compact_programme(); SELECT donations_rebuild_figures();"
)


class Migration(migrations.Migration):
    dependencies = [
        ("donations", "0013_figures_triggers"),
        ("households", "0010_household_national_review_code"),
    ]

    operations = [
        migrations.CreateModel(
            name="ProgrammeCounts",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("sector", models.CharField(max_length=20)),
                ("households", models.IntegerField()),
                ("students", models.IntegerField()),
                ("household_visits", models.IntegerField()),
            ],
        ),
        migrations.CreateModel(
            name="ProgrammeFigures",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(max_length=10)),
                ("donations", models.IntegerField()),
                ("amount_vnd", models.BigIntegerField()),
                ("quantity", models.DecimalField(decimal_places=2, max_digits=16)),
                ("labour_days", models.DecimalField(decimal_places=1, max_digits=14)),
                ("sector", models.CharField(max_length=20)),
            ],
            options={
                "abstract": False,
            },
        ),
        migrations.AddIndex(
            model_name="recipienttally",
            index=models.Index(condition=models.Q(("days", 0)), fields=["id"], name="donations_tally_emptied_idx"),
        ),
        migrations.AddField(
            model_name="programmefigures",
            name="item",
            field=models.ForeignKey(
                db_constraint=False,
                db_index=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to="donations.item",
            ),
        ),
        migrations.RunSQL(FORWARD, BACKWARD),
    ]
