from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from apps.core.models import audited, plausible_dates_constraint

# The largest household the poverty review plausibly counts; a size of 0 or 300 is a typing slip.
MAX_HOUSEHOLD_SIZE = 50
SIZE_IMPLAUSIBLE = _("A household has from 1 to 50 members.")
TARGET_NEEDS_VILLAGE = _("A model-village target names a village and no household.")
TARGET_NEEDS_HOUSEHOLD = _("A model-garden target names a household.")


@audited("households_household_evt_idx")
class Household(models.Model):
    code = models.CharField(_("code"), max_length=30, unique=True)
    village = models.ForeignKey(
        "communes.Village", verbose_name=_("village"), on_delete=models.PROTECT, related_name="households"
    )
    head_name = models.CharField(_("head of household"), max_length=200)
    id_number = models.CharField(_("ID number"), max_length=20, blank=True)
    size = models.PositiveSmallIntegerField(
        _("members"),
        null=True,
        blank=True,
        validators=[
            MinValueValidator(1, message=SIZE_IMPLAUSIBLE),
            MaxValueValidator(MAX_HOUSEHOLD_SIZE, message=SIZE_IMPLAUSIBLE),
        ],
    )

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(size__gte=1) & Q(size__lte=MAX_HOUSEHOLD_SIZE),
                name="households_size_plausible",
                violation_error_message=SIZE_IMPLAUSIBLE,
            ),
        ]
        indexes = [
            # Duplicate check on import: "same ID number".
            models.Index(fields=["id_number"], name="households_id_number_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.head_name} ({self.code})"


@audited("households_status_evt_idx")
class HouseholdStatus(models.Model):
    """A household's status in one year's poverty review (rà soát hộ nghèo hằng năm)."""

    class Status(models.TextChoices):
        POOR = "poor", _("poor")
        NEAR_POOR = "near_poor", _("near-poor")
        AT_RISK = "at_risk", _("at risk of falling back")
        ESCAPED = "escaped", _("escaped poverty")
        NONE = "none", _("not poor")

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.CASCADE, related_name="statuses"
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=[MinValueValidator(1990), MaxValueValidator(2100)])
    status = models.CharField(_("status"), max_length=10, choices=Status.choices)

    class Meta:
        verbose_name = _("yearly status")
        verbose_name_plural = _("yearly statuses")
        ordering = ["household", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["household", "year"], name="households_one_status_per_year"),
            models.CheckConstraint(
                condition=Q(year__gte=1990) & Q(year__lte=2100), name="households_status_year_plausible"
            ),
        ]
        indexes = [
            # "How many helped households escaped poverty in year Y": filter by year and status.
            models.Index(fields=["year", "status"], name="households_status_year_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.get_status_display()}"


class Student(models.Model):
    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("full name"), max_length=200)
    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.PROTECT, related_name="students"
    )
    school = models.CharField(_("school"), max_length=200, blank=True)
    grade = models.CharField(_("grade"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("student")
        verbose_name_plural = _("students")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Target(models.Model):
    """A "model village" or "model garden" goal that a village or household works toward."""

    class Kind(models.TextChoices):
        MODEL_VILLAGE = "model_village", _("model village")
        MODEL_GARDEN = "model_garden", _("model garden")

    class Status(models.TextChoices):
        PLANNED = "planned", _("planned")
        IN_PROGRESS = "in_progress", _("in progress")
        ACHIEVED = "achieved", _("achieved")
        ABANDONED = "abandoned", _("abandoned")

    code = models.CharField(_("code"), max_length=30, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    village = models.ForeignKey(
        "communes.Village",
        verbose_name=_("village"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="targets",
    )
    household = models.ForeignKey(
        Household,
        verbose_name=_("household"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="targets",
    )
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("supporting unit"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="targets",
    )
    target_year = models.PositiveSmallIntegerField(_("target year"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.PLANNED)
    achieved_on = models.DateField(_("achieved on"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        verbose_name = _("model village or garden target")
        verbose_name_plural = _("model village and garden targets")
        ordering = ["target_year", "code"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="model_village") & Q(village__isnull=False) & Q(household__isnull=True))
                | (Q(kind="model_garden") & Q(household__isnull=False)),
                name="households_target_matches_kind",
            ),
            plausible_dates_constraint("households_target_achieved_on_plausible", "achieved_on"),
        ]

    def __str__(self) -> str:
        subject = self.village if self.kind == self.Kind.MODEL_VILLAGE else self.household
        return f"{self.get_kind_display().capitalize()}: {subject} ({self.target_year})"

    def clean(self) -> None:
        if self.kind == self.Kind.MODEL_VILLAGE and (not self.village_id or self.household_id):
            raise ValidationError({"village": TARGET_NEEDS_VILLAGE})
        if self.kind == self.Kind.MODEL_GARDEN and not self.household_id:
            raise ValidationError({"household": TARGET_NEEDS_HOUSEHOLD})
