from django.db import migrations

# 0002's check aggregated without GROUP BY, so a donation with no repayments still formed one
# group and "kind <> 'loan'" made EXISTS true: saving any existing money, goods or labour
# donation (admin edit, re-import) failed. Grouping by loan leaves no group when nothing was repaid.
FIXED = """
CREATE OR REPLACE FUNCTION donations_loan_covers_repayments() RETURNS trigger AS $$
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
"""

ORIGINAL = """
CREATE OR REPLACE FUNCTION donations_loan_covers_repayments() RETURNS trigger AS $$
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
"""


class Migration(migrations.Migration):
    dependencies = [("donations", "0004_audit_trail_triggers")]
    operations = [migrations.RunSQL(FIXED, ORIGINAL)]
