from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
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
    # The code of the national poverty review's database, by which communes match their lists with it.
    national_code = models.CharField(_("national review code"), max_length=40, blank=True)
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


class PovertyStandard(models.Model):
    """A national poverty standard (chuẩn nghèo) and the years whose lists are drawn under it.

    An extension (the 2016-2020 standard kept for 2021, the 2022-2025 one for 2026) is its own row,
    naming the text that extended it and the standard it extends: the report names what each year used.
    """

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=200)
    legal_basis = models.CharField(_("legal basis"), max_length=300)
    extends = models.ForeignKey(
        "self",
        verbose_name=_("extends"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="extensions",
        help_text=_("The standard whose lines and indicators this text kept in force."),
    )
    first_year = models.PositiveSmallIntegerField(_("first list year"))
    last_year = models.PositiveSmallIntegerField(_("last list year"))
    # Income per person per month, whole đồng: at or below the poverty line a household is poor (or, under a
    # multidimensional standard, poor or near-poor depending on its deprivations).
    rural_poverty_line_vnd = models.BigIntegerField(_("poverty line, rural (đồng/person/month)"))
    urban_poverty_line_vnd = models.BigIntegerField(_("poverty line, urban (đồng/person/month)"))
    rural_near_poverty_line_vnd = models.BigIntegerField(_("near-poverty line, rural (đồng/person/month)"))
    urban_near_poverty_line_vnd = models.BigIntegerField(_("near-poverty line, urban (đồng/person/month)"))
    rural_average_line_vnd = models.BigIntegerField(
        _("average living standard up to, rural (đồng/person/month)"), null=True, blank=True
    )
    urban_average_line_vnd = models.BigIntegerField(
        _("average living standard up to, urban (đồng/person/month)"), null=True, blank=True
    )
    poor_from_deprivations = models.PositiveSmallIntegerField(
        _("deprivations that make a household poor"),
        null=True,
        blank=True,
        help_text=_("Empty for a standard measured by income alone."),
    )
    indicators = models.ManyToManyField(
        "DeprivationIndicator", verbose_name=_("deprivation indicators"), blank=True, related_name="standards"
    )

    class Meta:
        verbose_name = _("poverty standard")
        verbose_name_plural = _("poverty standards")
        ordering = ["first_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_year__gte=F("first_year")), name="households_standard_years_in_order"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.legal_basis})"

    @property
    def period(self) -> str:
        return str(self.first_year) if self.first_year == self.last_year else f"{self.first_year}–{self.last_year}"


def standard_for_year(year: int) -> PovertyStandard | None:
    """The standard in force for the list of ``year``."""
    return PovertyStandard.objects.filter(first_year__lte=year, last_year__gte=year).first()


class DeprivationIndicator(models.Model):
    """One of a standard's indicators of deprivation in basic social services (chỉ số thiếu hụt)."""

    class Dimension(models.TextChoices):
        EMPLOYMENT = "employment", _("employment")
        HEALTH = "health", _("health")
        EDUCATION = "education", _("education")
        HOUSING = "housing", _("housing")
        WATER = "water", _("water and sanitation")
        INFORMATION = "information", _("information")

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    dimension = models.CharField(_("dimension"), max_length=20, choices=Dimension.choices)

    class Meta:
        verbose_name = _("deprivation indicator")
        verbose_name_plural = _("deprivation indicators")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class PovertyCause(models.Model):
    """A cause of poverty from the review form's standard list (nguyên nhân nghèo)."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("cause of poverty")
        verbose_name_plural = _("causes of poverty")
        ordering = ["order", "code"]

    def __str__(self) -> str:
        return self.name


STANDARD_NOT_IN_FORCE = _("This standard was not in force for the list of %(year)s.")
INDICATOR_NOT_OF_STANDARD = _("%(names)s: not an indicator of the standard %(standard)s.")
DURING_YEAR_NEEDS_DATE = _("A recognition during the year needs the date of its decision.")
DECISION_DATE_OUTSIDE_YEAR = _(
    "The yearly review for the list of %(year)s is decided from 01/09/%(before)s to 31/12/%(year)s; "
    "a recognition during the year, in %(year)s."
)


class HouseholdStatusQuerySet(models.QuerySet):
    def in_review_order(self) -> HouseholdStatusQuerySet:
        """A household's classifications as they followed each other: by list year, the yearly review first."""
        return self.order_by("household", "year", F("decided_on").asc(nulls_first=True), "pk")


@audited("households_status_evt_idx")
class HouseholdStatus(models.Model):
    """A household's classification in one poverty review: the list it was recognised on, under a standard.

    Events (escaped poverty or near-poverty, newly poor, fell back) are never stored: they are derived
    from two consecutive classifications (apps.households.changes). "At risk of falling back" is the
    programme's own flag, not a list.
    """

    class Status(models.TextChoices):
        POOR = "poor", _("poor")
        NEAR_POOR = "near_poor", _("near-poor")
        AVERAGE = "average", _("average living standard")
        NONE = "none", _("not poor")

    class Round(models.TextChoices):
        YEARLY = "yearly", _("yearly review")
        DURING_YEAR = "during_year", _("during the year")

    household = models.ForeignKey(
        Household, verbose_name=_("household"), on_delete=models.CASCADE, related_name="statuses"
    )
    # The year whose list the review sets: the yearly review of September-December 2018 sets the 2019 list.
    year = models.PositiveSmallIntegerField(
        _("list year"),
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
        help_text=_("The year whose list this sets: the review at the end of 2018 sets the list of 2019."),
    )
    status = models.CharField(_("list"), max_length=10, choices=Status.choices)
    standard = models.ForeignKey(
        PovertyStandard,
        verbose_name=_("poverty standard"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="classifications",
        help_text=_("Left empty, the standard in force for the list year."),
    )
    review_round = models.CharField(_("review round"), max_length=12, choices=Round.choices, default=Round.YEARLY)
    decision_number = models.CharField(_("decision number"), max_length=60, blank=True)
    decided_on = models.DateField(_("decision date"), null=True, blank=True)
    deprivations = models.ManyToManyField(
        DeprivationIndicator, verbose_name=_("deprivations found"), blank=True, related_name="classifications"
    )
    causes = models.ManyToManyField(
        PovertyCause, verbose_name=_("main causes"), blank=True, related_name="classifications"
    )
    no_labour_capacity = models.BooleanField(_("no labour capacity"), default=False)
    ethnic_minority = models.BooleanField(_("ethnic minority"), default=False)
    policy_household = models.BooleanField(_("policy household"), default=False)
    at_risk = models.BooleanField(_("at risk of falling back"), default=False)

    objects = HouseholdStatusQuerySet.as_manager()

    # Codes an import row gives, until save_classification() links them (see deprivation_codes).
    _deprivation_codes: list[str] | None = None
    _cause_codes: list[str] | None = None

    class Meta:
        verbose_name = _("household classification")
        verbose_name_plural = _("household classifications")
        ordering = ["household", "-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["household", "year"],
                condition=Q(review_round="yearly"),
                name="households_one_status_per_year",
            ),
            models.UniqueConstraint(
                fields=["household", "decided_on"],
                condition=Q(review_round="during_year"),
                name="households_one_recognition_per_day",
            ),
            models.CheckConstraint(
                condition=Q(review_round="yearly") | Q(decided_on__isnull=False),
                name="households_during_year_has_date",
                violation_error_message=DURING_YEAR_NEEDS_DATE,
            ),
            models.CheckConstraint(
                condition=Q(year__gte=1990) & Q(year__lte=2100), name="households_status_year_plausible"
            ),
        ]
        indexes = [
            # Outcomes and monitoring: the classifications of a list year, by list.
            models.Index(fields=["year", "status"], name="households_status_year_idx"),
            # Outcomes: the households on a year's poor or near-poor list, read from this index alone.
            models.Index(
                fields=["household", "year"],
                include=["status"],
                condition=Q(review_round="yearly", status__in=["poor", "near_poor"]),
                name="households_status_listed_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.get_status_display()}"

    # The contract's import kind household_statuses still speaks in the old yearly statuses.
    LEGACY_AT_RISK = "at_risk"

    @property
    def legacy_status(self) -> str:
        """The list, or "at_risk" for a household on no list that carries the flag (kind household_statuses)."""
        return self.LEGACY_AT_RISK if self.at_risk and self.status == self.Status.NONE else self.status

    @legacy_status.setter
    def legacy_status(self, value: str) -> None:
        self.at_risk = value == self.LEGACY_AT_RISK
        self.status = self.Status.NONE if self.at_risk else value

    @property
    def deprivation_codes(self) -> list[str]:
        """The codes of the deprivations found, sorted; as an import row names them until they are saved."""
        if self._deprivation_codes is not None:
            return self._deprivation_codes
        return sorted(d.code for d in self.deprivations.all()) if self.pk else []

    @deprivation_codes.setter
    def deprivation_codes(self, codes: Iterable[str]) -> None:
        self._deprivation_codes = sorted(set(codes))

    @property
    def cause_codes(self) -> list[str]:
        if self._cause_codes is not None:
            return self._cause_codes
        return sorted(c.code for c in self.causes.all()) if self.pk else []

    @cause_codes.setter
    def cause_codes(self, codes: Iterable[str]) -> None:
        self._cause_codes = sorted(set(codes))

    def clean(self) -> None:
        super().clean()
        if self.year is None:
            return
        if self.standard_id is None:
            self.standard = standard_for_year(self.year)
        elif not self.standard.first_year <= self.year <= self.standard.last_year:
            raise ValidationError({"standard": STANDARD_NOT_IN_FORCE % {"year": self.year}})
        if self.review_round == self.Round.DURING_YEAR and not self.decided_on:
            raise ValidationError({"decided_on": DURING_YEAR_NEEDS_DATE})
        if self.decided_on and not self._decided_in_time():
            raise ValidationError(
                {"decided_on": DECISION_DATE_OUTSIDE_YEAR % {"year": self.year, "before": self.year - 1}}
            )

    def _decided_in_time(self) -> bool:
        if self.review_round == self.Round.DURING_YEAR:
            return self.decided_on.year == self.year
        return datetime.date(self.year - 1, 9, 1) <= self.decided_on <= datetime.date(self.year, 12, 31)


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


class StatusChange(models.Model):
    """A classification that changed something for its household (apps.households.changes): one row per
    change-making classification, kept exact by database triggers on the classifications (migration
    households/0011), so that counting escapes reads these rows instead of ordering every household's
    classifications (a million of them for a province)."""

    household = models.ForeignKey(
        Household, on_delete=models.DO_NOTHING, db_constraint=False, db_index=False, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    previous = models.CharField(max_length=10)
    status = models.CharField(max_length=10)
    escaped_poverty = models.BooleanField()
    escaped_near_poverty = models.BooleanField()
    newly_poor = models.BooleanField()
    fell_back = models.BooleanField()

    class Meta:
        indexes = [models.Index(fields=["household", "year"], name="households_change_idx")]

    def __str__(self) -> str:
        return f"{self.household_id} {self.year}: {self.previous} → {self.status}"
