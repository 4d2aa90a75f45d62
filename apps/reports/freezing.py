"""Frozen (approved) report periods, and the warning the admin shows when a change touches one.

The admin of dated records announces what it changed (apps.core.signals.dated_records_changed);
:class:`apps.reports.apps.ReportsConfig` connects :func:`warn_if_periods_frozen` to it, so the
records' apps need not know the reports exist.
"""

from __future__ import annotations

import datetime
import difflib
import re
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
    # Every version of a report covers the same period: each period is named once.
    periods = ", ".join(dict.fromkeys(f"{r.start:%d/%m/%Y} - {r.end:%d/%m/%Y}" for r in reports))
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


# Words and the line breaks between paragraphs: a diff by words that still shows where a paragraph ends.
_TOKENS = re.compile(r"\n|[^\s]+")


def _words(text: str) -> list[str]:
    lines = [" ".join(line.split()) for line in (text or "").splitlines()]
    return _TOKENS.findall("\n".join(line for line in lines if line))


def word_diff(old: str, new: str) -> list[dict[str, str]]:
    """The new text against the old, word by word: runs of ``same``, ``deleted`` and ``inserted`` words
    (a paragraph break is the token ``"\n"``), in reading order; replaced words read as deleted then inserted."""
    before, after = _words(old), _words(new)
    runs: list[dict[str, str]] = []

    def add(kind: str, tokens: list[str]) -> None:
        if tokens:
            runs.append({"kind": kind, "text": re.sub(r" ?\n ?", "\n", " ".join(tokens))})

    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=before, b=after, autojunk=False).get_opcodes():
        if op == "equal":
            add("same", before[i1:i2])
        else:
            add("deleted", before[i1:i2])
            add("inserted", after[j1:j2])
    return runs


def text_differences(old: dict[str, str], new: dict[str, str]) -> list[dict[str, Any]]:
    """Each section of the outline whose text differs, with its heading and the word-level diff."""
    from apps.reports.outline import OUTLINE

    changed = []
    for part in OUTLINE:
        for section in part.sections:
            before, after = _words(old.get(section.key, "")), _words(new.get(section.key, ""))
            if before != after:
                changed.append(
                    {
                        "key": section.key,
                        "heading": section.heading or part.heading.capitalize(),
                        "runs": word_diff(old.get(section.key, ""), new.get(section.key, "")),
                    }
                )
    return changed
