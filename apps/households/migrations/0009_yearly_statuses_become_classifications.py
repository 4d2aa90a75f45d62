"""Today's yearly statuses become classifications: a list under the standard of their year.

The old statuses mixed lists, events and a flag. A list is kept as it was (poor, near-poor, none); "escaped"
was an event, not a list: the household was no longer on the poor list, and which list it was on was not
recorded, so it becomes "none" (the change before it still reads as "escaped poverty", now derived);
"at risk of falling back" was the programme's flag on a household no longer poor: list "none", flag set.
Every row keeps its household and year, so every count by household and year stays the same.
"""

from django.db import migrations


def carry_over(apps, schema_editor):
    HouseholdStatus = apps.get_model("households", "HouseholdStatus")
    PovertyStandard = apps.get_model("households", "PovertyStandard")
    # Every row is still audited; an empty "ignore" list spares each row's trigger a caught error, whose cost
    # grows with the rows already written in the transaction (a million statuses took hours, see importer.py).
    schema_editor.execute("SELECT set_config('pgtrigger.ignore', '{}', true)")
    HouseholdStatus.objects.filter(status="at_risk").update(status="none", at_risk=True)
    HouseholdStatus.objects.filter(status="escaped").update(status="none")
    # One plain UPDATE per standard (its years), not a subquery per row.
    for standard in PovertyStandard.objects.order_by("first_year"):
        HouseholdStatus.objects.filter(
            standard__isnull=True, year__gte=standard.first_year, year__lte=standard.last_year
        ).update(standard=standard)


def carry_back(apps, schema_editor):
    HouseholdStatus = apps.get_model("households", "HouseholdStatus")
    HouseholdStatus.objects.filter(at_risk=True).update(status="at_risk")
    HouseholdStatus.objects.filter(review_round="during_year").delete()


class Migration(migrations.Migration):
    dependencies = [("households", "0008_load_poverty_standards")]

    operations = [migrations.RunPython(carry_over, carry_back)]
