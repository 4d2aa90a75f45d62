"""The role groups lose "huyện": a group still named as before is renamed, keeping its members and permissions.

The names are written here, not imported from apps.accounts.roles, so that this migration keeps meaning
what it meant whatever the roles are called later.
"""

from django.db import migrations

RENAMED = {
    "Cán bộ chương trình huyện": "Cán bộ theo dõi chương trình",
    "Lãnh đạo (Thường trực Huyện ủy)": "Lãnh đạo (Thường trực cấp ủy)",
    "Đầu mối xã, thị trấn": "Đầu mối xã, phường, thị trấn",
}


def rename_groups(apps, old_to_new: dict[str, str]) -> None:
    Group = apps.get_model("auth", "Group")
    for old_name, new_name in old_to_new.items():
        old = Group.objects.filter(name=old_name).first()
        if old is None:
            continue
        new = Group.objects.filter(name=new_name).first()
        if new is None:
            old.name = new_name
            old.save(update_fields=["name"])
            continue
        # Both exist (the roles' sync after a migrate back created the other): one group, with everyone in it.
        new.user_set.add(*old.user_set.all())
        new.permissions.add(*old.permissions.all())
        old.delete()


def forwards(apps, schema_editor):
    rename_groups(apps, RENAMED)


def backwards(apps, schema_editor):
    rename_groups(apps, {new: old for old, new in RENAMED.items()})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_create_role_groups")]
    operations = [migrations.RunPython(forwards, backwards)]
