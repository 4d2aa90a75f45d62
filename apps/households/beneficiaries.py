"""Who receives help: a commune, a village, a household or a student (pledges and donations)."""

from __future__ import annotations

import operator
from functools import reduce

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Coalesce
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


# The beneficiary's place, from the nearest link down to the commune: one path per beneficiary kind.
_COMMUNE_PATHS = ["commune", "village__commune", "household__village__commune", "student__household__village__commune"]


def in_commune(commune) -> Q:
    """Rows whose beneficiary (itself, a village, a household, a student) lies in the commune or one merged into it."""
    from apps.communes.models import Commune

    ids = list(Commune.objects.with_predecessors_of(commune.code).values_list("id", flat=True))
    return reduce(operator.or_, (Q(**{f"{path}__in": ids}) for path in _COMMUNE_PATHS))


def beneficiary_commune(attribute: str = "id", output_field: models.Field | None = None) -> Coalesce:
    """The commune the beneficiary lies in (its ``attribute``), as an expression to group or sort by."""
    return Coalesce(*(f"{path}__{attribute}" for path in _COMMUNE_PATHS), output_field=output_field)
