from __future__ import annotations

import datetime
from typing import Any

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

from apps.reports import vietnamese

register = template.Library()


@register.filter
def vn(value: Any) -> Any:
    """Numbers in Vietnamese grouping (745.320.000; 12,5), dates as dd/mm/yyyy; anything else unchanged."""
    if isinstance(value, datetime.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return value
    return vietnamese.group_number(value)


@register.filter
def in_words(amount: int) -> str:
    return vietnamese.money_in_words(amount)


@register.filter
def speech(amount: int) -> str:
    return vietnamese.speech_form(amount)


@register.filter
def signed(value: int | float) -> str:
    text = vietnamese.group_number(abs(value))
    return f"+{text}" if value > 0 else f"-{text}" if value < 0 else text


@register.simple_tag
def table_rows(table: dict[str, Any]) -> SafeString:
    """The body rows of a report table (templates/reports/_table.html): each value as ``vn`` shows it, escaped,
    in a cell classed by its column ("num" right-aligned, "code" never broken). Written here rather than by a
    template loop per cell: the whole programme's tables have ~35.000 cells at province. No white space between
    the rows: WeasyPrint made a text node of each gap and took a fifth longer to lay out a long table."""
    classes = [' class="num"' if c["numeric"] else ' class="code"' if c["code"] else "" for c in table["columns"]]
    return mark_safe(  # noqa: S308 - every value is escaped
        "".join(
            "<tr>"
            + "".join(f"<td{css}>{conditional_escape(vn(value))}</td>" for value, css in zip(row, classes, strict=True))
            + "</tr>"
            for row in table["rows"]
        )
    )
