from __future__ import annotations

import datetime

from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.communes.models import NamedOverTime, NamedOverTimeQuerySet, NameHistory
from apps.communes.periods import DateRange, active_on, overlapping  # noqa: F401 (imported from here by other apps and migrations)
from apps.core.models import Period, PeriodQuerySet, plausible_dates_constraint

COMMITTEE_NEEDS_COMMUNE = _("A commune party committee must name its commune.")
UNIT_ALREADY_IN_GROUP = _("This unit already belongs to another group during this period.")
VILLAGE_OUTSIDE_COMMUNE = _("The village must belong to the assigned commune.")
COMMITTEE_OUTLIVES_COMMUNE = _("A commune party committee cannot exist after its commune, which ended on %(day)s.")


class UnitGroup(NamedOverTime, models.Model):
    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)

    objects = NamedOverTimeQuerySet.as_manager()

    class Meta:
        verbose_name = _("group of units")
        verbose_name_plural = _("groups of units")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class UnitQuerySet(NamedOverTimeQuerySet):
    def existing_on(self, day: datetime.date) -> UnitQuerySet:
        """Units that still exist on ``day``: not ended, and a commune party committee not past its commune's end."""
        return self.exclude(valid_to__lt=day).exclude(kind=Unit.Kind.COMMUNE_COMMITTEE, commune__valid_to__lt=day)


class Unit(NamedOverTime, models.Model):
    class Kind(models.TextChoices):
        DISTRICT_UNIT = "district_unit", _("district agency or unit")
        COMMUNE_COMMITTEE = "commune_committee", _("commune party committee")
        OTHER = "other", _("other")

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.DISTRICT_UNIT)
    commune = models.ForeignKey(
        "communes.Commune",
        verbose_name=_("commune"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="committees",
        help_text=_("Only for a commune party committee."),
    )
    # District offices ended with the district level on 30/06/2025; nothing is given by a unit after this day.
    valid_to = models.DateField(
        _("existed until"),
        null=True,
        blank=True,
        help_text=_("The unit's last day, if it was dissolved or merged; it can give nothing dated later."),
    )

    objects = UnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("agency or unit")
        verbose_name_plural = _("agencies and units")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="commune_committee") | Q(commune__isnull=False),
                name="units_committee_has_commune",
            ),
            plausible_dates_constraint("units_unit_valid_to_plausible", "valid_to"),
        ]
        indexes = [
            # Totals are split by sector, which is the unit's kind.
            models.Index(fields=["kind"], name="units_unit_kind_idx"),
            # The units page asks of each unit whether another unit of today has its name (2.000 look-ups).
            models.Index(fields=["name"], name="units_unit_name_idx"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.kind == self.Kind.COMMUNE_COMMITTEE and not self.commune_id:
            raise ValidationError({"commune": COMMITTEE_NEEDS_COMMUNE})
        ended = self.commune.valid_to if self.kind == self.Kind.COMMUNE_COMMITTEE and self.commune_id else None
        if ended and self.valid_to and self.valid_to > ended:
            raise ValidationError(
                {"valid_to": ValidationError(COMMITTEE_OUTLIVES_COMMUNE, params={"day": f"{ended:%d/%m/%Y}"})}
            )

    def ended_before(self, day: datetime.date | None) -> bool:
        """Whether the unit no longer existed on ``day``: nothing it gives or pledges may be dated then."""
        return bool(day and self.valid_to and day > self.valid_to)


class UnitGroupName(NameHistory):
    group = models.ForeignKey(UnitGroup, verbose_name=_("group"), on_delete=models.CASCADE, related_name="names")

    record_field = "group"

    class Meta:
        verbose_name = _("former name of a group of units")
        verbose_name_plural = _("former names of groups of units")
        ordering = ["group", "start"]
        constraints = NameHistory.history_constraints("group", "units_unitgroupname")


class UnitName(NameHistory):
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="names")

    record_field = "unit"

    class Meta:
        verbose_name = _("former name of a unit")
        verbose_name_plural = _("former names of units")
        ordering = ["unit", "start"]
        constraints = NameHistory.history_constraints("unit", "units_unitname")


class GroupMembership(Period):
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="memberships")
    group = models.ForeignKey(UnitGroup, verbose_name=_("group"), on_delete=models.CASCADE, related_name="memberships")

    objects = PeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("group membership")
        verbose_name_plural = _("group memberships")
        ordering = ["group__code", "unit__name", "start"]
        constraints = [
            Period.period_constraint("units_membership_ends_after_start"),
            Period.plausible_dates_constraint("units_membership_dates_plausible"),
            ExclusionConstraint(
                name="units_membership_one_group_at_a_time",
                expressions=[
                    ("unit", RangeOperators.EQUAL),
                    (DateRange("start", "end"), RangeOperators.OVERLAPS),
                ],
            ),
        ]
        indexes = [
            # Scope group=CODE: "was this unit in the group on the donation's date?"
            models.Index(fields=["group", "unit", "start"], name="units_membership_scope_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.unit} → {self.group}"

    def clean(self) -> None:
        super().clean()
        if not (self.unit_id and self.start):
            return
        overlapping = GroupMembership.objects.filter(unit_id=self.unit_id).exclude(pk=self.pk)
        overlapping = overlapping.filter(Q(end__isnull=True) | Q(end__gte=self.start))
        if self.end:
            overlapping = overlapping.filter(start__lte=self.end)
        if overlapping.exists():
            # Keyed to the unit so the form shows this message, not also the exclusion constraint's own.
            raise ValidationError({"unit": UNIT_ALREADY_IN_GROUP})


class Assignment(Period):
    group = models.ForeignKey(UnitGroup, verbose_name=_("group"), on_delete=models.CASCADE, related_name="assignments")
    commune = models.ForeignKey(
        "communes.Commune", verbose_name=_("commune"), on_delete=models.PROTECT, related_name="assignments"
    )
    village = models.ForeignKey(
        "communes.Village",
        verbose_name=_("village"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assignments",
    )

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["start", "group__code"]
        constraints = [
            Period.period_constraint("units_assignment_ends_after_start"),
            Period.plausible_dates_constraint("units_assignment_dates_plausible"),
        ]

    def __str__(self) -> str:
        return f"{self.group} → {self.village or self.commune}"

    def clean(self) -> None:
        super().clean()
        if self.village_id and self.commune_id and not self._village_was_in_commune():
            raise ValidationError({"village": VILLAGE_OUTSIDE_COMMUNE})

    def _village_was_in_commune(self) -> bool:
        """The village belongs to the commune now, or did during the assignment (before a merger moved it)."""
        if self.village.commune_id == self.commune_id:
            return True
        periods = self.village.commune_periods.filter(commune_id=self.commune_id)
        return self.start is not None and periods.filter(overlapping(self.start, self.end)).exists()


class Member(models.Model):
    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("full name"), max_length=200)
    unit = models.ForeignKey(Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="members")
    position = models.CharField(_("position"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("cadre or party member")
        verbose_name_plural = _("cadres and party members")
        ordering = ["unit__name", "name"]

    def __str__(self) -> str:
        return self.name
