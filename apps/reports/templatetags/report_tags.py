from __future__ import annotations

import datetime
from typing import Any

from django import template

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


@register.filter
def with_columns(row: list[Any], columns: list[dict[str, Any]]) -> list[tuple[Any, dict[str, Any]]]:
    """Each cell of a table row beside its column, whose ``numeric`` flag says how the cell is shown."""
    return list(zip(row, columns, strict=True))
