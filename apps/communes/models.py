from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

SUCCESSOR_IS_SELF = _("A commune cannot be merged into itself.")
SUCCESSOR_NEEDS_END = _("A commune merged into another needs the date it ceased to exist.")


class CommuneQuerySet(models.QuerySet):
    def current(self):
        return self.filter(successor__isnull=True)

    def with_predecessors_of(self, code: str) -> CommuneQuerySet:
        """The commune with ``code`` and every commune merged into it, at any depth."""
        codes = {code}
        frontier = {code}
        while frontier:
            # Mergers are rare and shallow (one level in 2025): a loop of tiny queries is fine.
            frontier = (
                set(self.model.objects.filter(successor__code__in=frontier).values_list("code", flat=True)) - codes
            )
            codes |= frontier
        return self.filter(code__in=codes)


class Commune(models.Model):
    class Kind(models.TextChoices):
        COMMUNE = "xa", _("commune")
        TOWN = "thi_tran", _("town")
        WARD = "phuong", _("ward")

    code = models.CharField(_("code"), max_length=30, unique=True)
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.COMMUNE)
    disadvantaged = models.BooleanField(_("disadvantaged"), default=False)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )
    valid_to = models.DateField(_("existed until"), null=True, blank=True)

    objects = CommuneQuerySet.as_manager()

    class Meta:
        verbose_name = _("commune")
        verbose_name_plural = _("communes")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(successor=models.F("id")), name="communes_commune_not_own_successor"
            ),
            models.CheckConstraint(
                condition=models.Q(successor__isnull=True) | models.Q(valid_to__isnull=False),
                name="communes_merged_commune_has_end",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display().capitalize()} {self.name}"

    def clean(self) -> None:
        if self.successor_id and self.successor_id == self.pk:
            raise ValidationError({"successor": SUCCESSOR_IS_SELF})
        if self.successor_id and not self.valid_to:
            raise ValidationError({"valid_to": SUCCESSOR_NEEDS_END})


class Village(models.Model):
    class Kind(models.TextChoices):
        VILLAGE = "thon", _("village")
        ETHNIC_VILLAGE = "buon", _("ethnic village")
        QUARTER = "khu_pho", _("urban quarter")

    code = models.CharField(_("code"), max_length=30, unique=True)
    commune = models.ForeignKey(Commune, verbose_name=_("commune"), on_delete=models.PROTECT, related_name="villages")
    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.VILLAGE)
    disadvantaged = models.BooleanField(_("disadvantaged"), default=False)

    class Meta:
        verbose_name = _("village")
        verbose_name_plural = _("villages")
        ordering = ["commune__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["commune", "name"], name="communes_village_name_unique_in_commune"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display().capitalize()} {self.name} ({self.commune.name})"
