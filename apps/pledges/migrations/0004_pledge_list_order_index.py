from django.db import migrations

# The admin's pledges list is ordered like the model (latest start first, then by code): a page reads
# its rows in order from this index instead of sorting every pledge.
CREATE = "CREATE INDEX pledges_admin_list_order_idx ON pledges_pledge (start DESC, code);"


class Migration(migrations.Migration):
    dependencies = [("pledges", "0003_audit_history_lookup_index")]

    operations = [migrations.RunSQL(CREATE, "DROP INDEX pledges_admin_list_order_idx;")]
