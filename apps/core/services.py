"""Generic write path for records whose rules live entirely on the model."""

from __future__ import annotations

from django.db import models, transaction


@transaction.atomic
def save_validated(instance: models.Model) -> models.Model:
    """full_clean() (fields, clean(), unique and check constraints) then save()."""
    instance.full_clean()
    instance.save()
    return instance
