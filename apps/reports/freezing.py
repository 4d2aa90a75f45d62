"""Frozen (approved) report periods. The reports work fills this in; the admin calls it."""

from __future__ import annotations

import datetime


def warn_if_period_frozen(request, day: datetime.date | None) -> None:
    """Tell the person saving a record dated ``day`` that it falls inside a frozen report."""
    return None
