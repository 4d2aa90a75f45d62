"""The triggers that keep DonationFact, DailyFigures and RecipientDay exact (apps/donations/models.py).

Every write to a donation, bulk or not, updates its fact and folds the change into the two summary
tables in the same transaction. A household's or a student's move, a village's change of commune and
any change of a village's periods re-place the facts they concern, so the commune scope stays "where
the beneficiary lay on the donation's date". ``donations_rebuild_figures()`` rebuilds all three
tables from the donations (this migration runs it once; the province generator after its COPY).

A transaction that sets ``taybinh.figures_deferred`` to ``on`` skips the triggers; it must call
``donations_rebuild_figures()`` before it commits (only the generator and the rebuild itself do).
"""

from django.db import migrations

FUNCTIONS = r"""
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

-- donations_donation → donations_donationfact
CREATE FUNCTION donations_fact_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF donations_figures_deferred() THEN
        RETURN NULL;
    END IF;
    IF TG_OP = 'DELETE' THEN
        DELETE FROM donations_donationfact WHERE donation_id = OLD.id;
        RETURN NULL;
    END IF;
    INSERT INTO donations_donationfact AS f
        (donation_id, day, unit_id, commune_id, kind, item_id, household_id, student_id,
         amount_vnd, quantity, labour_days)
    VALUES (
        NEW.id, NEW.date, NEW.unit_id,
        donations_place_commune(NEW.commune_id, NEW.village_id, NEW.household_id, NEW.student_id, NEW.date),
        NEW.kind, NEW.item_id, NEW.household_id, NEW.student_id, NEW.amount_vnd, NEW.quantity, NEW.labour_days
    )
    ON CONFLICT (donation_id) DO UPDATE SET
        day = EXCLUDED.day, unit_id = EXCLUDED.unit_id, commune_id = EXCLUDED.commune_id,
        kind = EXCLUDED.kind, item_id = EXCLUDED.item_id, household_id = EXCLUDED.household_id,
        student_id = EXCLUDED.student_id, amount_vnd = EXCLUDED.amount_vnd, quantity = EXCLUDED.quantity,
        labour_days = EXCLUDED.labour_days
    WHERE (f.day, f.unit_id, f.commune_id, f.kind, f.item_id, f.household_id, f.student_id,
           f.amount_vnd, f.quantity, f.labour_days)
        IS DISTINCT FROM
          (EXCLUDED.day, EXCLUDED.unit_id, EXCLUDED.commune_id, EXCLUDED.kind, EXCLUDED.item_id,
           EXCLUDED.household_id, EXCLUDED.student_id, EXCLUDED.amount_vnd, EXCLUDED.quantity,
           EXCLUDED.labour_days);
    RETURN NULL;
END
$$;

CREATE TRIGGER donations_fact_sync
    AFTER INSERT OR UPDATE OR DELETE ON donations_donation
    FOR EACH ROW EXECUTE FUNCTION donations_fact_sync();

-- donations_donationfact → donations_dailyfigures and donations_recipientday: take the old fact out,
-- put the new one in.
CREATE FUNCTION donations_figures_sync() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF donations_figures_deferred() THEN
        RETURN NULL;
    END IF;
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        UPDATE donations_dailyfigures SET
            donations = donations - 1,
            amount_vnd = amount_vnd - OLD.amount_vnd,
            quantity = quantity - COALESCE(OLD.quantity, 0),
            labour_days = labour_days - COALESCE(OLD.labour_days, 0)
        WHERE day = OLD.day AND unit_id = OLD.unit_id AND commune_id = OLD.commune_id AND kind = OLD.kind
            AND item_id IS NOT DISTINCT FROM OLD.item_id;
        DELETE FROM donations_dailyfigures
        WHERE day = OLD.day AND unit_id = OLD.unit_id AND commune_id = OLD.commune_id AND kind = OLD.kind
            AND item_id IS NOT DISTINCT FROM OLD.item_id AND donations = 0;
        IF OLD.household_id IS NOT NULL OR OLD.student_id IS NOT NULL THEN
            UPDATE donations_recipientday SET donations = donations - 1
            WHERE day = OLD.day AND unit_id = OLD.unit_id AND commune_id = OLD.commune_id
                AND household_id IS NOT DISTINCT FROM OLD.household_id
                AND student_id IS NOT DISTINCT FROM OLD.student_id;
            DELETE FROM donations_recipientday
            WHERE day = OLD.day AND unit_id = OLD.unit_id AND commune_id = OLD.commune_id
                AND household_id IS NOT DISTINCT FROM OLD.household_id
                AND student_id IS NOT DISTINCT FROM OLD.student_id AND donations = 0;
        END IF;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        INSERT INTO donations_dailyfigures AS d
            (day, unit_id, commune_id, kind, item_id, donations, amount_vnd, quantity, labour_days)
        VALUES (NEW.day, NEW.unit_id, NEW.commune_id, NEW.kind, NEW.item_id, 1, NEW.amount_vnd,
                COALESCE(NEW.quantity, 0), COALESCE(NEW.labour_days, 0))
        ON CONFLICT (day, unit_id, commune_id, kind, item_id) DO UPDATE SET
            donations = d.donations + 1,
            amount_vnd = d.amount_vnd + EXCLUDED.amount_vnd,
            quantity = d.quantity + EXCLUDED.quantity,
            labour_days = d.labour_days + EXCLUDED.labour_days;
        IF NEW.household_id IS NOT NULL OR NEW.student_id IS NOT NULL THEN
            INSERT INTO donations_recipientday AS r (day, unit_id, commune_id, household_id, student_id, donations)
            VALUES (NEW.day, NEW.unit_id, NEW.commune_id, NEW.household_id, NEW.student_id, 1)
            ON CONFLICT (day, unit_id, commune_id, household_id, student_id) DO UPDATE SET
                donations = r.donations + 1;
        END IF;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER donations_figures_sync
    AFTER INSERT OR UPDATE OR DELETE ON donations_donationfact
    FOR EACH ROW EXECUTE FUNCTION donations_figures_sync();

-- Re-place the facts of donations to these villages, households and students (directly or through a
-- household or a student); a fact whose commune changes moves its figures through the trigger above.
CREATE FUNCTION donations_replace_facts(p_villages bigint[], p_households bigint[], p_students bigint[])
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF donations_figures_deferred()
        OR cardinality(p_villages) + cardinality(p_households) + cardinality(p_students) = 0 THEN
        RETURN;
    END IF;
    UPDATE donations_donationfact f
    SET commune_id = placed.commune_id
    FROM (
        SELECT d.id, donations_place_commune(d.commune_id, d.village_id, d.household_id, d.student_id, d.date)
            AS commune_id
        FROM donations_donation d
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
    ) AS placed
    WHERE f.donation_id = placed.id AND f.commune_id IS DISTINCT FROM placed.commune_id;
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

-- Everything again from the donations, set-based (the triggers are skipped meanwhile).
CREATE FUNCTION donations_rebuild_figures() RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    was text := COALESCE(current_setting('taybinh.figures_deferred', true), '');
BEGIN
    PERFORM set_config('taybinh.figures_deferred', 'on', true);
    DELETE FROM donations_recipientday;
    DELETE FROM donations_dailyfigures;
    DELETE FROM donations_donationfact;
    INSERT INTO donations_donationfact
        (donation_id, day, unit_id, commune_id, kind, item_id, household_id, student_id,
         amount_vnd, quantity, labour_days)
    SELECT d.id, d.date, d.unit_id,
        donations_place_commune(d.commune_id, d.village_id, d.household_id, d.student_id, d.date),
        d.kind, d.item_id, d.household_id, d.student_id, d.amount_vnd, d.quantity, d.labour_days
    FROM donations_donation d;
    INSERT INTO donations_dailyfigures
        (day, unit_id, commune_id, kind, item_id, donations, amount_vnd, quantity, labour_days)
    SELECT day, unit_id, commune_id, kind, item_id, COUNT(*), SUM(amount_vnd),
        COALESCE(SUM(quantity), 0), COALESCE(SUM(labour_days), 0)
    FROM donations_donationfact GROUP BY day, unit_id, commune_id, kind, item_id;
    INSERT INTO donations_recipientday (day, unit_id, commune_id, household_id, student_id, donations)
    SELECT day, unit_id, commune_id, household_id, student_id, COUNT(*)
    FROM donations_donationfact WHERE household_id IS NOT NULL OR student_id IS NOT NULL
    GROUP BY day, unit_id, commune_id, household_id, student_id;
    PERFORM set_config('taybinh.figures_deferred', was, true);
END
$$;

SELECT donations_rebuild_figures();
"""

REVERSE = r"""
DROP TRIGGER IF EXISTS donations_replace_periods_changed ON communes_villagecommune;
DROP TRIGGER IF EXISTS donations_replace_periods_removed ON communes_villagecommune;
DROP TRIGGER IF EXISTS donations_replace_periods_added ON communes_villagecommune;
DROP TRIGGER IF EXISTS donations_replace_moved_villages ON communes_village;
DROP TRIGGER IF EXISTS donations_replace_moved_students ON households_student;
DROP TRIGGER IF EXISTS donations_replace_moved_households ON households_household;
DROP TRIGGER IF EXISTS donations_figures_sync ON donations_donationfact;
DROP TRIGGER IF EXISTS donations_fact_sync ON donations_donation;
DROP FUNCTION IF EXISTS donations_rebuild_figures();
DROP FUNCTION IF EXISTS donations_replace_periods_changed();
DROP FUNCTION IF EXISTS donations_replace_periods_removed();
DROP FUNCTION IF EXISTS donations_replace_periods_added();
DROP FUNCTION IF EXISTS donations_replace_moved_villages();
DROP FUNCTION IF EXISTS donations_replace_moved_students();
DROP FUNCTION IF EXISTS donations_replace_moved_households();
DROP FUNCTION IF EXISTS donations_replace_facts(bigint[], bigint[], bigint[]);
DROP FUNCTION IF EXISTS donations_figures_sync();
DROP FUNCTION IF EXISTS donations_fact_sync();
DROP FUNCTION IF EXISTS donations_figures_deferred();
DROP FUNCTION IF EXISTS donations_place_commune(bigint, bigint, bigint, bigint, date);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("donations", "0012_figures_kept_ahead_of_time"),
        ("communes", "0003_one_period_per_village"),
        ("households", "0005_household_size_from_1_to_50"),
    ]

    operations = [migrations.RunSQL(FUNCTIONS, REVERSE)]
