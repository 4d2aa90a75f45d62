"""Every existing village gets one open period under its commune, starting on 01/01/1900.

A far-past start rather than the village's first record: a record entered later with an older date must
still fall inside the period, or it would be counted under ``Village.commune``, which after a move is the
new commune. Villages created later get their period when they first move (services.move_villages); until
then they fall back to ``Village.commune``, which is the same answer.
"""

import datetime

from django.db import migrations

FAR_PAST = datetime.date(1900, 1, 1)


def open_one_period_per_village(apps, schema_editor):
    Village = apps.get_model("communes", "Village")
    VillageCommune = apps.get_model("communes", "VillageCommune")
    VillageCommune.objects.bulk_create(
        VillageCommune(village_id=village_id, commune_id=commune_id, start=FAR_PAST)
        for village_id, commune_id in Village.objects.filter(commune_periods__isnull=True).values_list(
            "id", "commune_id"
        )
    )


def remove_the_opening_periods(apps, schema_editor):
    VillageCommune = apps.get_model("communes", "VillageCommune")
    VillageCommune.objects.filter(start=FAR_PAST, end__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("communes", "0002_names_and_village_periods"),
    ]

    operations = [
        migrations.RunPython(open_one_period_per_village, remove_the_opening_periods),
    ]
