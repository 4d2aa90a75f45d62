"""Writes with rules across records. The admin, the importer and any view call these."""

from __future__ import annotations

from collections.abc import Collection

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from apps.accounts.stale import refuse_stale_edit
from apps.core.services import normalise_texts
from apps.donations.models import REPAYMENT_EXCEEDS_LOAN, REPAYMENT_WITHIN_LOAN, Donation, Repayment


@transaction.atomic
def save_donation(
    donation: Donation,
    *,
    validate_constraints: bool = True,
    exclude: Collection[str] | None = None,
    seen_version: int | None = None,
) -> Donation:
    """Validate every rule (fields, constraints, links to unit/member/pledge) and save.

    The importer, for speed, passes ``validate_constraints=False`` and excludes the links it has
    just looked up: each would cost a query per row, and the database still enforces both.
    ``seen_version`` (apps.accounts.stale): the version the change was made from; a later change by
    someone else refuses the save with what they changed.
    """
    if donation.pk:
        # Lock the row: a concurrent repayment must see the amount we are about to write.
        Donation.objects.select_for_update().filter(pk=donation.pk).first()
        refuse_stale_edit(donation, seen_version)
    normalise_texts(donation)
    donation.full_clean(exclude=exclude, validate_constraints=validate_constraints)
    donation.save()
    return donation


@transaction.atomic
def save_repayment(
    repayment: Repayment,
    *,
    validate_constraints: bool = True,
    exclude: Collection[str] | None = None,
    seen_version: int | None = None,
) -> Repayment:
    """Record a repayment; two clerks repaying one loan at once cannot exceed it together.

    The loser of such a race gets the same ValidationError as a clerk who typed too much, never a
    database error: the loan is locked before the check, and the trigger's refusal, should anything
    get past the check, is turned into that message.
    """
    lock_loan(repayment.loan_id)
    refuse_stale_edit(repayment, seen_version)
    normalise_texts(repayment)
    repayment.full_clean(exclude=exclude, validate_constraints=validate_constraints)
    try:
        with transaction.atomic():
            repayment.save()
    except DatabaseError as error:
        if REPAYMENT_WITHIN_LOAN in str(error):
            raise ValidationError({"amount_vnd": REPAYMENT_EXCEEDS_LOAN}) from error
        raise
    return repayment


def lock_loan(loan_id: int | None) -> None:
    """Hold the loan's row until the transaction ends, so what was repaid on it cannot change meanwhile.

    The admin calls this while validating its form (it validates and saves in one transaction), so
    eight clerks repaying one loan at once are served one after the other and the check sees each saved repayment.
    """
    if loan_id is not None:
        Donation.objects.select_for_update().filter(pk=loan_id).values_list("pk", flat=True).first()
