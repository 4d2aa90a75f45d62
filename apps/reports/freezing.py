"""Frozen (approved) report periods, and the warning the admin shows when a change touches one.

The admin of dated records announces what it changed (apps.core.signals.dated_records_changed);
:class:`apps.reports.apps.ReportsConfig` connects :func:`warn_if_periods_frozen` to it, so the
records' apps need not know the reports exist.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib import messages
from django.utils.translation import gettext as _

from apps.reports.models import FrozenReport


def frozen_reports_covering(day: datetime.date) -> list[FrozenReport]:
    return list(FrozenReport.objects.filter(start__lte=day, end__gte=day).order_by("start"))


def warn_if_period_frozen(request, day: datetime.date | None) -> None:
    """Tell the person saving a record dated ``day`` that it falls inside a frozen report."""
    if day is None:
        return
    reports = frozen_reports_covering(day)
    if not reports:
        return
    periods = ", ".join(f"{r.start:%d/%m/%Y} - {r.end:%d/%m/%Y}" for r in reports)
    messages.warning(
        request,
        _(
            "This record is dated %(day)s, inside a report already approved and frozen (%(periods)s). "
            "The frozen report keeps its approved figures and will now show the difference."
        )
        % {"day": f"{day:%d/%m/%Y}", "periods": periods},
    )


def warn_if_periods_frozen(sender, *, request, dates: list[datetime.date], **kwargs) -> None:
    """Receiver of ``dated_records_changed``: one warning per date that falls inside a frozen report."""
    for day in dates:
        warn_if_period_frozen(request, day)


def _flatten(totals: dict[str, Any]) -> dict[str, Any]:
    flat = {key: value for key, value in totals.items() if key != "goods"}
    for code, item in totals.get("goods", {}).items():
        flat[f"goods:{code}"] = item["quantity"]
    return flat


def differences(frozen: dict[str, Any], current: dict[str, Any]) -> list[dict[str, Any]]:
    """Every total (per sector and overall) whose current value differs from the approved one."""
    changed = []
    goods_names = {
        code: f"{item['name']} ({item['measure']})"
        for figures in (frozen, current)
        for code, item in figures["total"]["goods"].items()
    }
    pairs = [("total", frozen["total"], current["total"])] + [
        (sector, frozen["sectors"].get(sector, {}), current["sectors"].get(sector, {})) for sector in current["sectors"]
    ]
    for sector, old, new in pairs:
        old_flat, new_flat = _flatten(old), _flatten(new)
        for key in sorted(set(old_flat) | set(new_flat)):
            before, after = old_flat.get(key, 0), new_flat.get(key, 0)
            if before != after:
                changed.append(
                    {
                        "sector": sector,
                        "key": key,
                        "goods_name": goods_names.get(key.removeprefix("goods:")),
                        "frozen": before,
                        "current": after,
                        "difference": after - before,
                    }
                )
    return changed
