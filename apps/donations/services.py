"""Writes with rules across records. The admin, the importer and any view call these."""

from __future__ import annotations

from django.db import transaction

from apps.donations.models import Donation, Repayment


@transaction.atomic
def save_donation(donation: Donation) -> Donation:
    """Validate every rule (fields, constraints, links to unit/member/pledge) and save."""
    if donation.pk:
        # Lock the row: a concurrent repayment must see the amount we are about to write.
        Donation.objects.select_for_update().filter(pk=donation.pk).first()
    donation.full_clean()
    donation.save()
    return donation


@transaction.atomic
def save_repayment(repayment: Repayment) -> Repayment:
    """Record a repayment; two clerks repaying one loan at once cannot exceed it together."""
    Donation.objects.select_for_update().filter(pk=repayment.loan_id).first()
    repayment.full_clean()
    repayment.save()
    return repayment
