from __future__ import annotations

import datetime
from typing import Any

import pgtrigger
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce, Upper
from django.utils.translation import gettext_lazy as _

from apps.core.models import audited, plausible_dates_constraint
from apps.core.numbers import MAX_AMOUNT_VND
from apps.households.beneficiaries import Beneficiary, in_commune

MONEY_NEEDS_AMOUNT = _("Money and loans need an amount in VND greater than 0 and no item.")
GOODS_NEED_ITEM = _("Goods need an item and a quantity greater than 0.")
LABOUR_NEEDS_DAYS = _("Labour needs a number of labour days greater than 0.")
LOAN_FIELDS_ONLY_FOR_LOANS = _("A due date or a previous loan only applies to loans.")
MEMBER_OF_OTHER_UNIT = _("This person is not a member of the chosen unit.")
PLEDGE_OF_OTHER_UNIT = _("This pledge belongs to another unit.")
PREVIOUS_NOT_A_LOAN = _("The previous loan must be a loan.")
REPAYMENT_EXCEEDS_LOAN = _("This repayment would take the repaid total above the amount lent.")
REPAYMENT_NOT_A_LOAN = _("Repayments can only be recorded against a loan.")
REPAYMENT_NEEDS_AMOUNT = _("A repayment needs an amount greater than 0.")
AMOUNT_TOO_LARGE = _("No single amount is above 100.000.000.000 VND: check the number of zeros.")
QUANTITY_TOO_LARGE = _("No single donation is above 1.000.000 of an item: check the number of zeros.")
LABOUR_DAYS_TOO_MANY = _("No single donation or pledge is above 100.000 labour days: check the number of zeros.")
UNIT_ENDED_BEFORE_DATE = _("%(unit)s existed only until %(day)s: it cannot give anything dated later.")

# The largest plausible figures of one record. 100 billion VND (about 4 million USD) is far above
# anything one unit gives, lends or pledges in one record here (a school or a row of houses costs a few
# billion), yet a slip of the keyboard (9.223.372.036.854.775.807) is refused instead of reaching the
# public totals; a hundred thousand records at the bound still sum below 2**53, so the open data's JSON
# numbers stay exact for JavaScript readers. Quantities and labour days likewise, in the item's measure.
MAX_QUANTITY = 1_000_000
MAX_LABOUR_DAYS = 100_000
AMOUNT_BOUND = [MaxValueValidator(MAX_AMOUNT_VND, message=AMOUNT_TOO_LARGE)]
LABOUR_DAYS_BOUND = [MaxValueValidator(MAX_LABOUR_DAYS, message=LABOUR_DAYS_TOO_MANY)]

# A repayment can never take a loan's repaid total above the loan. The rule spans rows, so no CHECK
# constraint can say it: two triggers hold it for every write, bulk or not (Repayment.Meta and
# Donation.Meta), and Repayment.clean() gives the friendly message first. Their errors start with
# this name, which the importer looks for to point at the row.
REPAYMENT_WITHIN_LOAN = "donations_repayment_within_loan"


class Item(models.Model):
    """Goods that can be given: rice in kg, notebooks in quyển, …"""

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    measure = models.CharField(_("measure"), max_length=20, help_text=_("kg, bộ, quyển, chiếc…"))
    position = models.PositiveSmallIntegerField(_("display order"), default=100)

    class Meta:
        verbose_name = _("item")
        verbose_name_plural = _("items")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.measure})"


class DonationQuerySet(models.QuerySet):
    def in_period(self, start: datetime.date | None, end: datetime.date | None) -> DonationQuerySet:
        """Both end dates included; either may be None (open-ended)."""
        qs = self
        if start:
            qs = qs.filter(date__gte=start)
        if end:
            qs = qs.filter(date__lte=end)
        return qs

    def for_commune(self, commune) -> DonationQuerySet:
        """Help received in the commune or in any commune that was merged into it."""
        return self.filter(in_commune(commune))

    def for_group(self, group) -> DonationQuerySet:
        """Help given by units that were members of the group on the donation's date."""
        from apps.units.models import GroupMembership

        member_then = GroupMembership.objects.filter(group=group, unit=OuterRef("unit")).on(OuterRef("date"))
        return self.filter(Exists(member_then))

    def loans(self) -> DonationQuerySet:
        return self.filter(kind=Donation.Kind.LOAN)

    def with_repaid(self, *, excluding: Repayment | None = None) -> DonationQuerySet:
        """Each loan with ``repaid_vnd``, what was repaid on it (by its repayments other than ``excluding``)."""
        return self.annotate(repaid_vnd=repaid_on(OuterRef("pk"), excluding=excluding))


@audited("donations_donation_evt_idx")
class Donation(Beneficiary):
    """Help actually given (ủng hộ, giúp đỡ): money, goods, labour days or an interest-free loan."""

    class Kind(models.TextChoices):
        MONEY = "money", _("money")
        GOODS = "goods", _("goods")
        LABOUR = "labour", _("labour days")
        LOAN = "loan", _("loan")

    reference = models.CharField(_("reference"), max_length=40, unique=True)
    date = models.DateField(_("date"))
    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="donations")
    member = models.ForeignKey(
        "units.Member",
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="donations",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    amount_vnd = models.BigIntegerField(
        _("amount (VND)"), default=0, help_text=_("For goods: the estimated value, if known."), validators=AMOUNT_BOUND
    )
    item = models.ForeignKey(Item, verbose_name=_("item"), null=True, blank=True, on_delete=models.PROTECT)
    quantity = models.DecimalField(
        _("quantity"),
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MaxValueValidator(MAX_QUANTITY, message=QUANTITY_TOO_LARGE)],
    )
    labour_days = models.DecimalField(
        _("labour days"), max_digits=8, decimal_places=1, null=True, blank=True, validators=LABOUR_DAYS_BOUND
    )
    pledge = models.ForeignKey(
        "pledges.Pledge",
        verbose_name=_("pledge"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="donations",
    )
    due_date = models.DateField(_("repayment due"), null=True, blank=True)
    previous_loan = models.ForeignKey(
        "self",
        verbose_name=_("passed on from loan"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="passed_on",
        help_text=_("For a revolving loan: the loan whose livestock was passed on."),
    )
    note = models.TextField(_("note"), blank=True)

    objects = DonationQuerySet.as_manager()

    class Meta:
        verbose_name = _("donation")
        verbose_name_plural = _("donations")
        ordering = ["-date", "reference"]
        constraints = [
            *Beneficiary.Meta.constraints,
            plausible_dates_constraint("donations_donation_dates_plausible", "date", "due_date"),
            models.CheckConstraint(
                condition=~Q(kind__in=["money", "loan"])
                | (Q(amount_vnd__gt=0) & Q(item__isnull=True) & Q(quantity__isnull=True) & Q(labour_days__isnull=True)),
                name="donations_money_has_amount",
                violation_error_message=MONEY_NEEDS_AMOUNT,
            ),
            # SQL's CHECK passes on NULL, so "> 0" alone would let an empty quantity through.
            models.CheckConstraint(
                condition=~Q(kind="goods")
                | (Q(item__isnull=False) & Q(quantity__isnull=False) & Q(quantity__gt=0) & Q(labour_days__isnull=True)),
                name="donations_goods_have_item",
                violation_error_message=GOODS_NEED_ITEM,
            ),
            models.CheckConstraint(
                condition=~Q(kind="labour")
                | (
                    Q(labour_days__isnull=False)
                    & Q(labour_days__gt=0)
                    & Q(item__isnull=True)
                    & Q(quantity__isnull=True)
                ),
                name="donations_labour_has_days",
                violation_error_message=LABOUR_NEEDS_DAYS,
            ),
            models.CheckConstraint(
                condition=Q(amount_vnd__gte=0),
                name="donations_amount_not_negative",
                violation_error_message=MONEY_NEEDS_AMOUNT,
            ),
            # SQL's CHECK passes on NULL: an empty quantity or labour days is left to the rules above.
            models.CheckConstraint(
                condition=Q(amount_vnd__lte=MAX_AMOUNT_VND),
                name="donations_amount_within_bound",
                violation_error_message=AMOUNT_TOO_LARGE,
            ),
            models.CheckConstraint(
                condition=Q(quantity__lte=MAX_QUANTITY),
                name="donations_quantity_within_bound",
                violation_error_message=QUANTITY_TOO_LARGE,
            ),
            models.CheckConstraint(
                condition=Q(labour_days__lte=MAX_LABOUR_DAYS),
                name="donations_labour_days_within_bound",
                violation_error_message=LABOUR_DAYS_TOO_MANY,
            ),
            models.CheckConstraint(
                condition=Q(kind="loan") | (Q(due_date__isnull=True) & Q(previous_loan__isnull=True)),
                name="donations_loan_fields_only_on_loans",
                violation_error_message=LOAN_FIELDS_ONLY_FOR_LOANS,
            ),
        ]
        indexes = [
            # Every total filters by period and groups by the unit's sector.
            models.Index(fields=["date", "unit"], name="donations_date_unit_idx"),
            # Per-unit pages and monitoring: "latest donation of each unit".
            models.Index(fields=["unit", "date"], name="donations_unit_date_idx"),
            # The admin list's search by reference (UPPER(reference) LIKE / ~ as apps.core.admin_base writes it).
            GinIndex(OpClass(Upper("reference"), name="gin_trgm_ops"), name="donations_reference_search_idx"),
            # Pledge progress (pledges_with_fulfilment): each pledge's donations up to a day, summed from
            # the index alone, for one unit's pledges or for all of them.
            models.Index(
                fields=["pledge", "date"],
                include=["kind", "amount_vnd", "labour_days"],
                condition=models.Q(pledge__isnull=False),
                name="donations_pledge_progress_idx",
            ),
        ]
        triggers = [
            # Lowering a loan (or making it something other than a loan) must leave what was repaid covered.
            pgtrigger.Trigger(
                name="donations_loan_covers_repayments",
                when=pgtrigger.After,
                operation=pgtrigger.UpdateOf("amount_vnd", "kind"),
                func=f"""
                    IF EXISTS (
                        SELECT 1 FROM donations_repayment r WHERE r.loan_id = NEW.id
                        GROUP BY r.loan_id
                        HAVING NEW.kind <> 'loan' OR SUM(r.amount_vnd) > NEW.amount_vnd
                    ) THEN
                        RAISE EXCEPTION '{REPAYMENT_WITHIN_LOAN}: loan % is below its repayments', NEW.reference
                            USING ERRCODE = 'check_violation';
                    END IF;
                    RETURN NULL;
                """,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.date:%d/%m/%Y})"

    def clean(self) -> None:
        super().clean()
        self._check_links()
        errors = self._kind_field_errors()
        if errors:
            raise ValidationError(errors)

    def _check_links(self) -> None:
        """The member, pledge and previous loan belong with this donation; its unit still existed that day."""
        if self.member_id and self.unit_id and self.member.unit_id != self.unit_id:
            raise ValidationError({"member": MEMBER_OF_OTHER_UNIT})
        if self.pledge_id and self.unit_id and self.pledge.unit_id != self.unit_id:
            raise ValidationError({"pledge": PLEDGE_OF_OTHER_UNIT})
        if self.previous_loan_id and self.previous_loan.kind != self.Kind.LOAN:
            raise ValidationError({"previous_loan": PREVIOUS_NOT_A_LOAN})
        if self.unit_id and self.unit.ended_before(self.date):
            params = {"unit": self.unit.name, "day": f"{self.unit.valid_to:%d/%m/%Y}"}
            raise ValidationError({"date": ValidationError(UNIT_ENDED_BEFORE_DATE, params=params)})

    def _kind_field_errors(self) -> dict[str, Any]:
        """The fields each kind needs (the named constraints' rules, as messages on the fields)."""
        errors: dict[str, Any] = {}
        if self.kind in (self.Kind.MONEY, self.Kind.LOAN):
            if not self.amount_vnd or self.amount_vnd <= 0:
                errors["amount_vnd"] = MONEY_NEEDS_AMOUNT
            if self.item_id or self.quantity is not None:
                errors["item"] = MONEY_NEEDS_AMOUNT
        elif self.kind == self.Kind.GOODS:
            if not self.item_id:
                errors["item"] = GOODS_NEED_ITEM
            if self.quantity is None or self.quantity <= 0:
                errors["quantity"] = GOODS_NEED_ITEM
        elif self.kind == self.Kind.LABOUR and (self.labour_days is None or self.labour_days <= 0):
            errors["labour_days"] = LABOUR_NEEDS_DAYS
        if self.kind != self.Kind.LOAN and (self.due_date or self.previous_loan_id):
            errors["due_date"] = LOAN_FIELDS_ONLY_FOR_LOANS
        return errors


@audited("donations_repayment_evt_idx")
class Repayment(models.Model):
    """A household paying back (part of) an interest-free loan."""

    reference = models.CharField(_("reference"), max_length=40, unique=True)
    loan = models.ForeignKey(
        Donation,
        verbose_name=_("loan"),
        on_delete=models.PROTECT,
        related_name="repayments",
        limit_choices_to={"kind": Donation.Kind.LOAN},
    )
    date = models.DateField(_("date"))
    amount_vnd = models.BigIntegerField(_("amount (VND)"), validators=AMOUNT_BOUND)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("repayment")
        verbose_name_plural = _("repayments")
        ordering = ["loan", "date"]
        constraints = [
            plausible_dates_constraint("donations_repayment_date_plausible", "date"),
            models.CheckConstraint(
                condition=Q(amount_vnd__gt=0),
                name="donations_repayment_positive",
                violation_error_message=REPAYMENT_NEEDS_AMOUNT,
            ),
            models.CheckConstraint(
                condition=Q(amount_vnd__lte=MAX_AMOUNT_VND),
                name="donations_repayment_within_bound",
                violation_error_message=AMOUNT_TOO_LARGE,
            ),
        ]
        triggers = [
            # The loan's row is locked, so two repayments saved at once cannot both fit.
            pgtrigger.Trigger(
                name=REPAYMENT_WITHIN_LOAN,
                when=pgtrigger.After,
                operation=pgtrigger.Insert | pgtrigger.Update,
                declare=[("lent", "bigint"), ("repaid", "bigint")],
                func=f"""
                    SELECT amount_vnd INTO lent FROM donations_donation
                        WHERE id = NEW.loan_id AND kind = 'loan' FOR UPDATE;
                    IF lent IS NULL THEN
                        RAISE EXCEPTION 'donations_repayment_on_loan: repayment % is not against a loan', NEW.reference
                            USING ERRCODE = 'check_violation';
                    END IF;
                    SELECT COALESCE(SUM(amount_vnd), 0) INTO repaid FROM donations_repayment
                        WHERE loan_id = NEW.loan_id;
                    IF repaid > lent THEN
                        RAISE EXCEPTION '{REPAYMENT_WITHIN_LOAN}: % repaid of % lent', repaid, lent
                            USING ERRCODE = 'check_violation';
                    END IF;
                    RETURN NULL;
                """,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference} ({self.date:%d/%m/%Y})"

    def clean(self) -> None:
        if not self.loan_id:
            return
        if self.loan.kind != Donation.Kind.LOAN:
            raise ValidationError({"loan": REPAYMENT_NOT_A_LOAN})
        others = Donation.objects.with_repaid(excluding=self).values_list("repaid_vnd", flat=True).get(pk=self.loan_id)
        if self.amount_vnd and others + self.amount_vnd > self.loan.amount_vnd:
            raise ValidationError({"amount_vnd": REPAYMENT_EXCEEDS_LOAN})


def repaid_on(loan: OuterRef | int, *, excluding: Repayment | None = None) -> Coalesce:
    """What was repaid on ``loan`` (an id, or an OuterRef to one), 0 when nothing: the one definition.

    A subquery rather than a join, so annotating it never multiplies the rows other annotations count.
    """
    repayments = Repayment.objects.filter(loan=loan)
    if excluding is not None:
        repayments = repayments.exclude(pk=excluding.pk)
    total = repayments.order_by().values("loan").annotate(total=Sum("amount_vnd")).values("total")
    return Coalesce(Subquery(total), 0, output_field=models.BigIntegerField())


# ---------------------------------------------------------------------------------------------------
# Figures kept ahead of time (CONTRACT.md "Counting rules"; apps/donations/figures.sql).
#
# The database keeps these three tables exact in the same transaction as every write, bulk or not
# (migration 0013): triggers copy each donation into DonationFact with the commune its beneficiary lay
# in on the donation's date, and fold the facts into DailyFigures (sums) and RecipientDay (who was
# helped, for the distinct counts). A change of a household's or a student's village, of a village's commune or
# of a village's periods re-places the facts it concerns. Nothing in Python writes them; the counting
# selectors only read them. ``donations_rebuild_figures()`` rebuilds all three from the donations.
# ---------------------------------------------------------------------------------------------------


def _kept_link(to, *, null: bool = False) -> models.ForeignKey:
    """A key in a summary table: no database constraint and no index of its own (the triggers write these
    rows from donations that hold the real keys; each table's composite indexes serve its scopes)."""
    return models.ForeignKey(
        to, null=null, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )


class DonationFact(models.Model):
    """A donation as the figures count it, its beneficiary placed in the commune of its date."""

    donation = models.OneToOneField(
        Donation, primary_key=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    day = models.DateField()
    unit = _kept_link("units.Unit")
    # The unit's kind (its sector in the totals), kept with the figures so they need no join.
    sector = models.CharField(max_length=20)
    commune = _kept_link("communes.Commune")
    kind = models.CharField(max_length=10)
    item = _kept_link(Item, null=True)
    household = _kept_link("households.Household", null=True)
    student = _kept_link("households.Student", null=True)
    amount_vnd = models.BigIntegerField()
    quantity = models.DecimalField(max_digits=12, decimal_places=2, null=True)
    labour_days = models.DecimalField(max_digits=8, decimal_places=1, null=True)

    def __str__(self) -> str:
        return f"{self.donation_id} ({self.day:%d/%m/%Y})"


# The columns the figures read from DailyFigures' and RecipientDay's rows, carried in their indexes.
SUMMED = ["kind", "item", "donations", "amount_vnd", "quantity", "labour_days"]
RECIPIENT = ["sector", "household", "student"]


class KeptSums(models.Model):
    """What a summary table adds up per key: donations of a kind and item, their amounts and quantities."""

    kind = models.CharField(max_length=10)
    item = _kept_link(Item, null=True)
    donations = models.IntegerField()
    amount_vnd = models.BigIntegerField()
    quantity = models.DecimalField(max_digits=16, decimal_places=2)
    labour_days = models.DecimalField(max_digits=14, decimal_places=1)

    class Meta:
        abstract = True


class DailyFigures(KeptSums):
    """What the donations of one day, unit, commune, kind and item add up to."""

    day = models.DateField()
    unit = _kept_link("units.Unit")
    # The unit's kind (its sector in the totals), kept with the figures so they need no join.
    sector = models.CharField(max_length=20)
    commune = _kept_link("communes.Commune")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "unit", "commune", "kind", "item"], nulls_distinct=False, name="donations_daily_key"
            )
        ]
        # Each scope's rows read from its index alone (an index-only scan): a commune's rows lie all over
        # the table, and fetching their pages cost most of a commune's totals at province scale.
        indexes = [
            # Scope commune=CODE: the commune's (and its predecessors') days.
            models.Index(
                fields=["commune", "day"], include=[*SUMMED, "unit", "sector"], name="donations_daily_commune_idx"
            ),
            # Scope group=CODE: the member units' days.
            models.Index(
                fields=["unit", "day"], include=[*SUMMED, "commune", "sector"], name="donations_daily_unit_idx"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.unit_id} {self.kind}"


class RecipientDay(models.Model):
    """A household or a student helped by a unit on a day (a household visit, lượt hộ, when a household)."""

    day = models.DateField()
    unit = _kept_link("units.Unit")
    # The unit's kind (its sector in the totals), kept with the figures so they need no join.
    sector = models.CharField(max_length=20)
    commune = _kept_link("communes.Commune")
    household = _kept_link("households.Household", null=True)
    student = _kept_link("households.Student", null=True)
    donations = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "unit", "commune", "household", "student"],
                nulls_distinct=False,
                name="donations_recipientday_key",
            )
        ]
        indexes = [  # index-only scans, as DailyFigures'
            # A period without a place: its days' households and students.
            models.Index(fields=["day"], include=RECIPIENT, name="donations_recip_day_idx"),
            models.Index(fields=["commune", "day"], include=[*RECIPIENT, "unit"], name="donations_recip_commune_idx"),
            models.Index(fields=["unit", "day"], include=[*RECIPIENT, "commune"], name="donations_recip_unit_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.unit_id} {self.household_id or self.student_id}"


class SectorDay(KeptSums):
    """DailyFigures summed over units and communes: the sums of a period without a place or a group."""

    day = models.DateField()
    sector = models.CharField(max_length=20)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "sector", "kind", "item"], nulls_distinct=False, name="donations_sectorday_key"
            )
        ]
        # A period's sums read from the index alone.
        indexes = [models.Index(fields=["day"], include=[*SUMMED, "sector"], name="donations_sectorday_day_idx")]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.sector} {self.kind}"


class VisitDay(models.Model):
    """How many household visits (RecipientDay rows with a household) a sector made on a day: the visits of a
    period's days that cut a year, added up from a few hundred rows instead of counted from every visit.
    Kept by triggers on RecipientDay (migration 0025)."""

    day = models.DateField()
    sector = models.CharField(max_length=20)
    visits = models.IntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["day", "sector"], name="donations_visitday_key")]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.sector}: {self.visits}"


class RecipientEnds(models.Model):
    """How many households and students were first and last helped on a day, in a sector or in all (ALL_SECTORS):
    the first and last days of RecipientTally's rows of all years. A period that begins before anyone was helped
    or ends after the last day helped counts its distinct households and students from a few hundred of these rows
    (helped since a day: last helped on or after it; helped until a day: first helped on or before it) instead of
    one row each. Kept by statement triggers on RecipientTally (migration 0027)."""

    day = models.DateField()
    sector = models.CharField(max_length=20)
    households_first = models.IntegerField()
    students_first = models.IntegerField()
    households_last = models.IntegerField()
    students_last = models.IntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["sector", "day"], name="donations_recipientends_key")]

    def __str__(self) -> str:
        return f"{self.day:%d/%m/%Y} {self.sector or '*'}"


# RecipientTally's, ProgrammeFigures' and ProgrammeCounts' sector for all sectors together, year for all years.
ALL_SECTORS = ""
ALL_YEARS = 0


class RecipientTally(models.Model):
    """How many RecipientDay rows (days a unit helped them) a household or a student has in a sector and a
    year, in all sectors (ALL_SECTORS), in all years (ALL_YEARS) or both: when one appears or disappears,
    ProgrammeCounts changes."""

    sector = models.CharField(max_length=20)
    year = models.SmallIntegerField()
    household = _kept_link("households.Household", null=True)
    student = _kept_link("households.Student", null=True)
    days = models.IntegerField()
    # The first and last day helped in the row's year (or ever, ALL_YEARS), and for a year the last day
    # helped in an earlier year (None: none). A period's distinct households and students are then counted from a few
    # ranges of the indexes below, one row each (apps.donations.selectors.recipients_between).
    first_day = models.DateField(null=True)
    last_day = models.DateField(null=True)
    previous_last_day = models.DateField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["sector", "year", "household", "student"],
                nulls_distinct=False,
                name="donations_recipienttally_key",
            )
        ]
        indexes = [
            # The tallies emptied by a statement, deleted at its end (normally none: the index stays empty).
            models.Index(fields=["id"], condition=models.Q(days=0), name="donations_tally_emptied_idx"),
            # Helped in a period's first year on or after its first day.
            models.Index(
                fields=["year", "last_day"],
                include=["sector", "household", "student"],
                condition=~models.Q(year=0),
                name="donations_tally_last_day_idx",
            ),
            # Helped in a later year of the period, and not since the period began before that year.
            models.Index(
                fields=["year", "previous_last_day"],
                include=["sector", "first_day", "household", "student"],
                condition=~models.Q(year=0),
                name="donations_tally_previous_idx",
            ),
            # Each household's first day helped (the outcomes' year of first help), from this index alone.
            models.Index(
                fields=["household"],
                include=["first_day"],
                condition=models.Q(sector="", year=0, household__isnull=False),
                name="donations_tally_first_help_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.sector} {self.household_id or self.student_id}: {self.days}"


class CommuneFigures(KeptSums):
    """What the donations placed in a commune (on their dates) add up to per sector (the unit's kind), year (or
    ALL_YEARS), kind and item: a commune's figures since the start and per year (its page, the commune list,
    the whole programme's table by commune) without reading every day's."""

    commune = _kept_link("communes.Commune")
    sector = models.CharField(max_length=20)
    year = models.SmallIntegerField()

    class Meta:
        constraints = [
            # The year before the sector: a commune's (every commune's) rows of all years are one range each,
            # not one per sector among every year's (the commune list read the whole table: 2,4 ms at province).
            models.UniqueConstraint(
                fields=["commune", "year", "sector", "kind", "item"],
                nulls_distinct=False,
                name="donations_communefigures_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.commune_id} {self.sector} {self.year} {self.kind}: {self.donations}"


class CommuneTally(models.Model):
    """How many RecipientDay rows a household or a student has in a commune, in all sectors and years
    (ALL_SECTORS, ALL_YEARS), per sector in all years, and per year in all sectors: a commune's (or a merged
    family's) distinct households and students, and its household visits (the days of its households' rows),
    read from one row per household instead of one per day helped (the commune list, a commune's page)."""

    commune = _kept_link("communes.Commune")
    sector = models.CharField(max_length=20)
    year = models.SmallIntegerField()
    household = _kept_link("households.Household", null=True)
    student = _kept_link("households.Student", null=True)
    days = models.IntegerField()

    class Meta:
        constraints = [
            # A commune's (a family's) rows of one sector or year read from this index alone.
            models.UniqueConstraint(
                fields=["commune", "sector", "year", "household", "student"],
                include=["days"],
                nulls_distinct=False,
                name="donations_communetally_key",
            )
        ]
        indexes = [
            models.Index(fields=["id"], condition=models.Q(days=0), name="donations_commune_emptied_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.commune_id} {self.sector} {self.year} {self.household_id or self.student_id}: {self.days}"


class CommuneCounts(models.Model):
    """A commune's distinct households and students helped, and its household visits, in all sectors and years
    (ALL_SECTORS, ALL_YEARS), per sector and per year: CommuneTally's rows of each (commune, sector, year) counted
    ahead of time. A commune's figures (the commune list, its page with no commune merged into it) read one row
    instead of one per household helped. Kept by statement triggers on CommuneTally (migration 0028)."""

    commune = _kept_link("communes.Commune")
    sector = models.CharField(max_length=20)
    year = models.SmallIntegerField()
    households = models.IntegerField()
    students = models.IntegerField()
    household_visits = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["commune", "sector", "year"], name="donations_communecounts_key")
        ]

    def __str__(self) -> str:
        return f"{self.commune_id} {self.sector} {self.year}: {self.households} + {self.students}"


class GroupFigures(KeptSums):
    """What the donations add up to since the start per group their unit was in on their dates, per kind and
    item; the donations of units in no group that day per sector (``group`` empty, ``sector`` the unit's kind;
    a group's rows have an empty ``sector``). The report's table by group for the whole programme, without
    reading every day's figures. Kept by triggers on DailyFigures and on the memberships (migration 0023)."""

    group = _kept_link("units.UnitGroup", null=True)
    sector = models.CharField(max_length=20)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["group", "sector", "kind", "item"], nulls_distinct=False, name="donations_groupfigures_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.group_id or self.sector} {self.kind}: {self.donations}"


class GroupTally(models.Model):
    """How many RecipientDay rows a household or a student has since the start from the units of a group on
    the rows' days (or from units in no group, per sector, as GroupFigures): a group's distinct households and
    students, and its household visits, from one row per household instead of one per day helped."""

    group = _kept_link("units.UnitGroup", null=True)
    sector = models.CharField(max_length=20)
    household = _kept_link("households.Household", null=True)
    student = _kept_link("households.Student", null=True)
    days = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["group", "sector", "household", "student"],
                nulls_distinct=False,
                name="donations_grouptally_key",
            )
        ]
        indexes = [
            models.Index(fields=["id"], condition=models.Q(days=0), name="donations_group_emptied_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.group_id or self.sector} {self.household_id or self.student_id}: {self.days}"


class ProgrammeFigures(KeptSums):
    """The whole programme's sums per sector, year (or ALL_YEARS), kind and item, as changes: each writing
    statement appends its own rows (appended, never updated, so writers never wait on one shared row) and
    now and then the rows are folded into one per key (``donations_compact_programme()``). Their sums are
    the figures."""

    sector = models.CharField(max_length=20)
    year = models.SmallIntegerField()

    def __str__(self) -> str:
        return f"{self.sector} {self.kind}: {self.donations}"


class ProgrammeCounts(models.Model):
    """The whole programme's distinct households and students helped, and household visits, per sector (or
    ALL_SECTORS) and year (or ALL_YEARS), as changes appended like ProgrammeFigures'. Their sums are the
    figures."""

    sector = models.CharField(max_length=20)
    year = models.SmallIntegerField()
    households = models.IntegerField()
    students = models.IntegerField()
    household_visits = models.IntegerField()

    def __str__(self) -> str:
        return f"{self.sector or '*'} {self.year or '*'}: {self.households}, {self.students}, {self.household_visits}"
