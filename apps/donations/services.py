"""Writes with rules across records. The admin, the importer and any view call these."""

from __future__ import annotations

from django.db import transaction

from apps.donations.models import Donation, Repayment


@transaction.atomic
def save_donation(donation: Donation, *, validate_constraints: bool = True) -> Donation:
    """Validate every rule (fields, constraints, links to unit/member/pledge) and save.

    The importer passes ``validate_constraints=False``: each CHECK constraint then costs no
    query of its own, the database still refuses the row, and clean() has said why first.
    """
    if donation.pk:
        # Lock the row: a concurrent repayment must see the amount we are about to write.
        Donation.objects.select_for_update().filter(pk=donation.pk).first()
    donation.full_clean(validate_constraints=validate_constraints)
    donation.save()
    return donation


@transaction.atomic
def save_repayment(repayment: Repayment, *, validate_constraints: bool = True) -> Repayment:
    """Record a repayment; two clerks repaying one loan at once cannot exceed it together."""
    Donation.objects.select_for_update().filter(pk=repayment.loan_id).first()
    repayment.full_clean(validate_constraints=validate_constraints)
    repayment.save()
    return repayment
