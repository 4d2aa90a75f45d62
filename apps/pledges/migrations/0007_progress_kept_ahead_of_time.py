"""Pledge progress and each unit's money kept ahead of time (PledgeProgress, UnitMoneyGiven in apps/pledges/models.py).

Statement-level triggers on donations fold every write, bulk or not, into the two tables in the same
transaction: one grouped upsert per table and statement, the change as signed deltas (the rows a
statement took out counted -1, those it put in +1, so an update moving a donation from one pledge or
unit to another moves its figures), keys in order so that two transactions lock shared rows in the
same order; a row whose count reaches 0 goes. Like the figure triggers of apps/donations (migration
0013) they skip a transaction that set ``taybinh.figures_deferred``, which then calls
``pledges_rebuild_progress()`` before it commits (the province generator), or always rolls back.
"""

import django.db.models.deletion
from django.db import migrations, models

FUNCTIONS = r"""
-- Take out (p_removed) and put in (p_added) these donations' figures.
CREATE FUNCTION pledges_fold_donations(p_removed donations_donation[], p_added donations_donation[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF cardinality(p_removed) + cardinality(p_added) = 0 THEN
        RETURN;
    END IF;
    WITH changed AS (
        SELECT -1 AS sign, * FROM unnest(p_removed)
        UNION ALL
        SELECT 1, * FROM unnest(p_added)
    ), by_pledge AS (
        SELECT pledge_id,
            SUM(sign * amount_vnd) FILTER (WHERE kind = 'money') AS given_vnd,
            SUM(sign * labour_days) FILTER (WHERE kind = 'labour') AS given_days,
            SUM(sign) AS donations
        FROM changed WHERE pledge_id IS NOT NULL
        GROUP BY pledge_id
    )
    INSERT INTO pledges_pledgeprogress AS p (pledge_id, given_vnd, given_days, donations)
    SELECT pledge_id, COALESCE(given_vnd, 0), COALESCE(given_days, 0), donations FROM by_pledge
    ORDER BY pledge_id
    ON CONFLICT (pledge_id) DO UPDATE SET
        given_vnd = p.given_vnd + EXCLUDED.given_vnd,
        given_days = p.given_days + EXCLUDED.given_days,
        donations = p.donations + EXCLUDED.donations;
    WITH changed AS (
        SELECT -1 AS sign, * FROM unnest(p_removed)
        UNION ALL
        SELECT 1, * FROM unnest(p_added)
    ), by_unit AS (
        SELECT unit_id,
            SUM(sign * amount_vnd) FILTER (WHERE kind = 'money') AS given_vnd,
            SUM(sign * amount_vnd) FILTER (WHERE kind = 'money' AND pledge_id IS NOT NULL) AS given_to_pledges_vnd,
            SUM(sign) AS donations
        FROM changed
        GROUP BY unit_id
    )
    INSERT INTO pledges_unitmoneygiven AS u (unit_id, given_vnd, given_to_pledges_vnd, donations)
    SELECT unit_id, COALESCE(given_vnd, 0), COALESCE(given_to_pledges_vnd, 0), donations FROM by_unit
    ORDER BY unit_id
    ON CONFLICT (unit_id) DO UPDATE SET
        given_vnd = u.given_vnd + EXCLUDED.given_vnd,
        given_to_pledges_vnd = u.given_to_pledges_vnd + EXCLUDED.given_to_pledges_vnd,
        donations = u.donations + EXCLUDED.donations;
    IF cardinality(p_removed) > 0 THEN
        DELETE FROM pledges_pledgeprogress
        WHERE donations = 0 AND pledge_id IN (SELECT pledge_id FROM unnest(p_removed));
        DELETE FROM pledges_unitmoneygiven
        WHERE donations = 0 AND unit_id IN (SELECT unit_id FROM unnest(p_removed));
    END IF;
END
$$;

CREATE FUNCTION pledges_donations_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT donations_figures_deferred() THEN
        PERFORM pledges_fold_donations('{}'::donations_donation[], ARRAY(SELECT n::donations_donation FROM new_rows n));
    END IF;
    RETURN NULL;
END
$$;
CREATE FUNCTION pledges_donations_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NOT donations_figures_deferred() THEN
        PERFORM pledges_fold_donations(ARRAY(SELECT o::donations_donation FROM old_rows o), '{}'::donations_donation[]);
    END IF;
    RETURN NULL;
END
$$;
-- Only the rows whose pledge, unit, kind or amounts changed (an edit of a note or a date moves nothing).
CREATE FUNCTION pledges_donations_updated() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    moved bigint[];
BEGIN
    IF donations_figures_deferred() THEN
        RETURN NULL;
    END IF;
    moved := ARRAY(
        SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE (o.pledge_id, o.unit_id, o.kind, o.amount_vnd, o.labour_days)
            IS DISTINCT FROM (n.pledge_id, n.unit_id, n.kind, n.amount_vnd, n.labour_days)
    );
    IF cardinality(moved) > 0 THEN
        PERFORM pledges_fold_donations(
            ARRAY(SELECT o::donations_donation FROM old_rows o WHERE o.id = ANY(moved)),
            ARRAY(SELECT n::donations_donation FROM new_rows n WHERE n.id = ANY(moved))
        );
    END IF;
    RETURN NULL;
END
$$;
CREATE FUNCTION pledges_donations_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE pledges_pledgeprogress, pledges_unitmoneygiven;
    RETURN NULL;
END
$$;
CREATE TRIGGER pledges_donations_inserted
    AFTER INSERT ON donations_donation REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION pledges_donations_inserted();
CREATE TRIGGER pledges_donations_deleted
    AFTER DELETE ON donations_donation REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION pledges_donations_deleted();
CREATE TRIGGER pledges_donations_updated
    AFTER UPDATE ON donations_donation REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION pledges_donations_updated();
CREATE TRIGGER pledges_donations_truncated
    AFTER TRUNCATE ON donations_donation
    FOR EACH STATEMENT EXECUTE FUNCTION pledges_donations_truncated();

-- Both tables again from the donations, set-based.
CREATE FUNCTION pledges_rebuild_progress() RETURNS void LANGUAGE sql AS $$
    DELETE FROM pledges_pledgeprogress;
    DELETE FROM pledges_unitmoneygiven;
    INSERT INTO pledges_pledgeprogress (pledge_id, given_vnd, given_days, donations)
    SELECT pledge_id, COALESCE(SUM(amount_vnd) FILTER (WHERE kind = 'money'), 0),
        COALESCE(SUM(labour_days) FILTER (WHERE kind = 'labour'), 0), COUNT(*)
    FROM donations_donation WHERE pledge_id IS NOT NULL GROUP BY pledge_id;
    INSERT INTO pledges_unitmoneygiven (unit_id, given_vnd, given_to_pledges_vnd, donations)
    SELECT unit_id, COALESCE(SUM(amount_vnd) FILTER (WHERE kind = 'money'), 0),
        COALESCE(SUM(amount_vnd) FILTER (WHERE kind = 'money' AND pledge_id IS NOT NULL), 0), COUNT(*)
    FROM donations_donation GROUP BY unit_id;
$$;

SELECT pledges_rebuild_progress();
"""

REVERSE = r"""
DROP TRIGGER IF EXISTS pledges_donations_truncated ON donations_donation;
DROP TRIGGER IF EXISTS pledges_donations_updated ON donations_donation;
DROP TRIGGER IF EXISTS pledges_donations_deleted ON donations_donation;
DROP TRIGGER IF EXISTS pledges_donations_inserted ON donations_donation;
DROP FUNCTION IF EXISTS pledges_rebuild_progress();
DROP FUNCTION IF EXISTS pledges_donations_truncated();
DROP FUNCTION IF EXISTS pledges_donations_updated();
DROP FUNCTION IF EXISTS pledges_donations_deleted();
DROP FUNCTION IF EXISTS pledges_donations_inserted();
DROP FUNCTION IF EXISTS pledges_fold_donations(donations_donation[], donations_donation[]);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("pledges", "0006_dates_between_1900_and_2100"),
        ("units", "0005_unit_name_index"),
        ("donations", "0018_reference_searched_through_a_trigram_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="PledgeProgress",
            fields=[
                (
                    "pledge",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="progress",
                        serialize=False,
                        to="pledges.pledge",
                    ),
                ),
                ("given_vnd", models.BigIntegerField()),
                ("given_days", models.DecimalField(decimal_places=1, max_digits=14)),
                ("donations", models.IntegerField()),
            ],
        ),
        migrations.CreateModel(
            name="UnitMoneyGiven",
            fields=[
                (
                    "unit",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="+",
                        serialize=False,
                        to="units.unit",
                    ),
                ),
                ("given_vnd", models.BigIntegerField()),
                ("given_to_pledges_vnd", models.BigIntegerField()),
                ("donations", models.IntegerField()),
            ],
        ),
        migrations.RunSQL(FUNCTIONS, REVERSE),
    ]
