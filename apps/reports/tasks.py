"""Background work of the reports: a long report's PDF laid out by `manage.py db_worker` (issue 13)."""

from __future__ import annotations

import logging
import re

from django.db import DatabaseError
from django.utils import timezone
from django_tasks import task

from apps.reports import documents
from apps.reports.models import ReportPdfRun

logger = logging.getLogger(__name__)

_STEP = re.compile(r"Step (\d+) - ([^-]+)")


def _progress(run_id) -> callable:
    """Moves the run's bar as WeasyPrint begins each step (pages are laid out within step 5)."""

    def tell(message: str) -> None:
        if (match := _STEP.match(message)) is None:
            return
        try:
            ReportPdfRun.objects.filter(pk=run_id).update(
                step=int(match[1]), step_name=match[2].strip(), updated_at=timezone.now()
            )
        except DatabaseError:  # the bar is a courtesy: it never stops the PDF
            logger.warning("report pdf run %s: progress not recorded", run_id)

    return tell


@task()
def render_report_pdf(run_id: str) -> dict:
    """Lay out the run's HTML as PDF and keep it on the run, where the download link finds it."""
    run = ReportPdfRun.objects.defer("pdf").filter(pk=run_id).first()
    if run is None:
        return {"skipped": True}  # the run was deleted (admin, the benchmark) before the worker came to it
    if run.finished or run.state == ReportPdfRun.State.RUNNING:
        return {"skipped": True}  # a task enqueued twice, or a run already done: nothing to do again
    ReportPdfRun.objects.filter(pk=run.pk).update(
        state=ReportPdfRun.State.RUNNING, step=0, steps=documents.PDF_STEPS, updated_at=timezone.now()
    )
    try:
        pdf = documents.pdf_bytes(run.html, progress=_progress(run.pk))
    except Exception:
        ReportPdfRun.objects.filter(pk=run.pk).update(state=ReportPdfRun.State.FAILED, html="")
        logger.exception("report pdf run %s failed", run.pk)
        raise
    ReportPdfRun.objects.filter(pk=run.pk).update(
        state=ReportPdfRun.State.DONE, pdf=pdf, html="", step=documents.PDF_STEPS
    )
    logger.info("report pdf run %s: %s bytes", run.pk, len(pdf))
    return {"bytes": len(pdf)}
