"""Writes with rules across records: renaming a place or unit, moving villages to another commune."""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from apps.communes.models import Commune, Village, VillageCommune, document_date
from apps.communes.periods import FAR_PAST
from apps.core.services import save_validated

MOVE_TO_SAME_COMMUNE = _("Villages cannot move to the commune they belong to.")
MOVE_BEFORE_LAST_PERIOD = _(
    "Village %(village)s has a later change of commune (from %(start)s); record moves in order."
)
RENAME_TO_SAME_NAME = _("The new name is the name it already has.")
RENAME_BEFORE_LAST_RENAME = _("It was already renamed on or after this date; record renames in order.")

ONE_DAY = datetime.timedelta(days=1)


@transaction.atomic
def move_villages(*, from_commune: Commune, to_commune: Commune, on: datetime.date) -> list[Village]:
    """Move every village of ``from_commune`` to ``to_commune`` from the day ``on`` (a merger's first day).

    Each village's period under the old commune ends the day before; a village whose periods were never
    recorded gets its first one (from FAR_PAST). Help given before ``on`` stays counted under the old
    commune, help from ``on`` under the new one.
    """
    if from_commune.pk == to_commune.pk:
        raise ValidationError(MOVE_TO_SAME_COMMUNE)
    villages = list(Village.objects.select_for_update().filter(commune=from_commune).order_by("pk"))
    for village in villages:
        last = village.commune_periods.order_by("-start").first()
        if last is not None and last.start >= on:
            raise ValidationError(
                MOVE_BEFORE_LAST_PERIOD % {"village": village.name, "start": document_date(last.start)}
            )
        if last is None:
            last = VillageCommune(village=village, commune=from_commune, start=FAR_PAST)
        last.end = on - ONE_DAY
        last.full_clean()
        last.save()
        moved = VillageCommune(village=village, commune=to_commune, start=on)
        moved.full_clean()
        moved.save()
        village.commune = to_commune
        village.full_clean()
        village.save(update_fields=["commune"])
    return villages


@transaction.atomic
def save_village_commune(period: VillageCommune, **options) -> VillageCommune:
    """Record that a village belonged to a commune for a period (the importer's ``village_communes``).

    An open-ended period is where the village is now: ``Village.commune`` follows it, so lists of the
    commune's villages and donations counted by commune agree with the history.
    """
    save_validated(period, **options)
    village = period.village
    if period.end is None and village.commune_id != period.commune_id:
        village.commune = period.commune
        village.full_clean()
        village.save(update_fields=["commune"])
    return period


@transaction.atomic
def rename(record: models.Model, *, name: str, on: datetime.date) -> models.Model:
    """Give a commune, village, unit or group of units a new ``name`` from the day ``on``.

    The old name is kept in the record's ``names`` history up to the day before, so pages and
    documents about earlier days keep using it.
    """
    # Any of the four models with a name history (Commune, Village, Unit, UnitGroup).
    record = type(record)._default_manager.select_for_update().get(pk=record.pk)
    if name == record.name:  # type: ignore[attr-defined]
        raise ValidationError({"name": RENAME_TO_SAME_NAME})
    names = record.names  # type: ignore[attr-defined]
    last = names.order_by("-start").first()
    if last is not None and (last.end is None or last.end >= on - ONE_DAY):
        raise ValidationError({"name": RENAME_BEFORE_LAST_RENAME})
    first_day = last.end + ONE_DAY if last else FAR_PAST
    old = names.model(**{names.field.name: record}, name=record.name, start=first_day)  # type: ignore[attr-defined]
    old.end = on - ONE_DAY
    old.full_clean()
    old.save()
    record.name = name  # type: ignore[attr-defined]
    record.full_clean()
    record.save(update_fields=["name"])
    return record
