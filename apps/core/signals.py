"""Signals a lower layer sends so that a higher one can react without being imported."""

from __future__ import annotations

from django.dispatch import Signal

# Sent by the admin when a person saves or deletes dated records (donations, repayments), with
# ``request`` and ``dates`` (the records' dates). The reports app answers with a warning when a
# date falls inside an approved, frozen report (apps.reports.freezing).
dated_records_changed = Signal()

# Sent after writes that send no model signals (bulk_create, COPY, QuerySet.update, raw SQL) to records the
# public pages show, e.g. by the demo loader; ``sender`` is the writer. The portal marks its cached pages
# stale (apps.portal.signals), as it does on every save and delete.
records_written_in_bulk = Signal()
