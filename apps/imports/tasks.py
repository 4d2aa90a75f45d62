"""Background work of the imports: a long file is checked, then imported, by `manage.py db_worker`."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import DatabaseError
from django.utils import timezone, translation
from django_tasks import task

from apps.imports.importer import import_file
from apps.imports.models import ImportRun

logger = logging.getLogger(__name__)

# The connection that writes the progress outside the import's own transaction (settings.DATABASES).
PROGRESS_DB = "progress" if "progress" in settings.DATABASES else "default"


def _progress(run_id) -> callable:
    def tell(done: int, total: int) -> None:
        try:
            ImportRun.objects.using(PROGRESS_DB).filter(pk=run_id).update(
                done=done, total=total, updated_at=timezone.now()
            )
        except DatabaseError:  # the bar is a courtesy: it never stops the import
            logger.warning("import run %s: progress not recorded", run_id)

    return tell


@task()
def run_import(run_id: str) -> dict:
    """Check (dry run) or import the run's file, all or nothing; the report is kept on the run."""
    run = ImportRun.objects.select_related("user").get(pk=run_id)
    if run.finished or run.state == ImportRun.State.RUNNING:
        return {"skipped": True}  # a task enqueued twice, or a run already done: nothing to do again
    ImportRun.objects.filter(pk=run.pk).update(state=ImportRun.State.RUNNING, done=0, updated_at=timezone.now())
    checking = run.action == ImportRun.Action.CHECK
    try:
        with translation.override(run.language or settings.LANGUAGE_CODE):
            report = import_file(
                run.kind,
                bytes(run.content),
                run.file_name,
                dry_run=checking,
                user=run.user,
                via="admin",
                progress=_progress(run.pk),
                seen_versions=None if checking else run.seen_versions,
            )
    except Exception:
        ImportRun.objects.filter(pk=run.pk).update(state=ImportRun.State.FAILED)
        raise
    fields = {"state": ImportRun.State.DONE, "report": report.to_dict(), "done": report.rows, "total": report.rows}
    if checking:
        fields["seen_versions"] = report.versions  # what the import, once confirmed, compares with
    if report.written or not report.ok:
        fields["content"] = b""  # imported, or refused: the file is not needed any more
    ImportRun.objects.filter(pk=run.pk).update(**fields)
    logger.info("import run %s (%s): ok=%s written=%s", run.pk, run.action, report.ok, report.written)
    return {"ok": report.ok, "written": report.written, "created": report.created, "updated": report.updated}
