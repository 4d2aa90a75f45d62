from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

PROFILE_NEEDS_SCOPE = _("Link the focal point to a unit or to a commune.")


class FocalPoint(models.Model):
    """Links a user to the unit or the commune whose records they keep (đầu mối)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="focal_point"
    )
    unit = models.ForeignKey(
        "units.Unit",
        verbose_name=_("unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="focal_points",
    )
    commune = models.ForeignKey(
        "communes.Commune",
        verbose_name=_("commune"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="focal_points",
    )

    class Meta:
        verbose_name = _("focal point")
        verbose_name_plural = _("focal points")
        constraints = [
            models.CheckConstraint(
                condition=Q(unit__isnull=False) | Q(commune__isnull=False),
                name="accounts_focal_point_has_scope",
                violation_error_message=PROFILE_NEEDS_SCOPE,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.unit or self.commune})"

    def clean(self) -> None:
        if not (self.unit_id or self.commune_id):
            raise ValidationError(PROFILE_NEEDS_SCOPE)
