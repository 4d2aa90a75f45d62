"""Writes with rules across records. The admin, the importer and any view call these."""

from __future__ import annotations

import datetime
from collections.abc import Collection, Iterator
from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

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
    if not (donation.reference or "").strip() and donation.unit_id and donation.date:
        donation.reference = next_reference(unit_code=donation.unit.code, year=donation.date.year, lock=True)
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
    # The repayment's row before the loan's, as the admin's form takes them: never each waiting on the other.
    refuse_stale_edit(repayment, seen_version)
    lock_loan(repayment.loan_id)
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


@contextmanager
def figures_rebuilt_at_the_end() -> Iterator[None]:
    """For a bulk load of a whole programme: the figure triggers wait, one rebuild follows.

    Inside a transaction only (the settings are local to it): a load of a million donations pays a
    set-based rebuild once (seconds) instead of its facts statement by statement.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("figures_rebuilt_at_the_end() needs a transaction")
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('taybinh.figures_deferred', 'on', true)")
        yield
        cursor.execute("SELECT set_config('taybinh.figures_deferred', '', true)")
        cursor.execute("SELECT donations_rebuild_figures()")


@contextmanager
def figures_not_kept_before_rollback() -> Iterator[None]:
    """For a transaction that is always rolled back (an import's dry run): the figure triggers do nothing.

    The figures they would keep are undone with the rest, so maintaining them is wasted work (about
    half of the database's time per imported donation). Never for a transaction that may commit: the
    figure tables would then miss its changes (see figures_rebuilt_at_the_end for that).
    """
    if not connection.in_atomic_block:
        raise RuntimeError("figures_not_kept_before_rollback() needs a transaction")
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_setting('taybinh.figures_deferred', true)")
        (before,) = cursor.fetchone()
        cursor.execute("SELECT set_config('taybinh.figures_deferred', 'on', true)")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config('taybinh.figures_deferred', %s, true)", [before or ""])


def next_reference(*, unit_code: str, year: int, lock: bool = False) -> str:
    """The next free "số phiếu" of a unit in a year: "<unit code>-<year>-<number>", e.g. "CA-2026-0007".

    With ``lock`` (inside the saving transaction) two clerks numbering the same unit and year at once
    are served one after the other, so they never get the same number.
    """
    prefix = f"{unit_code}-{year}-"
    if lock:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [f"donations.reference:{prefix}"])
    # The unit's donations of the year (index donations_unit_date_idx), not a scan of every reference.
    taken = Donation.objects.filter(
        unit__code=unit_code,
        date__gte=datetime.date(year, 1, 1),
        date__lte=datetime.date(year, 12, 31),
        reference__startswith=prefix,
    ).values_list("reference", flat=True)
    numbers = [int(ref[len(prefix) :]) for ref in taken if ref[len(prefix) :].isdigit()]
    number = max(numbers, default=0) + 1
    # A reference imported with the same text under another unit or year is skipped, never duplicated.
    while Donation.objects.filter(reference=f"{prefix}{number:04d}").exists():
        number += 1
    return f"{prefix}{number:04d}"
