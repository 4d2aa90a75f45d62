from django.db import migrations

# The donations, repayments, statuses and households lists find a household by its head's name
# without diacritics: UPPER(taybinh_unaccent(head_name)) LIKE '%…%', as apps.core.admin_base.contains_text writes it.
CREATE = """
CREATE INDEX households_head_name_search_idx ON households_household
    USING gin ((UPPER(taybinh_unaccent(head_name)::text)) gin_trgm_ops);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_immutable_unaccent_for_search_indexes"),
        ("households", "0003_audit_history_lookup_index"),
    ]

    operations = [migrations.RunSQL(CREATE, "DROP INDEX households_head_name_search_idx;")]
