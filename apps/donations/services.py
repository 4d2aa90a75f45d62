"""Writes with rules across records. The admin, the importer and any view call these."""

from __future__ import annotations

from collections.abc import Collection

from django.db import transaction

from apps.donations.models import Donation, Repayment


@transaction.atomic
def save_donation(
    donation: Donation, *, validate_constraints: bool = True, exclude: Collection[str] | None = None
) -> Donation:
    """Validate every rule (fields, constraints, links to unit/member/pledge) and save.

    The importer, for speed, passes ``validate_constraints=False`` and excludes the links it has
    just looked up: each would cost a query per row, and the database still enforces both.
    """
    if donation.pk:
        # Lock the row: a concurrent repayment must see the amount we are about to write.
        Donation.objects.select_for_update().filter(pk=donation.pk).first()
    donation.full_clean(exclude=exclude, validate_constraints=validate_constraints)
    donation.save()
    return donation


@transaction.atomic
def save_repayment(
    repayment: Repayment, *, validate_constraints: bool = True, exclude: Collection[str] | None = None
) -> Repayment:
    """Record a repayment; two clerks repaying one loan at once cannot exceed it together."""
    Donation.objects.select_for_update().filter(pk=repayment.loan_id).first()
    repayment.full_clean(exclude=exclude, validate_constraints=validate_constraints)
    repayment.save()
    return repayment
