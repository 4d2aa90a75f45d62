"""Any change to a record the public pages show makes the cached pages stale."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from apps.portal.services import mark_public_pages_stale

# The visitor counter changes on every view and is filled in outside the cache: ignore it.
IGNORED_MODELS = {"portal.dailyvisits", "portal.flushedvisits", "portal.visitcountersettings"}
WATCHED_APPS = {"core", "communes", "units", "households", "pledges", "donations", "portal"}


def _record_changed(sender, **kwargs) -> None:
    meta = sender._meta
    if meta.app_label in WATCHED_APPS and meta.label_lower not in IGNORED_MODELS:
        mark_public_pages_stale()


def connect() -> None:
    post_save.connect(_record_changed, dispatch_uid="portal_stale_on_save")
    post_delete.connect(_record_changed, dispatch_uid="portal_stale_on_delete")
