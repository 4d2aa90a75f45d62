from django.db import migrations

# A repayment can never take a loan's repaid total above the loan. The rule spans rows, so a
# CHECK constraint cannot express it; this trigger holds it for every write, bulk or not.
# Repayment.clean() gives the friendly message first.
CREATE = """
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

DROP = """
DROP TRIGGER donations_loan_covers_repayments ON donations_donation;
DROP FUNCTION donations_loan_covers_repayments();
DROP TRIGGER donations_repayment_within_loan ON donations_repayment;
DROP FUNCTION donations_repayment_within_loan();
"""


class Migration(migrations.Migration):
    dependencies = [("donations", "0001_initial")]
    operations = [migrations.RunSQL(CREATE, DROP)]
