"""No lost update: a save from a form opened before someone else's save is refused, saying what changed.

A record's *version* is the id of the last event the history triggers wrote for it (apps.accounts.audit):
every create or change of an audited record (donations, repayments, pledges, households, …) writes one,
whoever makes it (a page, an import, a script), so no column has to be kept up to date by hand. A form
carries the version it was opened at; the service locks the row and compares before it writes.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from pghistory.models import Events

from apps.accounts.audit import ReadableHistory, describe_user
from apps.core.services import save_validated

STALE_EDIT = _(
    "Someone changed this record after you opened it, so your changes were not saved: %(changes)s. "
    "Open the record again to see the new values, then make your change."
)
ONE_CHANGE = _("%(user)s at %(when)s (%(what)s)")
# The name of the form's hidden field that carries the version.
SEEN_FIELD = "seen_version"


def tracks_versions(model: type[models.Model]) -> bool:
    return getattr(model, "pgh_event_model", None) is not None


def current_version(instance: models.Model) -> int:
    """The id of the record's last history event; 0 when it has none (or is not saved yet)."""
    event_model = getattr(type(instance), "pgh_event_model", None)
    if event_model is None or instance.pk is None:
        return 0
    # The event table's (pgh_obj, pgh_id) index answers this from its last entry.
    last = event_model.objects.filter(pgh_obj_id=instance.pk).order_by("-pgh_id").values_list("pgh_id", flat=True)
    return last.first() or 0


def current_versions(model: type[models.Model], pks: list[Any]) -> dict[Any, int]:
    """The versions of many records of ``model`` in one query (an import's preview and confirmation)."""
    event_model = getattr(model, "pgh_event_model", None)
    if event_model is None or not pks:
        return {}
    rows = event_model.objects.filter(pgh_obj_id__in=pks).values("pgh_obj_id").annotate(last=models.Max("pgh_id"))
    return {row["pgh_obj_id"]: row["last"] for row in rows}


def read_version(value: Any) -> int | None:
    """The version a form was opened at, or None when the form did not say (an old page, a script)."""
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


def refuse_stale_edit(instance: models.Model, seen_version: int | None, message: Any = STALE_EDIT) -> None:
    """Refuse the save (ValidationError) if the record changed after ``seen_version``; lock its row meanwhile.

    Call inside a transaction: the lock keeps a third save from slipping in between the check and the write.
    ``message`` (with ``%(changes)s``: who changed what and when) is the form's by default; the importer
    says it in its own words (apps.imports.importer.STALE_IMPORT).
    """
    model = type(instance)
    if seen_version is None or instance.pk is None or not tracks_versions(model):
        return
    model._default_manager.select_for_update().filter(pk=instance.pk).values_list("pk", flat=True).first()
    if current_version(instance) <= seen_version:
        return
    newer = list(Events.objects.tracks(instance).filter(pgh_id__gt=seen_version).order_by("pgh_id"))
    history = ReadableHistory(newer)
    described = [
        str(ONE_CHANGE)
        % {
            "user": describe_user(event.pgh_context),
            "when": date_format(timezone.localtime(event.pgh_created_at), "SHORT_DATETIME_FORMAT"),
            "what": ", ".join(
                f"{row['field']}: {row['before'] or '—'} → {row['after'] or '—'}" for row in history.changes(event)
            )
            or str(_("no visible change")),
        }
        for event in newer
    ]
    raise ValidationError(message, code="stale", params={"changes": "; ".join(described)})


@transaction.atomic
def save_unless_stale(instance: models.Model, seen_version: int | None) -> models.Model:
    """The generic save (apps.core.services.save_validated) of a record without a service of its own
    (pledges, households), refused when someone changed the record after ``seen_version``."""
    refuse_stale_edit(instance, seen_version)
    return save_validated(instance)
