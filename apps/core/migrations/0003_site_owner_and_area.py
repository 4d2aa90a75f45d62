"""The public site's owner and area replace the district and province names, keeping what a site showed.

An existing row keeps its words: the owner is the body its header showed (``issuing_body``), the area
what its titles and footer said ("huyện Tây Hòa, tỉnh Phú Yên"). ``issuing_body`` is read only while its
column exists: the letterhead fields leave this model in another migration, which may run first.
"""

from django.db import migrations, models


def area_and_owner_from_place(apps, schema_editor):
    ProgrammeSettings = apps.get_model("core", "ProgrammeSettings")
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        columns = {c.name for c in connection.introspection.get_table_description(cursor, "core_programmesettings")}
    for row in ProgrammeSettings.objects.only("pk", "district_name", "province_name"):
        parts = [
            f"huyện {row.district_name}" if row.district_name else "",
            f"tỉnh {row.province_name}" if row.province_name else "",
        ]
        row.area_name = ", ".join(part for part in parts if part)
        fields = ["area_name"]
        if "issuing_body" in columns:
            row.site_owner = ProgrammeSettings.objects.filter(pk=row.pk).values_list("issuing_body", flat=True)[0]
            fields.append("site_owner")
        row.save(update_fields=fields)


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
        ("core", "0002_programme_start_default_is_a_date"),
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
        migrations.AddField(
            model_name="programmesettings",
            name="site_owner",
            field=models.CharField(
                blank=True,
                help_text="Shown at the top and the bottom of every public page, e.g. the party committee or board.",
                max_length=200,
                verbose_name="owner of the website",
            ),
        ),
        migrations.RunPython(area_and_owner_from_place, place_from_area),
        migrations.RemoveField(model_name="programmesettings", name="district_name"),
        migrations.RemoveField(model_name="programmesettings", name="province_name"),
    ]
