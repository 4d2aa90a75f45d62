"""Signals a lower layer sends so that a higher one can react without being imported."""

from __future__ import annotations

from django.dispatch import Signal

# Sent by the admin when a person saves or deletes dated records (donations, repayments), with
# ``request`` and ``dates`` (the records' dates). The reports app answers with a warning when a
# date falls inside an approved, frozen report (apps.reports.freezing).
dated_records_changed = Signal()
