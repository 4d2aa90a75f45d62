"""Generic write path for records whose rules live entirely on the model."""

from __future__ import annotations

from collections.abc import Collection

from django.db import models, transaction


@transaction.atomic
def save_validated(
    instance: models.Model, *, validate_constraints: bool = True, exclude: Collection[str] | None = None
) -> models.Model:
    """full_clean() (fields, clean(), unique and check constraints) then save().

    The importer, for speed, passes ``validate_constraints=False`` and excludes the links it has
    just looked up; the database still enforces both and refuses the row by constraint name.
    """
    instance.full_clean(exclude=exclude, validate_constraints=validate_constraints)
    instance.save()
    return instance
