"""The outcomes of help (apps.donations.outcomes) remembered until what they read changes (issue 10).

The outcomes read a province's 370.000 listed classifications (0,4 s); their inputs change seldom. A
statement that changes one of them writes a mark (a row of donations_outcomeswrite) in its own transaction,
holding a shared advisory lock until it commits: the classifications and their changes, a household's
village, a village's commune, and a household's first day helped (the year-0 tallies; help given to a
household already helped earlier leaves it). A remembered result names the last mark it saw and is used
only while that is still the last committed mark. A result is remembered only by a reader that took the
exclusive form of the lock, so no writer was in flight while it read (apps.donations.outcomes).
"""

from django.db import migrations

LOCK = 7_301_022  # the advisory lock's key, also in apps/donations/outcomes.py

FORWARD = f"""
CREATE TABLE donations_outcomeswrite (id bigserial PRIMARY KEY);
CREATE TABLE donations_outcomesmemo (
    key text PRIMARY KEY,
    last_write bigint NOT NULL,
    rows jsonb NOT NULL
);

CREATE FUNCTION donations_outcomes_written() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_advisory_xact_lock_shared({LOCK});
    INSERT INTO donations_outcomeswrite DEFAULT VALUES;
    RETURN NULL;
END
$$;

-- A household's first day helped: its year-0 tally row (all sectors) added, removed or dated again.
CREATE FUNCTION donations_first_help_written() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM 1 FROM new_rows WHERE year = 0 AND sector = '' AND household_id IS NOT NULL LIMIT 1;
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM 1 FROM old_rows WHERE year = 0 AND sector = '' AND household_id IS NOT NULL LIMIT 1;
    ELSE
        PERFORM 1 FROM new_rows n JOIN old_rows o ON o.id = n.id
        WHERE n.year = 0 AND n.sector = '' AND (n.household_id IS NOT NULL OR o.household_id IS NOT NULL)
            AND (n.first_day IS DISTINCT FROM o.first_day OR n.household_id IS DISTINCT FROM o.household_id
                 OR o.year <> 0 OR o.sector <> '')
        LIMIT 1;
    END IF;
    IF FOUND THEN
        PERFORM pg_advisory_xact_lock_shared({LOCK});
        INSERT INTO donations_outcomeswrite DEFAULT VALUES;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER donations_outcomes_statuses
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON households_householdstatus
    FOR EACH STATEMENT EXECUTE FUNCTION donations_outcomes_written();
CREATE TRIGGER donations_outcomes_changes
    AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON households_statuschange
    FOR EACH STATEMENT EXECUTE FUNCTION donations_outcomes_written();
CREATE TRIGGER donations_outcomes_households
    AFTER UPDATE OF village_id OR DELETE OR TRUNCATE ON households_household
    FOR EACH STATEMENT EXECUTE FUNCTION donations_outcomes_written();
CREATE TRIGGER donations_outcomes_villages
    AFTER UPDATE OF commune_id OR DELETE OR TRUNCATE ON communes_village
    FOR EACH STATEMENT EXECUTE FUNCTION donations_outcomes_written();
CREATE TRIGGER donations_outcomes_first_help_added
    AFTER INSERT ON donations_recipienttally REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION donations_first_help_written();
CREATE TRIGGER donations_outcomes_first_help_removed
    AFTER DELETE ON donations_recipienttally REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION donations_first_help_written();
CREATE TRIGGER donations_outcomes_first_help_moved
    AFTER UPDATE ON donations_recipienttally REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION donations_first_help_written();
CREATE TRIGGER donations_outcomes_tallies_emptied
    AFTER TRUNCATE ON donations_recipienttally
    FOR EACH STATEMENT EXECUTE FUNCTION donations_outcomes_written();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS donations_outcomes_tallies_emptied ON donations_recipienttally;
DROP TRIGGER IF EXISTS donations_outcomes_first_help_moved ON donations_recipienttally;
DROP TRIGGER IF EXISTS donations_outcomes_first_help_removed ON donations_recipienttally;
DROP TRIGGER IF EXISTS donations_outcomes_first_help_added ON donations_recipienttally;
DROP TRIGGER IF EXISTS donations_outcomes_villages ON communes_village;
DROP TRIGGER IF EXISTS donations_outcomes_households ON households_household;
DROP TRIGGER IF EXISTS donations_outcomes_changes ON households_statuschange;
DROP TRIGGER IF EXISTS donations_outcomes_statuses ON households_householdstatus;
DROP FUNCTION IF EXISTS donations_first_help_written();
DROP FUNCTION IF EXISTS donations_outcomes_written();
DROP TABLE IF EXISTS donations_outcomesmemo;
DROP TABLE IF EXISTS donations_outcomeswrite;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("donations", "0021_first_help_read_from_an_index"),
        ("households", "0012_listed_statuses_and_codes_searched_by_index"),
        ("communes", "0004_dates_between_1900_and_2100"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
