"""The rows of the units table (templates/portal/_units_table.html), written in Python.

The unit list shows 100 units a page, a group's page every unit it ever had. The same rows written with
template tags (an include, a translation and a link per cell) took seconds for a province's 2.000 units;
here each label is translated and escaped once per table, the unit's address and amounts are written
without a lookup per cell, and each row is one string: the markup the template wrote, byte for byte.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from html import escape
from urllib.parse import quote

from django import template
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

from apps.core.numbers import grouped
from apps.pledges.selectors import PledgeStatus
from apps.portal.templatetags.portal import unit_name, vnd

register = template.Library()

# A pledge count as the page writes it, lagging ones marked.
COUNTS = (
    (PledgeStatus.FULFILLED, "%(n)s fulfilled", ""),
    (PledgeStatus.ON_TRACK, "%(n)s on track", ""),
    (PledgeStatus.BEHIND, "%(n)s behind", ' class="pledge-counts__lagging"'),
    (PledgeStatus.OVERDUE, "%(n)s overdue", ' class="pledge-counts__lagging"'),
)
CODE = "UNIT-CODE"  # stands for the unit's code in its address, reversed once per table


def _labels() -> dict[str, str]:
    """Every label of a row in the reader's language, escaped for HTML."""
    labels = {
        "group": gettext("Group today"),
        "membership": gettext("In the group"),
        "now": gettext("now"),
        "pledged": gettext("Money pledged"),
        "toward": gettext("Given toward pledges"),
        "given": gettext("Money given in all"),
        "under_way": gettext("Pledges under way"),
        "status_none": gettext("no pledge started yet"),
        "status_ok": gettext("on track"),
        "status_behind": gettext("behind"),
        **{status: gettext(text) for status, text, _ in COUNTS},
    }
    return {key: escape(label) for key, label in labels.items()}


def _money_writer() -> Callable[[int], str]:
    """vnd() for whole amounts, without looking up the reader's number format for every cell."""
    separator = grouped(1000)[1:-3]  # "1.000" in Vietnamese

    def money(value) -> str:
        if type(value) is not int:
            return escape(vnd(value))
        return escape(f"{value:,} đ".replace(",", separator))

    return money


def _status(unit, labels: dict[str, str]) -> str:
    """templates/portal/_progress.html."""
    if unit.on_track is None:
        return f'<span class="status status--none">{labels["status_none"]}</span>'
    if unit.on_track:
        return f'<span class="status status--ok">{labels["status_ok"]}</span>'
    return f'<span class="status status--behind">{labels["status_behind"]}</span>'


def _counts(unit, labels: dict[str, str]) -> str:
    """templates/portal/_pledge_counts.html."""
    if not unit.pledges_under_way:
        return ""
    spans = "".join(
        f"<span{marked}>{labels[status] % {'n': count}}</span>"
        for status, _, marked in COUNTS
        if (count := getattr(unit, f"pledges_{status}"))
    )
    return f'<span class="pledge-counts">{spans}</span>'


def _group_cell(unit, labels: dict[str, str]) -> str:
    return f'<td class="list__wrap" data-label="{labels["group"]}">{escape(unit.current_group or "–")}</td>'


def _membership_cell(unit, labels: dict[str, str]) -> str:
    start = escape(date_format(unit.membership_start, "SHORT_DATE_FORMAT"))
    end = escape(date_format(unit.membership_end, "SHORT_DATE_FORMAT")) if unit.membership_end else labels["now"]
    return f'<td class="list__wrap" data-label="{labels["membership"]}">{start} – {end}</td>'


def _in_path(code: str) -> str:
    """The code as reverse() writes it in a path (CodeConverter lets any text but a slash through), escaped."""
    return escape(quote(code, safe=RFC3986_SUBDELIMS + "/~:@"))


@register.simple_tag
def unit_rows(units: Iterable, show_group: bool = False, show_membership: bool = False) -> SafeString:
    """One row per unit, as _units_table.html's columns say; "No unit recorded." when there is none."""
    labels = _labels()
    money = _money_writer()
    address = escape(reverse("portal:unit", args=[CODE])).split(CODE)
    rows = [
        "<tr>\n"
        f'      <th scope="row"><a href="{_in_path(unit.code).join(address)}">{escape(unit_name(unit))}</a></th>\n'
        f"      {_group_cell(unit, labels) if show_group else ''}\n"
        f"      {_membership_cell(unit, labels) if show_membership else ''}\n"
        f'      <td data-label="{labels["pledged"]}">{money(unit.pledged_vnd)}</td>\n'
        f'      <td data-label="{labels["toward"]}">{money(unit.given_to_pledges_vnd)}</td>\n'
        f'      <td data-label="{labels["given"]}">{money(unit.given_vnd)}</td>\n'
        f'      <td class="list__wrap" data-label="{labels["under_way"]}">{_status(unit, labels)}\n'
        f"{_counts(unit, labels)}\n</td>\n"
        "    </tr>"
        for unit in units
    ]
    if not rows:
        rows = [f'<tr><td colspan="6">{escape(gettext("No unit recorded."))}</td></tr>']
    return mark_safe("".join(rows))  # noqa: S308  every value above is escaped
