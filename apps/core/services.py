"""Generic write path for records whose rules live entirely on the model."""

from __future__ import annotations

from django.db import models, transaction


@transaction.atomic
def save_validated(instance: models.Model, *, validate_constraints: bool = True) -> models.Model:
    """full_clean() (fields, clean(), unique and check constraints) then save().

    ``validate_constraints=False`` (the importer, for speed) leaves CHECK, unique and exclusion
    constraints to the database alone, which refuses the row with the constraint's name.
    """
    instance.full_clean(validate_constraints=validate_constraints)
    instance.save()
    return instance
