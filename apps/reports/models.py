from __future__ import annotations

import uuid
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
    # Approving a period and scope again makes version 2, 3 …; every earlier version stays as it was approved.
    # Each version is a document of its own, with its own number and date from the body's register (see
    # apps.reports.services.approve_report for why), and prints which report it replaces.
    version = models.PositiveSmallIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("frozen report")
        verbose_name_plural = _("frozen reports")
        ordering = ["-end", "-start", "-version"]
        constraints = [
            # One approved report per period, scope and version; an empty scope is a scope too.
            models.UniqueConstraint(
                fields=["start", "end", "commune", "group", "version"],
                name="reports_one_frozen_version_per_scope",
                nulls_distinct=False,
            ),
            models.CheckConstraint(condition=models.Q(version__gte=1), name="reports_frozen_version_from_one"),
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
        text = _("Report %(start)s - %(end)s") % {
            "start": self.start.strftime("%d/%m/%Y"),
            "end": self.end.strftime("%d/%m/%Y"),
        }
        if self.version == 1:
            return text
        version = _("version %(n)s") % {"n": self.version}
        return f"{text} ({version})"

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


class ReportPdfRun(models.Model):
    """A report PDF too long to lay out while the browser waits, made by the worker (apps/reports/tasks.py).

    The HTML is rendered by the request (figures as they were when asked) and kept here until the worker has
    laid it out; the PDF is kept here too, so any server process can hand it over, and the same HTML asked
    again (its ``digest``) is answered from it at once. Only the person who asked sees the run.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("waiting for the worker")
        RUNNING = "running", _("running")
        DONE = "done", _("finished")
        FAILED = "failed", _("stopped by an unexpected error")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="report_pdf_runs"
    )
    title = models.CharField(_("report"), max_length=200)
    file_name = models.CharField(_("file name"), max_length=200)
    summary_url = models.CharField(_("address of the report"), max_length=500)
    # sha256 of the HTML and stylesheets (apps.reports.documents.pdf_key): the same report asked again.
    digest = models.CharField(_("digest"), max_length=64)
    html = models.TextField(_("HTML"), blank=True)
    pdf = models.BinaryField(_("PDF"), blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    step = models.PositiveSmallIntegerField(_("step"), default=0)
    steps = models.PositiveSmallIntegerField(_("steps"), default=1)
    step_name = models.CharField(_("current step"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("background report PDF")
        verbose_name_plural = _("background report PDFs")
        ordering = ["-created_at"]
        indexes = [
            # apps.reports.views.summary: "is this report's PDF made already?"
            models.Index(fields=["digest", "state"], name="reports_pdf_run_digest_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.get_state_display()})"

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def percent(self) -> int:
        if self.finished:
            return 100
        return min(99, int(100 * self.step / self.steps)) if self.steps else 0


class CommuneOrder(models.Model):
    """Where an issuing body lists a commune in its reports' tables: the administrative order it sets (issue 12).

    Optional: a body with no order lists communes in Vietnamese alphabetical order, and communes it leaves out
    follow the ones it placed, in that order too (:func:`apps.reports.ordering.in_body_order`). An approved
    report keeps the order it was approved with.
    """

    issuer = models.ForeignKey(
        "bodies.IssuingBody", verbose_name=_("issuing body"), on_delete=models.CASCADE, related_name="+"
    )
    commune = models.ForeignKey(
        "communes.Commune", verbose_name=_("commune"), on_delete=models.CASCADE, related_name="+"
    )
    position = models.PositiveSmallIntegerField(_("place in the order"), help_text=_("1 for the first commune listed."))

    class Meta:
        verbose_name = _("order of a commune in reports")
        verbose_name_plural = _("order of communes in reports")
        ordering = ["issuer", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["issuer", "commune"],
                name="reports_commune_placed_once_per_body",
                violation_error_message=_("This commune already has a place in this body's order."),
            ),
            models.UniqueConstraint(
                fields=["issuer", "position"],
                name="reports_one_commune_per_position",
                violation_error_message=_("Another commune already has this place in this body's order."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.position}. {self.commune}"
