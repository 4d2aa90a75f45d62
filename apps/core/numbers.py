"""Numbers as the programme shows them: one formatter for the whole project.

:func:`grouped` writes a figure in the reader's language: "745.320.000" and "12,5" in Vietnamese
(taybinh/formats/vi), "745,320,000" and "12.5" in English. The printed report is the one exception,
and it is built on the same formatter: a party document is Vietnamese whatever the reader's
language, so :func:`apps.reports.vietnamese.group_number` calls :func:`grouped` under Vietnamese.
"""

from __future__ import annotations

from decimal import Decimal

from django.utils.formats import number_format


def plain_number(value: Decimal | float | int | None) -> Decimal | float | int | None:
    """1009.00 → 1009 and 12.50 → 12.5, so lists show "1.009" and "12,5" rather than "1.009,00"."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else value.normalize()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def grouped(value: Decimal | float | int | None) -> str:
    """745000000 → "745.000.000", 12.5 → "12,5" in Vietnamese: thousands grouped, decimals only when needed."""
    return number_format(plain_number(value or 0), use_l10n=True, force_grouping=True)


def json_number(value: Decimal | float | int | None) -> int | float:
    """A quantity as JSON (and a spreadsheet cell) wants it: an integer where whole, 0 for nothing."""
    value = value or 0
    return int(value) if value == int(value) else float(value)
