from django.db import migrations

# The donations list finds a donation by its member's name without diacritics
# (UPPER(taybinh_unaccent(name)) LIKE '%…%', apps.core.admin_base.contains_text) through a trigram index,
# as a household head's name is (households/0004): a province has 20.000 members.
CREATE = """
CREATE INDEX units_member_name_search_idx ON units_member
    USING gin ((UPPER(taybinh_unaccent(name)::text)) gin_trgm_ops);
"""


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_immutable_unaccent_for_search_indexes"),
        ("units", "0005_unit_name_index"),
    ]

    operations = [migrations.RunSQL(CREATE, "DROP INDEX units_member_name_search_idx;")]
