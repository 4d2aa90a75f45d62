"""An installation that printed its letterhead from the programme settings keeps printing it.

When the settings row exists and no issuing body does yet, its letterhead becomes a body covering
the whole installation from the programme's start, open-ended. Backwards, the settings take their
letterhead again from the latest body covering the whole installation (the bodies are kept).
"""

from django.db import migrations

MIGRATED_CODE = "CQBH_CAI_DAT"


def _sentence_case(text: str) -> str:
    """ "HUYỆN ỦY TÂY HÒA" -> "Huyện Ủy Tây Hòa": a body's name is stored as written in a sentence."""
    return text.title() if text.isupper() else text


def settings_to_body(apps, schema_editor):
    ProgrammeSettings = apps.get_model("core", "ProgrammeSettings")
    IssuingBody = apps.get_model("bodies", "IssuingBody")
    row = ProgrammeSettings.objects.filter(pk=1).first()
    if row is None or not row.issuing_body.strip() or IssuingBody.objects.exists():
        return
    IssuingBody.objects.create(
        code=MIGRATED_CODE,
        name=_sentence_case(row.issuing_body.strip()),
        superior_body=_sentence_case(row.superior_body.strip()),
        symbol=row.issuing_body_code,
        place_name=row.place_name,
        signer_title=row.signer_title,
        signer_role=row.signer_role,
        signer_name=row.signer_name,
        plan_number="",
        plan_date=row.programme_start,
        plan_title=row.programme_name,
        start=row.programme_start,
        end=None,
        whole_installation=True,
    )


def body_to_settings(apps, schema_editor):
    ProgrammeSettings = apps.get_model("core", "ProgrammeSettings")
    IssuingBody = apps.get_model("bodies", "IssuingBody")
    row = ProgrammeSettings.objects.filter(pk=1).first()
    body = IssuingBody.objects.filter(whole_installation=True).order_by("-start").first()
    if row is None or body is None:
        return
    row.issuing_body = body.name.upper()
    row.superior_body = body.superior_body.upper()
    row.issuing_body_code = body.symbol
    row.place_name = body.place_name
    row.signer_title = body.signer_title
    row.signer_role = body.signer_role
    row.signer_name = body.signer_name
    row.save()


class Migration(migrations.Migration):
    dependencies = [
        ("bodies", "0001_issuing_bodies"),
        ("core", "0002_programme_start_default_is_a_date"),
    ]
    # The settings' letterhead fields are removed by core's next migration: read them before.
    run_before = [("core", "0003_letterhead_moves_to_issuing_bodies")]

    operations = [migrations.RunPython(settings_to_body, body_to_settings)]
