from django.contrib.auth.management import create_permissions
from django.db import migrations


def create_role_groups(apps, schema_editor):
    from apps.accounts.roles import sync_role_groups

    # Permissions are normally created after the whole migrate; make them now so the groups get them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    sync_role_groups(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("donations", "0003_standard_items"),
        ("households", "0001_initial"),
        ("pledges", "0001_initial"),
    ]
    operations = [migrations.RunPython(create_role_groups, migrations.RunPython.noop)]
