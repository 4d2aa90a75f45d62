"""The letterhead of printed documents now belongs to the issuing bodies (apps.bodies).

apps.bodies' migration 0002 first turns an existing installation's letterhead into an issuing
body; the name of the issuing body stays on as the public site's owner.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_programme_start_default_is_a_date"),
    ]

    operations = [
        migrations.RenameField(model_name="programmesettings", old_name="issuing_body", new_name="site_owner"),
        migrations.AlterField(
            model_name="programmesettings",
            name="site_owner",
            field=models.CharField(
                blank=True,
                help_text="Shown at the top and the foot of the public site, e.g. the party committee that runs it today.",
                max_length=200,
                verbose_name="site owner",
            ),
        ),
        migrations.RemoveField(model_name="programmesettings", name="superior_body"),
        migrations.RemoveField(model_name="programmesettings", name="issuing_body_code"),
        migrations.RemoveField(model_name="programmesettings", name="place_name"),
        migrations.RemoveField(model_name="programmesettings", name="signer_title"),
        migrations.RemoveField(model_name="programmesettings", name="signer_role"),
        migrations.RemoveField(model_name="programmesettings", name="signer_name"),
    ]
