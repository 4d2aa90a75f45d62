"""Who receives help: a commune, a village, a household or a student (pledges and donations)."""

from __future__ import annotations

from django.contrib.postgres.expressions import ArraySubquery
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Func, OuterRef, Q
from django.db.models.functions import Coalesce
from django.db.models.lookups import In
from django.utils.translation import gettext_lazy as _

BENEFICIARY_MISMATCH = _("Choose exactly the beneficiary that matches the beneficiary kind.")


class BeneficiaryKind(models.TextChoices):
    COMMUNE = "commune", _("commune")
    VILLAGE = "village", _("village")
    HOUSEHOLD = "household", _("household")
    STUDENT = "student", _("student")


BENEFICIARY_FIELDS = [kind.value for kind in BeneficiaryKind]


def _only(field: str) -> Q:
    condition = Q(beneficiary_kind=field, **{f"{field}__isnull": False})
    for other in BENEFICIARY_FIELDS:
        if other != field:
            condition &= Q(**{f"{other}__isnull": True})
    return condition


class Beneficiary(models.Model):
    """Abstract: one of four nullable links, the one named by ``beneficiary_kind``."""

    beneficiary_kind = models.CharField(_("beneficiary kind"), max_length=10, choices=BeneficiaryKind.choices)
    commune = models.ForeignKey(
        "communes.Commune",
        verbose_name=_("commune"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    village = models.ForeignKey(
        "communes.Village",
        verbose_name=_("village"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    household = models.ForeignKey(
        "households.Household",
        verbose_name=_("household"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="%(class)ss",
    )
    student = models.ForeignKey(
        "households.Student",
        verbose_name=_("student"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="%(class)ss",
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=_only("commune") | _only("village") | _only("household") | _only("student"),
                name="%(app_label)s_%(class)s_beneficiary_matches_kind",
                violation_error_message=BENEFICIARY_MISMATCH,
            ),
        ]

    @property
    def beneficiary(self):
        return getattr(self, self.beneficiary_kind) if self.beneficiary_kind else None

    @beneficiary.setter
    def beneficiary(self, target) -> None:
        """Set the link and the kind from a Commune, Village, Household or Student."""
        kind = type(target).__name__.lower()
        if kind not in BENEFICIARY_FIELDS:
            raise TypeError(f"not a beneficiary: {target!r}")
        for field in BENEFICIARY_FIELDS:
            setattr(self, field, target if field == kind else None)
        self.beneficiary_kind = kind

    def clean(self) -> None:
        super().clean()
        given = [field for field in BENEFICIARY_FIELDS if getattr(self, f"{field}_id")]
        if self.beneficiary_kind and given != [self.beneficiary_kind]:
            raise ValidationError({self.beneficiary_kind: BENEFICIARY_MISMATCH})


# What a beneficiary's label (str) reads, its village and commune: one join chain per kind, for
# ``select_related`` on any list of pledges or donations.
BENEFICIARY_SELECT_RELATED = [
    "commune",
    "village__commune",
    "household__village__commune",
    "student__household",
]


class _AmongIds(Func):
    """``column = ANY(ARRAY(subquery))``: the subquery runs once and, unlike ``IN (subquery)`` in an OR,
    an index on the column can answer it, so an OR of several such columns stays a bitmap index scan."""

    template = "(%(expressions)s))"
    arg_joiner = " = ANY("
    output_field = models.BooleanField()


def _beneficiary_village() -> Coalesce:
    """The village of the outer row's beneficiary: the village itself, a household's or a student's household's."""
    return Coalesce(OuterRef("village"), OuterRef("household__village"), OuterRef("student__household__village"))


def in_commune(commune, *, on: str = "date") -> Q:
    """Rows whose beneficiary lies in the commune, or one merged into it, on the row's date (field ``on``).

    A village counts for the commune it belonged to that day (villages move at a merger). The rows are
    first narrowed by indexed columns (the commune, villages that were ever there, their households and
    students), then the village's commune on the day is checked on those rows only.
    """
    from apps.communes.models import Village, commune_of_village_on
    from apps.households.models import Household, Student

    family = commune.family_ids()
    villages = Village.objects.ever_in(family).order_by().values("pk")
    households = Household.objects.filter(village__in=villages).order_by().values("pk")
    students = Student.objects.filter(household__in=households).order_by().values("pk")
    ever_there = (
        Q(_AmongIds(F("village"), ArraySubquery(villages)))
        | Q(_AmongIds(F("household"), ArraySubquery(households)))
        | Q(_AmongIds(F("student"), ArraySubquery(students)))
    )
    there_then = In(commune_of_village_on(_beneficiary_village(), OuterRef(on)), family)
    return Q(commune__in=family) | (ever_there & Q(there_then))


def beneficiary_commune(
    attribute: str = "id", output_field: models.Field | None = None, *, on: str = "date"
) -> Coalesce:
    """The commune (its ``attribute``) the beneficiary lay in on the row's date (field ``on``), to group or sort by."""
    from apps.communes.models import Commune, commune_of_village_on

    village_commune = commune_of_village_on(_beneficiary_village(), OuterRef(on), attribute=attribute)
    output_field = output_field or Commune._meta.get_field(attribute)
    return Coalesce(F(f"commune__{attribute}"), village_commune, output_field=output_field)
