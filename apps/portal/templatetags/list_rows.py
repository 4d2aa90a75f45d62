"""The rows of the portal's long tables, written in Python: the units table (templates/portal/_units_table.html),
the communes (portal/commune_list.html), the groups of units (portal/group_list.html), and the results form's
choices of commune and group (portal/results.html).

The unit list shows 100 units a page, a group's page every unit it ever had, the commune list a province's 100
communes with the groups helping each, the group list its 200 groups. The same rows written with template tags
(an include, a translation and a link per cell) took seconds for a province's 2.000 units, and half the commune
list's time; here each label is translated and escaped once per table, each address is reversed once per table
(the code put in its place), amounts and dates are written without a lookup per cell, and each row is one
string: the markup the template wrote, byte for byte (tests/portal/test_list_rows.py).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from html import escape
from urllib.parse import quote

from django import template
from django.urls import reverse
from django.utils import dateformat
from django.utils.formats import get_format
from django.utils.html import format_html_join
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import (
    gettext,
    gettext_noop,  # marks a label for the catalogue; translated per table
)

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
CODE = "THE-CODE"  # stands for a unit's, a commune's or a group's code in its address, reversed once per table


def _translated(texts: dict[str, str]) -> dict[str, str]:
    """Each label of a table in the reader's language, escaped for HTML: translated once per table."""
    return {key: escape(gettext(text)) for key, text in texts.items()}


def _labels() -> dict[str, str]:
    """Every label of a unit's row."""
    return _translated(
        {
            "group": gettext_noop("Group today"),
            "membership": gettext_noop("In the group"),
            "now": gettext_noop("now"),
            "pledged": gettext_noop("Money pledged"),
            "toward": gettext_noop("Given toward pledges"),
            "given": gettext_noop("Money given in all"),
            "under_way": gettext_noop("Pledges under way"),
            "status_none": gettext_noop("no pledge started yet"),
            "status_ok": gettext_noop("on track"),
            "status_behind": gettext_noop("behind"),
            **{status: text for status, text, _ in COUNTS},
        }
    )


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


def _date_writer() -> Callable[[datetime.date], str]:
    """A date as the |date:"SHORT_DATE_FORMAT" filter writes it, escaped, the reader's format looked up once."""
    short_date = get_format("SHORT_DATE_FORMAT")
    return lambda day: escape(dateformat.format(day, short_date))


def _membership_cell(unit, labels: dict[str, str], date: Callable[[datetime.date], str]) -> str:
    start = date(unit.membership_start)
    end = date(unit.membership_end) if unit.membership_end else labels["now"]
    return f'<td class="list__wrap" data-label="{labels["membership"]}">{start} – {end}</td>'


def _in_path(code: str) -> str:
    """The code as reverse() writes it in a path (CodeConverter lets any text but a slash through), escaped."""
    return escape(quote(code, safe=RFC3986_SUBDELIMS + "/~:@"))


def _addresses(name: str) -> Callable[[str], str]:
    """The address of the page ``name`` for a code, escaped, with reverse() called once."""
    parts = escape(reverse(name, args=[CODE])).split(CODE)
    return lambda code: _in_path(code).join(parts)


@register.simple_tag
def unit_rows(units: Iterable, show_group: bool = False, show_membership: bool = False) -> SafeString:
    """One row per unit, as _units_table.html's columns say; "No unit recorded." when there is none."""
    labels = _labels()
    money, date = _money_writer(), _date_writer()
    address = _addresses("portal:unit")
    rows = [
        "<tr>\n"
        f'      <th scope="row"><a href="{address(unit.code)}">{escape(unit_name(unit))}</a></th>\n'
        f"      {_group_cell(unit, labels) if show_group else ''}\n"
        f"      {_membership_cell(unit, labels, date) if show_membership else ''}\n"
        f'      <td data-label="{labels["pledged"]}">{money(unit.pledged_vnd)}</td>\n'
        f'      <td data-label="{labels["toward"]}">{money(unit.given_to_pledges_vnd)}</td>\n'
        f'      <td data-label="{labels["given"]}">{money(unit.given_vnd)}</td>\n'
        f'      <td class="list__wrap" data-label="{labels["under_way"]}">{_status(unit, labels)}\n'
        f"{_counts(unit, labels)}\n</td>\n"
        "    </tr>"
        for unit in units
    ]
    return _table(rows, 6, gettext("No unit recorded."))


def _table(rows: list[str], columns: int, empty: str) -> SafeString:
    """A table's rows (every value in them escaped) as one string; a row saying ``empty`` when there is none.
    ``empty`` comes translated: a gettext() call inside an f-string is a string to makemessages, which then drops
    its translation from the catalogue."""
    return mark_safe("".join(rows) or f'<tr><td colspan="{columns}">{escape(empty)}</td></tr>')  # noqa: S308


@register.simple_tag
def commune_rows(rows: Iterable[dict]) -> SafeString:
    """One row per commune of :func:`apps.portal.selectors.commune_overview`, as commune_list.html's columns say."""
    labels = _translated(
        {
            "villages": gettext_noop("Villages"),
            "money": gettext_noop("Money"),
            "visits": gettext_noop("Household-visits"),
            "students": gettext_noop("Students"),
            "helpers": gettext_noop("Groups of units helping now"),
            "disadvantaged": gettext_noop("disadvantaged"),
        }
    )
    money = _money_writer()
    commune_address, group_address = _addresses("portal:commune"), _addresses("portal:group")

    def helpers(groups) -> str:
        return ", ".join(
            f'<a href="{group_address(helper.group_code)}">{escape(helper.group_name)}</a>'
            + (f" ({escape(helper.village_name)})" if helper.village_name is not None else "")
            for helper in groups
        )

    tag, merged = f'<span class="tag">{labels["disadvantaged"]}</span>', ' class="list__merged"'

    def row_html(row: dict) -> str:
        commune, figures = row["commune"], row["figures"]
        return (
            f"<tr{merged if commune.successor_id else ''}>\n"
            f'      <th scope="row"><a href="{commune_address(commune.code)}">{escape(row["label"])}</a>\n'
            f"        {tag if commune.disadvantaged else ''}\n"
            "      </th>\n"
            f'      <td data-label="{labels["villages"]}">{commune.village_count}</td>\n'
            f'      <td data-label="{labels["money"]}">{money(figures["money_vnd"])}</td>\n'
            f'      <td data-label="{labels["visits"]}">{escape(grouped(figures["household_visits"]))}</td>\n'
            f'      <td data-label="{labels["students"]}">{escape(grouped(figures["students"]))}</td>\n'
            f'      <td class="list__wrap" data-label="{labels["helpers"]}">{helpers(row["helpers"]) or "–"}</td>\n'
            "    </tr>"
        )

    return mark_safe("".join(row_html(row) for row in rows))  # noqa: S308  every value is escaped


@register.simple_tag
def group_rows(groups: Iterable) -> SafeString:
    """One row per group of :func:`apps.portal.selectors.groups_overview`, as group_list.html's columns say;
    "No group recorded." when there is none."""
    labels = _translated(
        {
            "period": gettext_noop("Period"),
            "units": gettext_noop("Units today"),
            "communes": gettext_noop("Communes helped today"),
            "now": gettext_noop("now"),
        }
    )
    date = _date_writer()
    address = _addresses("portal:group")

    def period(group) -> str:
        if not group.first_start:
            return "–"
        start = date(group.first_start)
        if group.last_end and group.last_end.year < 9999:
            return f"{start} – {date(group.last_end)}"
        return f"{start} – {labels['now']}"

    rows = [
        "<tr>\n"
        f'        <th scope="row"><a href="{address(group.code)}">{escape(group.name)}</a></th>\n'
        f'        <td data-label="{labels["period"]}">{period(group)}</td>\n'
        f'        <td data-label="{labels["units"]}">{group.units_now}</td>\n'
        f'        <td data-label="{labels["communes"]}">{group.communes_now}</td>\n'
        "      </tr>"
        for group in groups
    ]
    return _table(rows, 4, gettext("No group recorded."))


@register.simple_tag
def options(choices: Iterable[tuple[str, str]], selected: str) -> SafeString:
    """One <option> per (value, label) of ``choices``, the one whose value is ``selected`` marked so."""
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        ((value, " selected" if value == selected else "", label) for value, label in choices),
    )
