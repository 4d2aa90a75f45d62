"""A long import run in the background: the uploaded file, where the work stands, and its report."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportRun(models.Model):
    """One file checked (a dry run) and then, once confirmed, imported, by the worker (apps/imports/tasks.py).

    The uploader comes back to the run's page at any time (closing the browser changes nothing) and
    sees the bar, then the preview with every error, then the outcome.
    """

    class Action(models.TextChoices):
        CHECK = "check", _("check")
        IMPORT = "import", _("import")

    class State(models.TextChoices):
        QUEUED = "queued", _("waiting for the worker")
        RUNNING = "running", _("running")
        DONE = "done", _("finished")
        FAILED = "failed", _("stopped by an unexpected error")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="import_runs"
    )
    kind = models.CharField(_("kind"), max_length=40)
    file_name = models.CharField(_("file name"), max_length=255)
    # The file itself, until it is imported (then emptied): at most MAX_FILE_BYTES.
    content = models.BinaryField(_("file"), blank=True)
    language = models.CharField(_("language"), max_length=10, default="vi")
    action = models.CharField(_("action"), max_length=10, choices=Action.choices, default=Action.CHECK)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    done = models.PositiveIntegerField(_("rows done"), default=0)
    total = models.PositiveIntegerField(_("rows"), default=0)
    # Report.to_dict() of the last check or import; personal data stays in the uploader's own view.
    report = models.JSONField(_("report"), null=True, blank=True)
    # The versions of the records the check found (importer.Versions): the import refuses to overwrite
    # a record changed since. None for a run checked before versions were kept: nothing to compare.
    seen_versions = models.JSONField(_("versions of the records checked"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("background import")
        verbose_name_plural = _("background imports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_action_display()}, {self.get_state_display()})"

    @property
    def finished(self) -> bool:
        return self.state in (self.State.DONE, self.State.FAILED)

    @property
    def outcome(self) -> str:
        """In a few words, for the list of the uploader's runs."""
        report = self.report or {}
        if self.state != self.State.DONE:
            return str(self.get_state_display())
        if report.get("errors"):
            return str(_("%(count)s error(s), nothing imported") % {"count": len(report["errors"])})
        if self.action == self.Action.CHECK:
            return str(_("checked, waiting for your confirmation"))
        return str(_("imported"))

    @property
    def percent(self) -> int:
        if self.finished:
            return 100
        return int(100 * self.done / self.total) if self.total else 0
