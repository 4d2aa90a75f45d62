"""Writes of households' classifications: the admin and the importer go through the same rules."""

from __future__ import annotations

from collections.abc import Collection

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from apps.core.services import save_validated
from apps.households.models import (
    INDICATOR_NOT_OF_STANDARD,
    DeprivationIndicator,
    HouseholdStatus,
    PovertyCause,
    PovertyStandard,
)

UNKNOWN_CODES = _("no %(what)s with code %(codes)s")


def _quoted(codes: Collection[str]) -> str:
    return ", ".join(f"“{code}”" for code in sorted(codes))


@transaction.atomic
def save_classification(
    classification: HouseholdStatus, *, validate_constraints: bool = True, exclude: Collection[str] | None = None
) -> HouseholdStatus:
    """Save a classification and link the deprivations and causes an import row names by code.

    The deprivations must be indicators of the classification's standard (a 2016 indicator cannot be found
    in a 2023 review): refused with the codes named, and nothing written.
    """
    save_validated(classification, validate_constraints=validate_constraints, exclude=exclude)
    if classification._deprivation_codes is not None:
        codes = classification._deprivation_codes
        found = DeprivationIndicator.objects.in_bulk(codes, field_name="code")
        if unknown := [code for code in codes if code not in found]:
            raise ValidationError(
                {"deprivations": UNKNOWN_CODES % {"what": _("deprivation indicator"), "codes": _quoted(unknown)}}
            )
        check_deprivations(classification.standard, found.values())
        classification.deprivations.set(found.values())
    if classification._cause_codes is not None:
        codes = classification._cause_codes
        causes = PovertyCause.objects.in_bulk(codes, field_name="code")
        if unknown := [code for code in codes if code not in causes]:
            raise ValidationError(
                {"causes": UNKNOWN_CODES % {"what": _("cause of poverty"), "codes": _quoted(unknown)}}
            )
        classification.causes.set(causes.values())
    return classification


def check_deprivations(standard: PovertyStandard | None, deprivations: Collection[DeprivationIndicator]) -> None:
    """Refuse deprivations that are not indicators of the classification's standard."""
    allowed = set(standard.indicators.values_list("pk", flat=True)) if standard else set()
    if wrong := [d for d in deprivations if d.pk not in allowed]:
        names = ", ".join(f"“{d.code}”" for d in wrong)
        raise ValidationError(
            {"deprivations": INDICATOR_NOT_OF_STANDARD % {"names": names, "standard": standard or "—"}}
        )
