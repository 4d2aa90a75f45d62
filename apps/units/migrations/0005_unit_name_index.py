from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("communes", "0004_dates_between_1900_and_2100"),
        ("units", "0004_dates_between_1900_and_2100"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="unit",
            index=models.Index(fields=["name"], name="units_unit_name_idx"),
        ),
    ]
