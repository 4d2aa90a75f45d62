"""Bar charts drawn on the server as SVG geometry: no script, readable in print."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format

WIDTH = 760
HEIGHT = 290
PLOT_TOP = 30
PLOT_BOTTOM = 250  # the baseline; labels go below it
PLOT_LEFT = 8
PLOT_RIGHT = WIDTH - 8


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | float
    value_text: str
    x: float
    y: float
    width: float
    height: float
    centre: float
    value_y: float


@dataclass(frozen=True)
class BarChart:
    key: str  # unique on the page: ids of the SVG title and description
    title: str
    description: str
    bars: list[Bar]
    width: int = WIDTH
    height: int = HEIGHT
    baseline: int = PLOT_BOTTOM
    label_y: int = PLOT_BOTTOM + 28


def short_amount(value: int | float) -> str:
    """745.320.000 → "745,3 tr": short enough to sit above a bar; the table beside gives the exact figure."""
    if value >= 1_000_000_000:
        return f"{number_format(Decimal(value) / 1_000_000_000, 1)} tỷ"
    if value >= 1_000_000:
        return f"{number_format(Decimal(value) / 1_000_000, 1)} tr"
    return number_format(value, 0, force_grouping=True)


def bar_chart(
    *, key: str, title: str, description: str, points: list[tuple[str, int | float]], money: bool = False
) -> BarChart:
    """Scale the points (label, value) to the plot area; the tallest bar touches the top."""
    top = max((value for _label, value in points), default=0) or 1
    slot = (PLOT_RIGHT - PLOT_LEFT) / max(len(points), 1)
    bar_width = min(56.0, slot * 0.7)
    bars = []
    for index, (label, value) in enumerate(points):
        height = (PLOT_BOTTOM - PLOT_TOP) * value / top
        centre = PLOT_LEFT + slot * index + slot / 2
        bars.append(
            Bar(
                label=label,
                value=value,
                value_text=short_amount(value) if money else number_format(value, 0, force_grouping=True),
                x=round(centre - bar_width / 2, 1),
                y=round(PLOT_BOTTOM - height, 1),
                width=round(bar_width, 1),
                height=round(height, 1),
                centre=round(centre, 1),
                value_y=round(PLOT_BOTTOM - height - 8, 1),
            )
        )
    return BarChart(key=key, title=title, description=description, bars=bars)
