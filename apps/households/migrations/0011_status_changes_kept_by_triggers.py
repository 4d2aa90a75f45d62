"""StatusChange, kept exact by the database: every statement that writes classifications (bulk or not,
COPY included) recounts the changes of the households it touched, set-based, in the same transaction.

The rule is apps.households.changes' (``changes_between``), written here in SQL over each household's
classifications in review order (HouseholdStatusQuerySet.in_review_order); tests hold the two together.
"""

import django.db.models.deletion
from django.db import migrations, models

FUNCTIONS = r"""
CREATE FUNCTION households_recount_changes(p_households bigint[]) RETURNS void LANGUAGE sql AS $$
    DELETE FROM households_statuschange WHERE household_id = ANY(p_households);
    INSERT INTO households_statuschange
        (household_id, year, previous, status, escaped_poverty, escaped_near_poverty, newly_poor, fell_back)
    SELECT household_id, year, previous, status, escaped_poverty, escaped_near_poverty, newly_poor, fell_back
    FROM (
        SELECT household_id, year, previous, status,
               previous = 'poor' AND status <> 'poor' AS escaped_poverty,
               previous = 'near_poor' AND status NOT IN ('poor', 'near_poor') AS escaped_near_poverty,
               status = 'poor' AND previous <> 'poor' AND NOT poor_earlier AS newly_poor,
               status = 'poor' AND previous <> 'poor' AND poor_earlier AS fell_back
        FROM (
            SELECT household_id, year, status,
                   LAG(status) OVER w AS previous,
                   COALESCE(
                       BOOL_OR(status = 'poor') OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 2 PRECEDING), FALSE
                   ) AS poor_earlier
            FROM households_householdstatus
            WHERE household_id = ANY(p_households)
            WINDOW w AS (PARTITION BY household_id ORDER BY year, decided_on NULLS FIRST, id)
        ) AS ordered
        WHERE previous IS NOT NULL
    ) AS changes
    WHERE escaped_poverty OR escaped_near_poverty OR newly_poor OR fell_back;
$$;

CREATE FUNCTION households_statuses_written() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM households_recount_changes(ARRAY(SELECT DISTINCT household_id FROM new_rows));
    ELSIF TG_OP = 'DELETE' THEN
        PERFORM households_recount_changes(ARRAY(SELECT DISTINCT household_id FROM old_rows));
    ELSE
        PERFORM households_recount_changes(
            ARRAY(SELECT household_id FROM new_rows UNION SELECT household_id FROM old_rows)
        );
    END IF;
    RETURN NULL;
END
$$;
CREATE FUNCTION households_statuses_truncated() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE households_statuschange;
    RETURN NULL;
END
$$;
CREATE TRIGGER households_statuses_inserted
    AFTER INSERT ON households_householdstatus REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION households_statuses_written();
CREATE TRIGGER households_statuses_deleted
    AFTER DELETE ON households_householdstatus REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION households_statuses_written();
CREATE TRIGGER households_statuses_updated
    AFTER UPDATE ON households_householdstatus REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION households_statuses_written();
CREATE TRIGGER households_statuses_truncated
    AFTER TRUNCATE ON households_householdstatus
    FOR EACH STATEMENT EXECUTE FUNCTION households_statuses_truncated();

SELECT households_recount_changes(ARRAY(SELECT id FROM households_household));
"""

REVERSE = r"""
DROP TRIGGER IF EXISTS households_statuses_truncated ON households_householdstatus;
DROP TRIGGER IF EXISTS households_statuses_updated ON households_householdstatus;
DROP TRIGGER IF EXISTS households_statuses_deleted ON households_householdstatus;
DROP TRIGGER IF EXISTS households_statuses_inserted ON households_householdstatus;
DROP FUNCTION IF EXISTS households_statuses_truncated();
DROP FUNCTION IF EXISTS households_statuses_written();
DROP FUNCTION IF EXISTS households_recount_changes(bigint[]);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("households", "0010_household_national_review_code"),
    ]

    operations = [
        migrations.CreateModel(
            name="StatusChange",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("year", models.PositiveSmallIntegerField()),
                ("previous", models.CharField(max_length=10)),
                ("status", models.CharField(max_length=10)),
                ("escaped_poverty", models.BooleanField()),
                ("escaped_near_poverty", models.BooleanField()),
                ("newly_poor", models.BooleanField()),
                ("fell_back", models.BooleanField()),
                (
                    "household",
                    models.ForeignKey(
                        db_constraint=False,
                        db_index=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        related_name="+",
                        to="households.household",
                    ),
                ),
            ],
            options={
                "indexes": [models.Index(fields=["household", "year"], name="households_change_idx")],
            },
        ),
        migrations.RunSQL(FUNCTIONS, REVERSE),
    ]
