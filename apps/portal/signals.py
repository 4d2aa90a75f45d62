"""Any change to a record the public pages show makes the cached pages stale: saves and deletes, and bulk
writes announced with apps.core.signals.records_written_in_bulk."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from apps.core.signals import records_written_in_bulk
from apps.portal.services import mark_public_pages_stale

# The visitor counter changes on every view and is filled in outside the cache: ignore it.
IGNORED_MODELS = {"portal.dailyvisits", "portal.flushedvisits", "portal.visitcountersettings"}
WATCHED_APPS = {"core", "communes", "units", "households", "pledges", "donations", "portal"}


def _record_changed(sender, **kwargs) -> None:
    meta = sender._meta
    if meta.app_label in WATCHED_APPS and meta.label_lower not in IGNORED_MODELS:
        mark_public_pages_stale()


def _written_in_bulk(sender, **kwargs) -> None:
    mark_public_pages_stale()


def connect() -> None:
    post_save.connect(_record_changed, dispatch_uid="portal_stale_on_save")
    post_delete.connect(_record_changed, dispatch_uid="portal_stale_on_delete")
    records_written_in_bulk.connect(_written_in_bulk, dispatch_uid="portal_stale_on_bulk_write")
