from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import ClosedPeriod, audited
from apps.donations.models import (
    AMOUNT_BOUND,
    AMOUNT_TOO_LARGE,
    LABOUR_DAYS_BOUND,
    LABOUR_DAYS_TOO_MANY,
    MAX_AMOUNT_VND,
    MAX_LABOUR_DAYS,
)
from apps.households.beneficiaries import Beneficiary

MEMBER_OF_OTHER_UNIT = _("This person is not a member of the chosen unit.")
PLEDGE_NEEDS_END = _("A pledge must say until when it runs.")
UNIT_ENDED_BEFORE_PLEDGE_END = _("%(unit)s existed only until %(day)s: its pledge must end by then.")


@audited("pledges_pledge_evt_idx")
class Pledge(ClosedPeriod, Beneficiary):
    """A commitment (đăng ký giúp đỡ): who will help whom, with what, until when."""

    code = models.CharField(_("code"), max_length=30, unique=True)
    unit = models.ForeignKey("units.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="pledges")
    member = models.ForeignKey(
        "units.Member",
        verbose_name=_("member"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pledges",
    )
    money_vnd = models.BigIntegerField(_("money (VND)"), default=0, validators=AMOUNT_BOUND)
    labour_days = models.DecimalField(
        _("labour days"), max_digits=8, decimal_places=1, default=0, validators=LABOUR_DAYS_BOUND
    )
    description = models.TextField(_("description"), blank=True, help_text=_("Goods and other help promised."))

    class Meta:
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        ordering = ["-start", "code"]
        constraints = [
            *Beneficiary.Meta.constraints,
            ClosedPeriod.period_constraint("pledges_ends_after_start"),
            ClosedPeriod.plausible_dates_constraint("pledges_pledge_dates_plausible"),
            models.CheckConstraint(
                condition=Q(money_vnd__gte=0) & Q(labour_days__gte=0), name="pledges_amounts_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(money_vnd__lte=MAX_AMOUNT_VND),
                name="pledges_money_within_bound",
                violation_error_message=AMOUNT_TOO_LARGE,
            ),
            models.CheckConstraint(
                condition=Q(labour_days__lte=MAX_LABOUR_DAYS),
                name="pledges_labour_days_within_bound",
                violation_error_message=LABOUR_DAYS_TOO_MANY,
            ),
        ]
        indexes = [
            # Monitoring: pledges running on a given day, per unit.
            models.Index(fields=["unit", "start", "end"], name="pledges_unit_period_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.unit}"

    def clean(self) -> None:
        super().clean()
        if self.member_id and self.unit_id and self.member.unit_id != self.unit_id:
            raise ValidationError({"member": MEMBER_OF_OTHER_UNIT})
        if self.unit_id and self.unit.ended_before(self.end):
            params = {"unit": self.unit.name, "day": f"{self.unit.valid_to:%d/%m/%Y}"}
            raise ValidationError({"end": ValidationError(UNIT_ENDED_BEFORE_PLEDGE_END, params=params)})


# --- Kept ahead of time -------------------------------------------------------------------
#
# Written only by the triggers of migration 0007 in the same transaction as every write of donations (bulk
# or not); selectors only read them, ``pledges_rebuild_progress()`` rebuilds them from the donations.


class PledgeProgress(models.Model):
    """What the donations toward one pledge add up to, whatever their dates (a row while it has any)."""

    pledge = models.OneToOneField(
        Pledge, primary_key=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="progress"
    )
    given_vnd = models.BigIntegerField()
    given_days = models.DecimalField(max_digits=14, decimal_places=1)
    donations = models.IntegerField()

    def __str__(self) -> str:
        return f"{self.pledge_id}: {self.donations}"


class UnitMoneyGiven(models.Model):
    """The money one unit gave (donations of kind money, by the donation's unit), in all and toward pledges."""

    unit = models.OneToOneField(
        "units.Unit", primary_key=True, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    given_vnd = models.BigIntegerField()
    given_to_pledges_vnd = models.BigIntegerField()
    # Every donation of the unit, of any kind: the row goes when the last one does.
    donations = models.IntegerField()

    def __str__(self) -> str:
        return f"{self.unit_id}: {self.given_vnd}"
