"""Generic write path for records whose rules live entirely on the model."""

from __future__ import annotations

from collections.abc import Collection

from django.db import models, transaction

from apps.core.text import nfc


@transaction.atomic
def save_validated(
    instance: models.Model, *, validate_constraints: bool = True, exclude: Collection[str] | None = None
) -> models.Model:
    """full_clean() (fields, clean(), unique and check constraints) then save().

    The importer, for speed, passes ``validate_constraints=False`` and excludes the links it has
    just looked up; the database still enforces both and refuses the row by constraint name.
    """
    normalise_texts(instance)
    instance.full_clean(exclude=exclude, validate_constraints=validate_constraints)
    instance.save()
    return instance


def normalise_texts(instance: models.Model) -> None:
    """Every text field of ``instance`` in NFC, before validation: "HỘ" typed decomposed is the same code as "HỘ".

    Done before full_clean() so that uniqueness is checked on what will be stored.
    """
    for field in instance._meta.concrete_fields:
        if isinstance(field, (models.CharField, models.TextField)):
            value = getattr(instance, field.attname)
            if isinstance(value, str):
                setattr(instance, field.attname, nfc(value))
