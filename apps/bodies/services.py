"""Writing an issuing body together with its area, so the area rules hold however the data comes in."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from apps.bodies.models import IssuingBody


@transaction.atomic
def save_issuing_body(body: IssuingBody, *, communes: Iterable) -> IssuingBody:
    """Validate the body and its area (whole installation, or communes nobody else covers then), then save both."""
    communes = list(communes)
    body.full_clean()
    body.clean_area(communes)
    body.save()
    body.communes.set(communes)
    return body
