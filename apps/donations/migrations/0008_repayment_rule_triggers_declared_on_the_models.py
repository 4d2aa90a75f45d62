import pgtrigger.compiler
import pgtrigger.migrations
from django.db import migrations

# The repayment rule's triggers move from raw SQL (0002, fixed in 0005) to Repayment.Meta.triggers and
# Donation.Meta.triggers, where their text now lives beside the models. Same rule, same error text.
DROP_RAW_TRIGGERS = """
DROP TRIGGER donations_loan_covers_repayments ON donations_donation;
DROP FUNCTION donations_loan_covers_repayments();
DROP TRIGGER donations_repayment_within_loan ON donations_repayment;
DROP FUNCTION donations_repayment_within_loan();
"""

# Going back restores them as 0005 left them.
RAW_TRIGGERS = """
CREATE FUNCTION donations_repayment_within_loan() RETURNS trigger AS $$
DECLARE
    lent bigint;
    repaid bigint;
BEGIN
    SELECT amount_vnd INTO lent FROM donations_donation WHERE id = NEW.loan_id AND kind = 'loan' FOR UPDATE;
    IF lent IS NULL THEN
        RAISE EXCEPTION 'donations_repayment_on_loan: repayment % is not against a loan', NEW.reference
            USING ERRCODE = 'check_violation';
    END IF;
    SELECT COALESCE(SUM(amount_vnd), 0) INTO repaid FROM donations_repayment WHERE loan_id = NEW.loan_id;
    IF repaid > lent THEN
        RAISE EXCEPTION 'donations_repayment_within_loan: % repaid of % lent', repaid, lent
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER donations_repayment_within_loan
    AFTER INSERT OR UPDATE ON donations_repayment
    FOR EACH ROW EXECUTE FUNCTION donations_repayment_within_loan();

CREATE FUNCTION donations_loan_covers_repayments() RETURNS trigger AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM donations_repayment r WHERE r.loan_id = NEW.id
        GROUP BY r.loan_id
        HAVING NEW.kind <> 'loan' OR SUM(r.amount_vnd) > NEW.amount_vnd
    ) THEN
        RAISE EXCEPTION 'donations_repayment_within_loan: loan % is below its repayments', NEW.reference
            USING ERRCODE = 'check_violation';
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER donations_loan_covers_repayments
    AFTER UPDATE OF amount_vnd, kind ON donations_donation
    FOR EACH ROW EXECUTE FUNCTION donations_loan_covers_repayments();
"""


class Migration(migrations.Migration):
    dependencies = [
        ("donations", "0007_goods_and_labour_constraints_refuse_null"),
    ]

    operations = [
        migrations.RunSQL(DROP_RAW_TRIGGERS, RAW_TRIGGERS),
        pgtrigger.migrations.AddTrigger(
            model_name="donation",
            trigger=pgtrigger.compiler.Trigger(
                name="donations_loan_covers_repayments",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    func="\n                    IF EXISTS (\n                        SELECT 1 FROM donations_repayment r WHERE r.loan_id = NEW.id\n                        GROUP BY r.loan_id\n                        HAVING NEW.kind <> 'loan' OR SUM(r.amount_vnd) > NEW.amount_vnd\n                    ) THEN\n                        RAISE EXCEPTION 'donations_repayment_within_loan: loan % is below its repayments', NEW.reference\n                            USING ERRCODE = 'check_violation';\n                    END IF;\n                    RETURN NULL;\n                ",
                    hash="88dc796fe33ad9424a7ca943fd3324f02631ac41",
                    operation='UPDATE OF "amount_vnd", "kind"',
                    pgid="pgtrigger_donations_loan_covers_repayments_98784",
                    table="donations_donation",
                    when="AFTER",
                ),
            ),
        ),
        pgtrigger.migrations.AddTrigger(
            model_name="repayment",
            trigger=pgtrigger.compiler.Trigger(
                name="donations_repayment_within_loan",
                sql=pgtrigger.compiler.UpsertTriggerSql(
                    declare="DECLARE lent bigint; repaid bigint;",
                    func="\n                    SELECT amount_vnd INTO lent FROM donations_donation\n                        WHERE id = NEW.loan_id AND kind = 'loan' FOR UPDATE;\n                    IF lent IS NULL THEN\n                        RAISE EXCEPTION 'donations_repayment_on_loan: repayment % is not against a loan', NEW.reference\n                            USING ERRCODE = 'check_violation';\n                    END IF;\n                    SELECT COALESCE(SUM(amount_vnd), 0) INTO repaid FROM donations_repayment\n                        WHERE loan_id = NEW.loan_id;\n                    IF repaid > lent THEN\n                        RAISE EXCEPTION 'donations_repayment_within_loan: % repaid of % lent', repaid, lent\n                            USING ERRCODE = 'check_violation';\n                    END IF;\n                    RETURN NULL;\n                ",
                    hash="1f20c298381a9dd5ac6e5616d14c87ef7f830651",
                    operation="INSERT OR UPDATE",
                    pgid="pgtrigger_donations_repayment_within_loan_a7a1b",
                    table="donations_repayment",
                    when="AFTER",
                ),
            ),
        ),
    ]
