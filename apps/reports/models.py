from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import PERIOD_ENDS_BEFORE_START, ClosedPeriod


class FrozenReport(ClosedPeriod):
    """A period report as leadership approved it: the figures are kept exactly as they were then."""

    # The report's own words for its dates.
    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    commune = models.ForeignKey(
        "communes.Commune",
        verbose_name=_("commune"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    group = models.ForeignKey(
        "units.UnitGroup",
        verbose_name=_("group"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # The body whose letterhead the approved report carries; empty for reports frozen before bodies existed.
    issuer = models.ForeignKey(
        "bodies.IssuingBody",
        verbose_name=_("issuing body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="frozen_reports",
    )
    figures = models.JSONField(_("approved figures"), help_text=_("Totals and tables as they were approved."))
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("frozen by"), on_delete=models.PROTECT, related_name="+"
    )
    frozen_at = models.DateTimeField(_("frozen at"), auto_now_add=True)

    class Meta:
        verbose_name = _("frozen report")
        verbose_name_plural = _("frozen reports")
        ordering = ["-end", "-start"]
        constraints = [
            # One approved version per period and scope; an empty scope is a scope too.
            models.UniqueConstraint(
                fields=["start", "end", "commune", "group"],
                name="reports_one_frozen_report_per_scope",
                nulls_distinct=False,
            ),
            ClosedPeriod.period_constraint(
                "reports_frozen_ends_after_start", violation_error_message=PERIOD_ENDS_BEFORE_START
            ),
        ]
        indexes = [
            # warn_if_period_frozen: "is any frozen report's period around this day?"
            models.Index(fields=["start", "end"], name="reports_frozen_period_idx"),
        ]

    def __str__(self) -> str:
        return _("Report %(start)s - %(end)s") % {
            "start": self.start.strftime("%d/%m/%Y"),
            "end": self.end.strftime("%d/%m/%Y"),
        }

    def approved_figures(self) -> dict[str, Any]:
        """The stored figures with sectors and goods back in display order (jsonb sorts keys by length)."""
        from apps.donations.selectors import SECTORS

        figures = dict(self.figures)
        order = figures.get("item_order", [])

        def goods_in_order(totals: dict[str, Any]) -> dict[str, Any]:
            goods = totals.get("goods", {})
            ordered = {code: goods[code] for code in order if code in goods}
            ordered.update({code: item for code, item in goods.items() if code not in ordered})
            return {**totals, "goods": ordered}

        figures["sectors"] = {
            sector: goods_in_order(figures["sectors"][sector]) for sector in SECTORS if sector in figures["sectors"]
        }
        figures["total"] = goods_in_order(figures["total"])
        for table in ("groups", "communes"):
            figures[table] = [goods_in_order(row) for row in figures.get(table, [])]
        return figures
