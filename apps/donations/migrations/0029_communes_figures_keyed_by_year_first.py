"""CommuneFigures' key with the year before the sector (issue 10): a commune's rows of all years (its figures since
the start; every commune's, for the commune list) are one range of the key each, not one per sector among every
year's rows (the commune list read the whole table, 24.000 rows at province, for its 2.400). The triggers' ON
CONFLICT names the same columns, which PostgreSQL matches in any order."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("donations", "0028_communes_counts_kept"),
    ]

    operations = [
        migrations.RemoveConstraint(model_name="communefigures", name="donations_communefigures_key"),
        migrations.AddConstraint(
            model_name="communefigures",
            constraint=models.UniqueConstraint(
                fields=("commune", "year", "sector", "kind", "item"),
                name="donations_communefigures_key",
                nulls_distinct=False,
            ),
        ),
    ]
