"""The public site's area replaces the district and province names, keeping what a site showed.

An existing row keeps its words: the area is what its titles and footer said ("huyện Tây Hòa, tỉnh Phú Yên").
The site's owner (``site_owner``) was the header's issuing body, renamed in 0003.
"""

from django.db import migrations, models


def area_from_place(apps, schema_editor):
    ProgrammeSettings = apps.get_model("core", "ProgrammeSettings")
    for row in ProgrammeSettings.objects.only("pk", "district_name", "province_name"):
        parts = [
            f"huyện {row.district_name}" if row.district_name else "",
            f"tỉnh {row.province_name}" if row.province_name else "",
        ]
        row.area_name = ", ".join(part for part in parts if part)
        row.save(update_fields=["area_name"])


def place_from_area(apps, schema_editor):
    """Going back, the area's words return to the district and province names as well as they can."""
    ProgrammeSettings = apps.get_model("core", "ProgrammeSettings")
    for row in ProgrammeSettings.objects.all():
        district, _comma, province = row.area_name.partition(", ")
        row.district_name = district.removeprefix("huyện ")[:100]
        row.province_name = province.removeprefix("tỉnh ")[:100]
        row.save(update_fields=["district_name", "province_name"])


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0004_immutable_unaccent_for_search_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="programmesettings",
            name="area_name",
            field=models.CharField(
                blank=True,
                help_text="The area the website covers, as page titles write it, e.g. “tỉnh Đắk Lắk”.",
                max_length=200,
                verbose_name="area",
            ),
        ),
        migrations.RunPython(area_from_place, place_from_area),
        migrations.RemoveField(model_name="programmesettings", name="district_name"),
        migrations.RemoveField(model_name="programmesettings", name="province_name"),
    ]
