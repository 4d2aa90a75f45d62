"""Bar charts drawn on the server as SVG: no script, readable on a phone, in print and as a download.

The bars run across, one row per year, and the SVG has no viewBox: the rows are laid out in pixels and the
bars in percentages of the width. A phone shows the chart as narrow as the screen with its text at the size
written here (a chart scaled down as a picture shrank its labels to 6 px), and an office screen draws
longer bars, not bigger letters. Every label sits in its own row, so nothing overlaps however many years.

Colours and sizes are SVG presentation attributes, so that the downloaded file (apps.portal.chart_files)
looks like the page without the site's stylesheet, and the page's Content-Security-Policy (no inline
style) is kept.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

ROW_HEIGHT = 30  # px per year
BAR_HEIGHT = 20
TOP = 34  # the unit of the values is written above the bars
BOTTOM = 8
FONT_SIZE = 14  # px; never below 12 px on any screen, since nothing scales it
LABEL_END = 13  # % of the width: the years end here (text-anchor end)
BAR_START = 15  # %
BAR_LONGEST = 62  # % for the longest bar, leaving room for its value after it
WIDTH_IN_FILE = 760  # px of the downloaded SVG and PNG

MILLION = Decimal(1_000_000)
MONEY_UNIT = _("million đồng")


@dataclass(frozen=True)
class Bar:
    label: str
    value: int | float
    value_text: str
    y: int  # top of the bar, px
    text_y: int  # baseline of the year and the value, px
    width: float  # % of the chart's width
    end: float  # % where the bar ends; its value is written just after


@dataclass(frozen=True)
class BarChart:
    key: str  # unique on the page: ids of the SVG title and description, and the download's name
    title: str
    description: str
    unit: str  # the unit of every value in the chart, written above the bars ("triệu đồng")
    bars: list[Bar]
    height: int
    label_end: int = LABEL_END
    bar_start: int = BAR_START
    font_size: int = FONT_SIZE
    width_in_file: int = WIDTH_IN_FILE

    @property
    def axis_bottom(self) -> int:
        return self.height - BOTTOM


def millions(value: int | float) -> str:
    """600.000 → "0,6" and 267.400.000 → "267,4": every money value of a chart in millions of đồng,
    one decimal, so that no bar says "600.000" beside another's "3,0 tr"."""
    rounded = (Decimal(value) / MILLION).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    if value and not rounded:
        return f"< {number_format(Decimal('0.1'), 1)}"
    return number_format(rounded, 1, force_grouping=True)


def count(value: int | float) -> str:
    return number_format(value, 0, force_grouping=True)


def bar_chart(
    *,
    key: str,
    title: str,
    description: str,
    unit: str,
    points: list[tuple[str, int | float]],
    money: bool = False,
) -> BarChart:
    """Scale the points (label, value) to the plot width; the longest bar is BAR_LONGEST % wide."""
    top = max((value for _label, value in points), default=0) or 1
    bars = []
    for index, (label, value) in enumerate(points):
        width = round(BAR_LONGEST * value / top, 2)
        row_top = TOP + index * ROW_HEIGHT
        bars.append(
            Bar(
                label=label,
                value=value,
                value_text=millions(value) if money else count(value),
                y=row_top + (ROW_HEIGHT - BAR_HEIGHT) // 2,
                text_y=row_top + ROW_HEIGHT // 2 + 5,
                width=width,
                end=round(BAR_START + width, 2),
            )
        )
    height = TOP + max(len(points), 1) * ROW_HEIGHT + BOTTOM
    return BarChart(key=key, title=title, description=description, unit=unit, bars=bars, height=height)
