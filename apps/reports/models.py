from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from apps.core.models import PERIOD_ENDS_BEFORE_START, ClosedPeriod, plausible_dates_constraint


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
    # What approval fixes with the figures: the number from the issuing body's register of the year, the
    # date, the typed text per section of the outline (apps.reports.outline), the signer and the recipients.
    # Empty for reports frozen before approval carried them.
    number = models.PositiveIntegerField(_("number"), null=True, blank=True)
    number_year = models.PositiveIntegerField(_("year of the register"), null=True, blank=True)
    issued_on = models.DateField(_("date of the report"), null=True, blank=True)
    sections = models.JSONField(_("text of the sections"), default=dict, blank=True)
    signer_capacity = models.CharField(_("signer's capacity"), max_length=200, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=200, blank=True)
    signer_name = models.CharField(_("signer's full name"), max_length=200, blank=True)
    recipients = models.JSONField(_("recipients"), default=list, blank=True)

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
            plausible_dates_constraint("reports_frozen_dates_plausible", "start", "end", "issued_on"),
            # One register per issuing body and year: "Số 125-BC/HU" is given once in 2018.
            models.UniqueConstraint(
                fields=["issuer", "number_year", "number"],
                name="reports_one_number_per_body_and_year",
                condition=models.Q(number__isnull=False),
                violation_error_message=_("This number is already given to another report of this body this year."),
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


class ReportDraft(ClosedPeriod):
    """The text of a period report that staff write before leadership approves it (one per period and scope).

    ``sections`` holds the typed text per section key of :data:`apps.reports.outline.OUTLINE`; the signer and
    the recipients default to the issuing body's. Approval copies all of it into the :class:`FrozenReport`;
    after that the draft can no longer be changed.
    """

    start = models.DateField(_("from"))
    end = models.DateField(_("to"))
    commune = models.ForeignKey(
        "communes.Commune", verbose_name=_("commune"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    group = models.ForeignKey(
        "units.UnitGroup", verbose_name=_("group"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    sections = models.JSONField(_("text of the sections"), default=dict, blank=True)
    signer_capacity = models.CharField(_("signer's capacity"), max_length=200, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=200, blank=True)
    signer_name = models.CharField(_("signer's full name"), max_length=200, blank=True)
    recipients = models.JSONField(_("recipients"), default=list, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last edited by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("last edited at"), auto_now=True)

    class Meta:
        verbose_name = _("report draft")
        verbose_name_plural = _("report drafts")
        ordering = ["-end", "-start"]
        constraints = [
            models.UniqueConstraint(
                fields=["start", "end", "commune", "group"],
                name="reports_one_draft_per_scope",
                nulls_distinct=False,
            ),
            ClosedPeriod.period_constraint(
                "reports_draft_ends_after_start", violation_error_message=PERIOD_ENDS_BEFORE_START
            ),
            ClosedPeriod.plausible_dates_constraint("reports_draft_dates_plausible"),
        ]

    def __str__(self) -> str:
        return _("Draft report %(start)s - %(end)s") % {
            "start": self.start.strftime("%d/%m/%Y"),
            "end": self.end.strftime("%d/%m/%Y"),
        }
