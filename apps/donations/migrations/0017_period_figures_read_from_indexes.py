from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("communes", "0004_dates_between_1900_and_2100"),
        ("donations", "0016_figures_read_from_their_indexes_alone"),
        ("households", "0011_status_changes_kept_by_triggers"),
        ("units", "0005_unit_name_index"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="recipientday",
            index=models.Index(
                fields=["day"], include=("sector", "household", "student"), name="donations_recip_day_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="sectorday",
            index=models.Index(
                fields=["day"],
                include=("kind", "item", "donations", "amount_vnd", "quantity", "labour_days", "sector"),
                name="donations_sectorday_day_idx",
            ),
        ),
    ]
