"""Today's yearly statuses become classifications: a list under the standard of their year.

The old statuses mixed lists, events and a flag. A list is kept as it was (poor, near-poor, none); "escaped"
was an event, not a list: the household was no longer on the poor list, and which list it was on was not
recorded, so it becomes "none" (the change before it still reads as "escaped poverty", now derived);
"at risk of falling back" was the programme's flag on a household no longer poor: list "none", flag set.
Every row keeps its household and year, so every count by household and year stays the same.
"""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def carry_over(apps, schema_editor):
    HouseholdStatus = apps.get_model("households", "HouseholdStatus")
    PovertyStandard = apps.get_model("households", "PovertyStandard")
    # Every row is still audited; an empty "ignore" list spares each row's trigger a caught error, whose cost
    # grows with the rows already written in the transaction (a million statuses took hours, see importer.py).
    schema_editor.execute("SELECT set_config('pgtrigger.ignore', '{}', true)")
    HouseholdStatus.objects.filter(status="at_risk").update(status="none", at_risk=True)
    HouseholdStatus.objects.filter(status="escaped").update(status="none")
    in_force = PovertyStandard.objects.filter(first_year__lte=OuterRef("year"), last_year__gte=OuterRef("year"))
    HouseholdStatus.objects.filter(standard__isnull=True).update(standard=Subquery(in_force.values("pk")[:1]))


def carry_back(apps, schema_editor):
    HouseholdStatus = apps.get_model("households", "HouseholdStatus")
    HouseholdStatus.objects.filter(at_risk=True).update(status="at_risk")
    HouseholdStatus.objects.filter(review_round="during_year").delete()


class Migration(migrations.Migration):
    dependencies = [("households", "0008_load_poverty_standards")]

    operations = [migrations.RunPython(carry_over, carry_back)]
