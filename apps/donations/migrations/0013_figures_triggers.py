"""The triggers that keep DonationFact, DailyFigures and RecipientDay exact (apps/donations/models.py).

Every statement that writes donations, bulk or not, replaces their facts and folds the change into the
two summary tables in the same transaction, set-based (one pass per statement, not per row). A household's or a student's move, a village's change of commune and
any change of a village's periods re-place the facts they concern, so the commune scope stays "where
the beneficiary lay on the donation's date". ``donations_rebuild_figures()`` rebuilds all three
tables from the donations (this migration runs it once; the province generator after its COPY).

A transaction that sets ``taybinh.figures_deferred`` to ``on`` skips the triggers; it must call
``donations_rebuild_figures()`` before it commits (only the generator and the rebuild itself do).
"""

from django.db import migrations

# Kept apart so that a later migration can put the first versions back when it is reversed.
FOLD = r"""
-- Add (p_sign 1) or take out (p_sign -1) facts from the summary tables, one grouped statement per
-- table (keys in order, so two transactions lock shared rows in the same order). RecipientTally counts
-- RecipientDay rows: a row created ("xmax = 0": inserted, not updated, by the upsert) adds a day to
-- its household's or student's tally, a row emptied and deleted takes one away.
CREATE FUNCTION donations_fold(p_facts donations_donationfact[], p_sign integer) RETURNS void
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
    )
    INSERT INTO donations_recipienttally AS t (sector, household_id, student_id, days)
    SELECT sector, household_id, student_id, COUNT(*) FROM upserted WHERE created
    GROUP BY sector, household_id, student_id
    ORDER BY sector, household_id, student_id
    ON CONFLICT (sector, household_id, student_id) DO UPDATE SET days = t.days + EXCLUDED.days;
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
        )
        UPDATE donations_recipienttally t SET days = t.days - gone.days
        FROM (
            SELECT sector, household_id, student_id, COUNT(*) AS days FROM emptied
            GROUP BY sector, household_id, student_id
        ) AS gone
        WHERE t.sector = gone.sector AND t.household_id IS NOT DISTINCT FROM gone.household_id
            AND t.student_id IS NOT DISTINCT FROM gone.student_id;
        DELETE FROM donations_recipienttally WHERE days = 0;
    END IF;
END
$$;

"""

REBUILD = r"""
-- Everything again from the donations, set-based (the triggers are skipped meanwhile).
CREATE FUNCTION donations_rebuild_figures() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    was text := COALESCE(current_setting('taybinh.figures_deferred', true), '');
BEGIN
    PERFORM set_config('taybinh.figures_deferred', 'on', true);
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
    INSERT INTO donations_recipienttally (sector, household_id, student_id, days)
    SELECT sector, household_id, student_id, COUNT(*) FROM donations_recipientday
    GROUP BY sector, household_id, student_id;
    PERFORM set_config('taybinh.figures_deferred', was, true);
END
$$;

"""

FUNCTIONS = (
    r"""
-- The commune a beneficiary lay in on a day: the commune itself, else the commune of the village (the
-- village itself, a household's or a student's household's) on that day, as commune_of_village_on.
CREATE FUNCTION donations_place_commune(
    p_commune bigint, p_village bigint, p_household bigint, p_student bigint, p_day date
) RETURNS bigint LANGUAGE sql STABLE AS $$
    SELECT COALESCE(
        p_commune,
        (SELECT vc.commune_id FROM communes_villagecommune vc
            WHERE vc.village_id = place.village AND vc.start <= p_day AND (vc."end" IS NULL OR vc."end" >= p_day)
            LIMIT 1),
        (SELECT v.commune_id FROM communes_village v WHERE v.id = place.village)
    )
    FROM (SELECT COALESCE(
        p_village,
        (SELECT h.village_id FROM households_household h WHERE h.id = p_household),
        (SELECT h.village_id FROM households_student s JOIN households_household h ON h.id = s.household_id
            WHERE s.id = p_student)
    ) AS village) AS place
$$;

CREATE FUNCTION donations_figures_deferred() RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT COALESCE(current_setting('taybinh.figures_deferred', true), '') = 'on'
$$;

"""
    + FOLD
    + r"""
-- The facts of these donations again, from the donations as they are now: the old facts are taken
-- out of the summaries, the new ones (none for a deleted donation) put in.
CREATE FUNCTION donations_refact(p_donations bigint[]) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    facts donations_donationfact[];
BEGIN
    IF donations_figures_deferred() OR cardinality(p_donations) = 0 THEN
        RETURN;
    END IF;
    WITH removed AS (
        DELETE FROM donations_donationfact WHERE donation_id = ANY(p_donations) RETURNING *
    )
    SELECT COALESCE(array_agg(removed::donations_donationfact), '{}') INTO facts FROM removed;
    PERFORM donations_fold(facts, -1);
    WITH added AS (
        INSERT INTO donations_donationfact
            (donation_id, day, unit_id, sector, commune_id, kind, item_id, household_id, student_id,
             amount_vnd, quantity, labour_days)
        SELECT d.id, d.date, d.unit_id, u.kind,
            donations_place_commune(d.commune_id, d.village_id, d.household_id, d.student_id, d.date),
            d.kind, d.item_id, d.household_id, d.student_id, d.amount_vnd, d.quantity, d.labour_days
        FROM donations_donation d JOIN units_unit u ON u.id = d.unit_id WHERE d.id = ANY(p_donations)
        RETURNING *
    )
    SELECT COALESCE(array_agg(added::donations_donationfact), '{}') INTO facts FROM added;
    PERFORM donations_fold(facts, 1);
END
$$;

-- Donations written, bulk or not: one set-based pass per statement.
CREATE FUNCTION donations_donations_inserted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM donations_refact(ARRAY(SELECT id FROM new_rows));
    RETURN NULL;
END
$$;
CREATE FUNCTION donations_donations_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM donations_refact(ARRAY(SELECT id FROM old_rows));
    RETURN NULL;
END
$$;
CREATE FUNCTION donations_donations_updated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM donations_refact(ARRAY(
        SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE (o.date, o.unit_id, o.kind, o.commune_id, o.village_id, o.household_id, o.student_id, o.item_id,
               o.amount_vnd, o.quantity, o.labour_days)
            IS DISTINCT FROM
              (n.date, n.unit_id, n.kind, n.commune_id, n.village_id, n.household_id, n.student_id, n.item_id,
               n.amount_vnd, n.quantity, n.labour_days)
    ));
    RETURN NULL;
END
$$;
CREATE FUNCTION donations_donations_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE donations_donationfact, donations_dailyfigures, donations_recipientday, donations_sectorday,
        donations_recipienttally;
    RETURN NULL;
END
$$;
CREATE TRIGGER donations_donations_truncated
    AFTER TRUNCATE ON donations_donation
    FOR EACH STATEMENT EXECUTE FUNCTION donations_donations_truncated();
CREATE TRIGGER donations_donations_inserted
    AFTER INSERT ON donations_donation REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION donations_donations_inserted();
CREATE TRIGGER donations_donations_deleted
    AFTER DELETE ON donations_donation REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION donations_donations_deleted();
CREATE TRIGGER donations_donations_updated
    AFTER UPDATE ON donations_donation REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION donations_donations_updated();

-- Re-place the facts of donations to these villages, households and students (directly or through a
-- household or a student) whose commune on their date is no longer the one their fact holds.
CREATE FUNCTION donations_replace_facts(p_villages bigint[], p_households bigint[], p_students bigint[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF donations_figures_deferred()
        OR cardinality(p_villages) + cardinality(p_households) + cardinality(p_students) = 0 THEN
        RETURN;
    END IF;
    PERFORM donations_refact(ARRAY(
        SELECT f.donation_id
        FROM donations_donationfact f JOIN donations_donation d ON d.id = f.donation_id
        WHERE d.id IN (
            SELECT id FROM donations_donation WHERE village_id = ANY(p_villages)
            UNION
            SELECT d2.id FROM donations_donation d2 JOIN households_household h ON h.id = d2.household_id
                WHERE h.village_id = ANY(p_villages) OR h.id = ANY(p_households)
            UNION
            SELECT d3.id FROM donations_donation d3
                JOIN households_student s ON s.id = d3.student_id
                JOIN households_household h ON h.id = s.household_id
                WHERE h.village_id = ANY(p_villages) OR h.id = ANY(p_households) OR s.id = ANY(p_students)
        )
        AND f.commune_id IS DISTINCT FROM
            donations_place_commune(d.commune_id, d.village_id, d.household_id, d.student_id, d.date)
    ));
END
$$;

CREATE FUNCTION donations_replace_moved_households() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM donations_replace_facts('{}', ARRAY(
        SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE o.village_id IS DISTINCT FROM n.village_id
    ), '{}');
    RETURN NULL;
END
$$;
CREATE TRIGGER donations_replace_moved_households
    AFTER UPDATE ON households_household REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION donations_replace_moved_households();

CREATE FUNCTION donations_replace_moved_students() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM donations_replace_facts('{}', '{}', ARRAY(
        SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE o.household_id IS DISTINCT FROM n.household_id
    ));
    RETURN NULL;
END
$$;
CREATE TRIGGER donations_replace_moved_students
    AFTER UPDATE ON households_student REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION donations_replace_moved_students();

CREATE FUNCTION donations_replace_moved_villages() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM donations_replace_facts(ARRAY(
        SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE o.commune_id IS DISTINCT FROM n.commune_id
    ), '{}', '{}');
    RETURN NULL;
END
$$;
CREATE TRIGGER donations_replace_moved_villages
    AFTER UPDATE ON communes_village REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION donations_replace_moved_villages();

CREATE FUNCTION donations_replace_units_of_other_kind() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM donations_refact(ARRAY(
        SELECT d.id FROM donations_donation d
        WHERE d.unit_id IN (
            SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE o.kind IS DISTINCT FROM n.kind
        )
    ));
    RETURN NULL;
END
$$;
CREATE TRIGGER donations_replace_units_of_other_kind
    AFTER UPDATE ON units_unit REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION donations_replace_units_of_other_kind();

-- A village's periods: whatever changed (added, changed, removed), its villages are re-placed.
CREATE FUNCTION donations_replace_periods_added() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM donations_replace_facts(ARRAY(SELECT village_id FROM new_rows), '{}', '{}');
    RETURN NULL;
END
$$;
CREATE FUNCTION donations_replace_periods_removed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM donations_replace_facts(ARRAY(SELECT village_id FROM old_rows), '{}', '{}');
    RETURN NULL;
END
$$;
CREATE FUNCTION donations_replace_periods_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM donations_replace_facts(
        ARRAY(SELECT village_id FROM new_rows UNION SELECT village_id FROM old_rows), '{}', '{}'
    );
    RETURN NULL;
END
$$;
CREATE TRIGGER donations_replace_periods_added
    AFTER INSERT ON communes_villagecommune REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION donations_replace_periods_added();
CREATE TRIGGER donations_replace_periods_removed
    AFTER DELETE ON communes_villagecommune REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION donations_replace_periods_removed();
CREATE TRIGGER donations_replace_periods_changed
    AFTER UPDATE ON communes_villagecommune REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION donations_replace_periods_changed();

"""
    + REBUILD
    + """
SELECT donations_rebuild_figures();
"""
)

REVERSE = r"""
DROP TRIGGER IF EXISTS donations_replace_periods_changed ON communes_villagecommune;
DROP TRIGGER IF EXISTS donations_replace_periods_removed ON communes_villagecommune;
DROP TRIGGER IF EXISTS donations_replace_periods_added ON communes_villagecommune;
DROP TRIGGER IF EXISTS donations_replace_moved_villages ON communes_village;
DROP TRIGGER IF EXISTS donations_replace_units_of_other_kind ON units_unit;
DROP TRIGGER IF EXISTS donations_replace_moved_students ON households_student;
DROP TRIGGER IF EXISTS donations_replace_moved_households ON households_household;
DROP TRIGGER IF EXISTS donations_donations_updated ON donations_donation;
DROP TRIGGER IF EXISTS donations_donations_deleted ON donations_donation;
DROP TRIGGER IF EXISTS donations_donations_inserted ON donations_donation;
DROP TRIGGER IF EXISTS donations_donations_truncated ON donations_donation;
DROP FUNCTION IF EXISTS donations_rebuild_figures();
DROP FUNCTION IF EXISTS donations_replace_periods_changed();
DROP FUNCTION IF EXISTS donations_replace_periods_removed();
DROP FUNCTION IF EXISTS donations_replace_periods_added();
DROP FUNCTION IF EXISTS donations_replace_moved_villages();
DROP FUNCTION IF EXISTS donations_replace_units_of_other_kind();
DROP FUNCTION IF EXISTS donations_replace_moved_students();
DROP FUNCTION IF EXISTS donations_replace_moved_households();
DROP FUNCTION IF EXISTS donations_replace_facts(bigint[], bigint[], bigint[]);
DROP FUNCTION IF EXISTS donations_donations_updated();
DROP FUNCTION IF EXISTS donations_donations_deleted();
DROP FUNCTION IF EXISTS donations_donations_inserted();
DROP FUNCTION IF EXISTS donations_donations_truncated();
DROP FUNCTION IF EXISTS donations_refact(bigint[]);
DROP FUNCTION IF EXISTS donations_fold(donations_donationfact[], integer);
DROP FUNCTION IF EXISTS donations_figures_deferred();
DROP FUNCTION IF EXISTS donations_place_commune(bigint, bigint, bigint, bigint, date);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("donations", "0012_figures_kept_ahead_of_time"),
        ("communes", "0003_one_period_per_village"),
        ("households", "0005_household_size_from_1_to_50"),
        ("units", "0003_unit_existed_until"),
    ]

    operations = [migrations.RunSQL(FUNCTIONS, REVERSE)]
