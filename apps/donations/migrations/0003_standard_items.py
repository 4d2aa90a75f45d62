from django.db import migrations

# The six items the contract promises are always present (CONTRACT.md, "Import format").
STANDARD_ITEMS = [
    ("gao", "Gạo", "kg", 10),
    ("duong", "Đường", "kg", 20),
    ("sach", "Sách", "bộ", 30),
    ("vo", "Vở", "quyển", 40),
    ("quan_ao", "Quần áo", "bộ", 50),
    ("xe_dap", "Xe đạp", "chiếc", 60),
]


def add_standard_items(apps, schema_editor):
    Item = apps.get_model("donations", "Item")
    for code, name, measure, position in STANDARD_ITEMS:
        Item.objects.get_or_create(code=code, defaults={"name": name, "measure": measure, "position": position})


class Migration(migrations.Migration):
    dependencies = [("donations", "0002_repayment_within_loan_trigger")]
    operations = [migrations.RunPython(add_standard_items, migrations.RunPython.noop)]
