"""Turn TOTALS dicts (apps.donations.selectors.totals) into tables and charts for the templates."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from apps.donations import labels
from apps.donations.selectors import SECTORS
from apps.portal.charts import MONEY_UNIT, BarChart, bar_chart

SECTOR_LABELS = {sector: wording.public for sector, wording in labels.SECTOR_NAMES.items()}
# The figures in the order a review report lists them, goods between the two groups.
BEFORE_GOODS = ("money_vnd", "loans_vnd", "labour_days")
AFTER_GOODS = ("household_visits", "households", "students")


def _figure_row(key: str, columns: list[tuple[Any, dict[str, Any]]]) -> dict[str, Any]:
    figure = labels.FIGURES[key]
    return {
        "label": figure.public,
        "measure": figure.measure,
        "money": figure.money,
        "values": [figures[key] for _l, figures in columns],
    }


def figures_table(columns: list[tuple[Any, dict[str, Any]]]) -> dict[str, Any]:
    """Rows of measures (goods item by item) against columns of TOTALS, e.g. sectors or periods."""
    goods: dict[str, dict[str, Any]] = {}
    for _label, figures in columns:
        for code, item in figures["goods"].items():
            goods.setdefault(code, item)
    rows = [_figure_row(key, columns) for key in BEFORE_GOODS]
    rows += [
        {
            "label": item["name"],
            "measure": item["measure"],
            "money": False,
            "goods": True,
            "values": [figures["goods"].get(code, {}).get("quantity", 0) for _l, figures in columns],
        }
        for code, item in goods.items()
    ]
    rows += [_figure_row(key, columns) for key in AFTER_GOODS]
    labels_ = [label for label, _f in columns]
    for row in rows:
        # Each value with its column's name: a phone shows the table as one card per row (static/css).
        row["cells"] = list(zip(labels_, row["values"], strict=True))
    return {"columns": labels_, "rows": rows}


def sector_table(figures: dict[str, Any], *, sector_labels: dict[str, Any] | None = None) -> dict[str, Any]:
    """The contract's sectors side by side, then the total; ``sector_labels`` as a period's bodies call them."""
    sector_labels = sector_labels or SECTOR_LABELS
    columns = [(sector_labels[sector], figures["sectors"][sector]) for sector in SECTORS]
    return figures_table([*columns, (labels.TOTAL, figures["total"])])


def yearly_charts(series: list[dict[str, Any]]) -> list[BarChart]:
    """Money given per year and household-visits per year, with the same figures for a table."""
    return [
        bar_chart(
            key="money-per-year",
            title=str(_("Money given per year")),
            description=str(_("Money given by all sectors each year, in millions of đồng.")),
            unit=str(MONEY_UNIT),
            points=[(str(row["year"]), row["money_vnd"]) for row in series],
            money=True,
        ),
        bar_chart(
            key="visits-per-year",
            title=str(_("Household-visits per year")),
            description=str(_("How many times poor households received help each year.")),
            unit=str(_("household-visits")),
            points=[(str(row["year"]), row["household_visits"]) for row in series],
        ),
    ]
