"""The period report's tables, and its PDF and XLSX renderings.

The HTML page, the PDF and the workbook are built from the same :func:`report_tables`, so a
figure cannot be in one and missing from another.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import io
import logging
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.staticfiles import finders
from django.core.cache import cache
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from apps.bodies.models import IssuingBody
from apps.communes.models import Commune, document_date
from apps.core.collation import vietnamese_key
from apps.core.numbers import json_number
from apps.core.spreadsheets import looks_like_formula
from apps.donations import labels
from apps.households.beneficiaries import BeneficiaryKind
from apps.reports.vietnamese import date_line, group_number, number_line, speech_form

# The report's wording of the sectors and figures (see apps.donations.labels for why it differs).
SECTOR_LABELS = {**{sector: wording.report for sector, wording in labels.SECTOR_NAMES.items()}, "total": labels.TOTAL}
INDICATOR_LABELS = {key: figure.report for key, figure in labels.FIGURES.items()}
STATUS_LABELS = {
    "fulfilled": _("fulfilled"),
    "on_track": _("on track"),
    "behind": _("behind"),
    "overdue": _("overdue"),
}
NUMBER_FORMAT = "#,##0"
COVER_SHEET = _("Report")
# WeasyPrint logs every layout step at INFO; a report download should not fill the log.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
DECIMAL_FORMAT = "#,##0.0"


@dataclass(frozen=True)
class Letterhead:
    """What a report prints of its issuing body: heading, number and date lines, signature, recipients.

    An approved report (:class:`FrozenReport`) prints its number, date, signer and recipients as approved;
    a draft prints its own signer and recipients, with the number left blank for the register.
    """

    superior_body: str
    issuing_body: str
    number_line: str
    date_line: str
    signer_title: str
    signer_role: str
    signer_name: str
    recipients: list[str]
    body: IssuingBody
    number_text: str = ""
    date_text: str = ""

    @classmethod
    def of(cls, body: IssuingBody, issued: datetime.date, report=None, draft=None) -> Letterhead:
        source = report if report is not None and report.signer_name else draft
        number = report.number if report is not None else None
        issued = (report.issued_on if report is not None else None) or issued
        chosen = list(source.recipients) if source is not None and source.recipients else body.recipient_lines
        lines = recipient_lines(chosen, body)
        return cls(
            superior_body=body.heading_superior_body,
            issuing_body=body.heading_name,
            number_line=f"Số {number}-BC/{body.symbol}" if number else number_line(body.symbol),
            date_line=date_line(body.place_name, issued),
            signer_title=(source.signer_capacity if source is not None else "") or body.signer_title,
            signer_role=(source.signer_title if source is not None else "") or body.signer_role,
            signer_name=(source.signer_name if source is not None else "") or body.signer_name,
            # "- Ban Thường vụ Tỉnh ủy (b/c)," … "- Lưu Văn phòng Đảng ủy.": a comma after each, a full stop last.
            recipients=[f"- {line}{'.' if n == len(lines) else ','}" for n, line in enumerate(lines, start=1)],
            body=body,
            number_text=f"{number}-BC/{body.symbol}" if number else f"\u00a0\u00a0\u00a0\u00a0-BC/{body.symbol}",
            date_text=f"{issued:%d/%m/%Y}" if number else "…",
        )

    def lines(self) -> list[str]:
        """The heading as lines of text, for the workbook's first sheet."""
        return [line for line in (self.superior_body, self.issuing_body, "*", self.number_line, self.date_line) if line]


def _is_archive(line: str) -> bool:
    return line.casefold().startswith("lưu")


def recipient_lines(chosen: list[str], body: IssuingBody) -> list[str]:
    """ "Nơi nhận" as chosen for a report, ending with the archive line ("Lưu Văn phòng Huyện ủy"): the body's
    own archive line when its list has one, "Lưu Văn phòng <body>" otherwise."""
    archive = next((line for line in chosen if _is_archive(line)), None) or next(
        (line for line in body.recipient_lines if _is_archive(line)), f"Lưu Văn phòng {body.name}"
    )
    return [line for line in chosen if not _is_archive(line)] + [archive]


PLEDGE_STATUS_PHRASES = {
    "fulfilled": _("%(n)s fulfilled"),
    "on_track": _("%(n)s on track"),
    "behind": _("%(n)s behind"),
    "overdue": _("%(n)s overdue"),
}


def listing(parts: list[str]) -> str:
    """ "a, b và c": the parts of a sentence's list, the last joined by "and"."""
    if len(parts) < 2:
        return "".join(parts)
    return str(_("%(first)s and %(last)s") % {"first": ", ".join(parts[:-1]), "last": parts[-1]})


def report_sentences(figures: dict[str, Any]) -> dict[str, str]:
    """The sentences of the report's text that carry counts, without any count that is zero.

    "0 quá hạn" or "0 đồng (0 đồng)" is never printed: a part whose figure is zero is left out, and a
    sentence with nothing left is not written at all (an empty string).
    """
    return {
        **_help_sentences(figures["total"]),
        **_pledge_sentences(figures["pledges"]),
        "households": _household_sentence(figures["households"]),
    }


def _help_sentences(total: dict[str, Any]) -> dict[str, str]:
    helped = []
    if total["household_visits"]:
        helped.append(
            str(
                _("%(n)s household-visits of poor households in difficulty")
                % {"n": group_number(total["household_visits"])}
            )
        )
    if total["students"]:
        helped.append(
            str(
                _("%(n)s students from poor households who could thereby stay in school")
                % {"n": group_number(total["students"])}
            )
        )
    money = total["money_vnd"]
    return {
        "helped": str(_("Together they helped %(whom)s.") % {"whom": listing(helped)}) if helped else "",
        "money": str(
            _("Money given in all: %(speech)s (%(amount)s VND).")
            % {"speech": speech_form(money), "amount": group_number(money)}
        )
        if money
        else "",
    }


def _pledge_sentences(pledges: dict[str, Any]) -> dict[str, str]:
    sentences = {"pledges": "", "promised": ""}
    if pledges["count"]:
        statuses = [
            str(phrase % {"n": group_number(pledges[status])})
            for status, phrase in PLEDGE_STATUS_PHRASES.items()
            if pledges[status]
        ]
        sentences["pledges"] = str(
            _("Of %(count)s pledges running in the period, %(statuses)s.")
            % {"count": group_number(pledges["count"]), "statuses": listing(statuses)}
        )
    promised, given = group_number(pledges["promised_vnd"]), group_number(pledges["given_vnd"])
    if pledges["promised_vnd"] and pledges["given_vnd"]:
        sentences["promised"] = str(
            _("Money promised: %(promised)s VND; given against these pledges: %(given)s VND.")
            % {"promised": promised, "given": given}
        )
    elif pledges["promised_vnd"]:
        sentences["promised"] = str(_("Money promised: %(promised)s VND.") % {"promised": promised})
    return sentences


def _household_sentence(households: dict[str, Any]) -> str:
    helped, escaped = group_number(households["helped"]), group_number(households["escaped"])
    if not households["helped"]:
        return ""
    if not households["escaped"]:
        return str(_("%(helped)s households were helped in the period.") % {"helped": helped})
    return str(
        _(
            "%(helped)s households were helped in the period; "
            "%(escaped)s of them escaped poverty in a later annual review."
        )
        % {"helped": helped, "escaped": escaped}
    )


def goods_phrase(goods: dict[str, Any]) -> str:
    """ "30 kg gạo, 48 kg đường": quantity, measure and the item's name, as the review writes them."""
    return ", ".join(
        f"{group_number(item['quantity'])} {item['measure']} {item['name'][:1].lower()}{item['name'][1:]}"
        for item in goods.values()
    )


def table_column(label, numeric: bool = True, wide: bool = False, code: bool = False, size: str = "") -> dict[str, Any]:
    """A column of a report table; a numeric one is right-aligned (and narrower in the workbook); a code
    column is never broken across lines ("DK-2014-0021"). ``size`` ("count", "money") names the width a
    fixed-layout table gives it."""
    return {"label": label, "numeric": numeric, "wide": wide, "code": code, "size": size or ("code" if code else "")}


def _sector_table(figures: dict[str, Any], sector_labels: dict[str, Any]) -> dict[str, Any]:
    sectors = [
        s
        for s, t in figures["sectors"].items()
        if s != "other" or any(v for k, v in t.items() if k != "goods") or t["goods"]
    ]
    columns = [figures["sectors"][s] for s in sectors] + [figures["total"]]
    rows: list[list[Any]] = []
    for key in ("money_vnd", "loans_vnd"):
        rows.append([INDICATOR_LABELS[key], *[c[key] for c in columns]])
    for code, item in figures["total"]["goods"].items():
        label = f"{item['name']} ({item['measure']})"
        rows.append([label, *[c["goods"].get(code, {}).get("quantity", 0) for c in columns]])
    for key in ("labour_days", "household_visits", "households", "students"):
        rows.append([INDICATOR_LABELS[key], *[c[key] for c in columns]])
    return {
        "key": "sectors",
        "title": _("Results by sector"),
        "columns": [
            table_column(_("Indicator"), False),
            *[table_column(sector_labels[s]) for s in sectors],
            table_column(sector_labels["total"]),
        ],
        "rows": rows,
    }


_SPLIT_COLUMNS = ("money_vnd", "loans_vnd", "labour_days", "household_visits", "households", "students")


def _split_table(
    key: str,
    title,
    first: list[tuple[str, Any]],
    rows_in: list[dict[str, Any]],
    items: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Totals per group or commune; goods as one phrase ("30 kg gạo, 48 kg đường"), or with ``items`` (the
    workbook) one numeric column per item with its measure ("Gạo (kg)"), so they can be summed."""
    columns = [table_column(label, False) for _field, label in first]
    columns += [table_column(INDICATOR_LABELS["money_vnd"]), table_column(INDICATOR_LABELS["loans_vnd"])]
    if items is None:
        columns.append(table_column(_("Goods"), False, wide=True))
    else:
        columns += [table_column(f"{item['name']} ({item['measure']})") for item in items.values()]
    columns += [table_column(INDICATOR_LABELS[f]) for f in _SPLIT_COLUMNS[2:]]
    rows = []
    for row in rows_in:
        cells = [row[field] or "" for field, _label in first]
        cells += [row["money_vnd"], row["loans_vnd"]]
        if items is None:
            cells.append(goods_phrase(row["goods"]))
        else:
            cells += [row["goods"].get(code, {}).get("quantity", 0) for code in items]
        cells += [row[f] for f in _SPLIT_COLUMNS[2:]]
        rows.append(cells)
    return {"key": key, "title": title, "columns": columns, "rows": rows}


def commune_label(kind: str | None, name: str | None) -> str:
    """ "Xã Hòa Bình 1" from the kind code and the name stored in the figures."""
    if not name:
        return ""
    kind_label = Commune.Kind(kind).label if kind in Commune.Kind.values else ""
    return f"{str(kind_label).capitalize()} {name}".strip()


def _commune_cell(row: dict[str, Any]) -> str:
    """A commune as a document of the period names it: its name then, never what it became later
    ("Xã Hòa Thịnh (trước 01/7/2025)" only when a commune of the period bore the same name).

    Reports frozen before names had a history may carry a ``now_part_of`` that a document about their
    period must not print.
    """
    name = commune_label(row.get("kind"), row["name"])
    if not row.get("before"):
        return name
    return str(
        _("%(name)s (before %(date)s)")
        % {"name": name, "date": document_date(datetime.date.fromisoformat(row["before"]))}
    )


def _day(iso: str) -> datetime.date:
    """A date of the figures (ISO text in JSON) as a date: dd/mm/yyyy on the page, a date cell in the workbook."""
    return datetime.date.fromisoformat(iso)


def _beneficiary_cell(pledge: dict[str, Any], kinds: dict[str, str] | None = None) -> str:
    """ "Hộ gia đình, Hòa Phú": the kind of beneficiary and its commune, never a person's name. ``kinds``: the
    kinds' labels (:func:`_beneficiary_kinds`), translated once for a list of pledges."""
    kind = (kinds or _beneficiary_kinds())[pledge["beneficiary_kind"]]
    return f"{kind}, {pledge['commune']}" if pledge["commune"] else kind


def _beneficiary_kinds() -> dict[str, str]:
    return {kind: str(capfirst(BeneficiaryKind(kind).label)) for kind in BeneficiaryKind.values}


def _pledge_list_table(pledges: list[dict[str, Any]]) -> dict[str, Any]:
    # Labour columns only when some pledge promised or gave labour: the appendix runs to pages.
    labour = any(p["promised_days"] or p["given_days"] for p in pledges)
    columns = [
        table_column(_("Pledge"), False, code=True),
        table_column(_("Unit"), False, wide=True),
        table_column(_("Helping"), False),
        table_column(_("Until"), False, size="date"),
        table_column(_("Money promised (VND)")),
        table_column(_("Money given (VND)")),
    ]
    if labour:
        columns += [table_column(_("Labour days promised")), table_column(_("Labour days given"))]
    columns += [table_column(_("Given (%)"), size="percent"), table_column(_("Status"), False)]
    rows = []
    # Labels translated once, not once per pledge (50.000 at province).
    kinds = _beneficiary_kinds()
    statuses = {status: str(capfirst(label)) for status, label in STATUS_LABELS.items()}
    for p in pledges:
        row = [p["code"], p["unit"], _beneficiary_cell(p, kinds), _day(p["end"]), p["promised_vnd"], p["given_vnd"]]
        if labour:
            row += [p["promised_days"], p["given_days"]]
        rows.append([*row, p["given_percent"], statuses[p["status"]]])
    return {
        "key": "pledge_list",
        "title": _("Each pledge and how far it is fulfilled"),
        "columns": columns,
        "rows": rows,
    }


def _group_cell(row: dict[str, Any], sector_labels: dict[str, Any]) -> str:
    """A group's name; for units in no group, their sector ("Đảng ủy các xã, thị trấn"), except the
    district units in no group, which are "Đơn vị không thuộc nhóm" (reports frozen before the split too)."""
    if row["name"]:
        return row["name"]
    sector = row.get("sector")
    if sector and sector != "district_units":
        return str(sector_labels[sector])
    return str(_("Units in no group"))


_STATUS_COUNTS = ("fulfilled", "on_track", "behind", "overdue")


def _pledge_tally(rows: list[dict[str, Any]], key) -> dict[Any, dict[str, Any]]:
    """Pledges counted per ``key(row)``: how many, in each status, money promised and given, which units
    (``rows``: the report's ``pledge_counts``, or each pledge of the list of a report approved before them)."""
    tally: dict[Any, dict[str, Any]] = {}
    for p in rows:
        entry = tally.get(k := key(p))
        if entry is None:  # a new entry made only for a new key
            entry = tally[k] = {
                "count": 0,
                "promised_vnd": 0,
                "given_vnd": 0,
                "units": set(),
                **dict.fromkeys(_STATUS_COUNTS, 0),
            }
        pledges = p.get("count", 1)
        entry["count"] += pledges
        entry[p["status"]] += pledges
        entry["promised_vnd"] += p["promised_vnd"]
        entry["given_vnd"] += p["given_vnd"]
        entry["units"].add(p.get("unit_code") or p["unit"])
    return tally


def _tally_cells(entry: dict[str, Any]) -> list[Any]:
    share = round(entry["given_vnd"] * 100 / entry["promised_vnd"], 1) if entry["promised_vnd"] else ""
    return [
        entry["count"],
        *(entry[s] for s in _STATUS_COUNTS),
        entry["promised_vnd"],
        entry["given_vnd"],
        share,
    ]


def _tally_columns() -> list[dict[str, Any]]:
    return [
        table_column(_("Pledges"), size="count"),
        *(table_column(capfirst(STATUS_LABELS[s]), size="count") for s in _STATUS_COUNTS),
        table_column(_("Money promised (VND)"), size="money"),
        table_column(_("Money given (VND)"), size="money"),
        table_column(_("Given (%)"), size="percent"),
    ]


def _pledge_group_name(p: dict[str, Any], sector_labels: dict[str, Any]) -> str:
    return _group_cell({"name": p.get("group"), "sector": p.get("unit_sector")}, sector_labels)


def _pledges_by_group_table(pledges: list[dict[str, Any]], sector_labels: dict[str, Any]) -> dict[str, Any]:
    """Pledges summed per group of units (the unit's group when the pledge began; one row whatever sectors its
    units belong to), groups in Vietnamese order, then the sectors of units in no group."""

    def key(p: dict[str, Any]) -> tuple[bool, str, str | None]:
        group = p.get("group")
        return group is None, (p.get("unit_sector") or "") if group is None else "", group

    tally = _pledge_tally(pledges, key)
    rows = []
    for key in sorted(tally, key=lambda k: (k[0], k[1] if k[0] else "", vietnamese_key(k[2]))):
        outside, sector, group = key
        name = _pledge_group_name({"group": group, "unit_sector": sector or None}, sector_labels)
        rows.append([name, len(tally[key]["units"]), *_tally_cells(tally[key])])
    return {
        "key": "pledge_groups",
        "title": _("Pledges by group of units"),
        "columns": [table_column(_("Group of units"), False), table_column(_("Units")), *_tally_columns()],
        "rows": rows,
    }


# The report's appendix (pledges per unit, printed landscape, about 25 units a page) holds at most this many
# units; more (a province's whole programme: 2.000 units, 80 pages, 16 s of the PDF's layout) are in the
# workbook only, and the report says so where the appendix would be.
APPENDIX_UNITS = 200


def _pledges_by_unit_table(
    pledges: list[dict[str, Any]], sector_labels: dict[str, Any], *, workbook: bool = True
) -> dict[str, Any]:
    """Pledges summed per unit, in Vietnamese order of the unit's name (the appendix of the report, when it has
    at most APPENDIX_UNITS units; the units' codes, internal identifiers, only in the workbook)."""
    table = {
        "key": "pledge_units",
        "title": _("Pledges by unit"),
        "columns": [
            *([table_column(_("Code"), False, code=True)] if workbook else []),
            table_column(_("Unit"), False, wide=True),
            table_column(_("Group of units"), False),
            *_tally_columns(),
        ],
        "rows": [],
        "not_shown": 0,
    }

    def unit_of(p: dict[str, Any]) -> tuple[str, str]:
        return p.get("unit_code") or "", p["unit"]

    if not workbook and len(units := {unit_of(p) for p in pledges}) > APPENDIX_UNITS:
        return {**table, "not_shown": len(units)}
    tally = _pledge_tally(pledges, unit_of)
    # A unit is named with its group when its latest pledge began (a unit may change groups between pledges;
    # in the list of a report approved before the pledges were summed, its last pledge's).
    latest: dict[tuple[str, str], dict[str, Any]] = {}
    for p in pledges:
        key = unit_of(p)
        if key not in latest or p.get("began", "") >= latest[key].get("began", ""):
            latest[key] = p
    groups = {key: _pledge_group_name(p, sector_labels) for key, p in latest.items()}
    table["rows"] = [
        [*([code] if workbook else []), name, groups[(code, name)], *_tally_cells(tally[(code, name)])]
        for code, name in sorted(tally, key=lambda k: (vietnamese_key(k[1]), k[0]))
    ]
    return table


def report_tables(
    figures: dict[str, Any], sector_labels: dict[str, Any] | None = None, *, workbook: bool = False
) -> list[dict[str, Any]]:
    """Every table of the report, as header labels and rows of plain values (numbers stay numbers).

    ``sector_labels`` are the issuing body's names of the sectors (and "total"); the default wording otherwise.
    For the ``workbook``, goods are one column per item, and tables that add up end with a row of totals.
    """
    items = figures["total"]["goods"] if workbook else None
    tables = _report_tables(figures, sector_labels, items)
    if workbook:
        for table in tables:
            if table["key"] == "groups":
                # Distinct households and students are not the sum of the groups': the report's own totals.
                table["total_row"] = _split_table(
                    "total", "", [("name", "")], [{**figures["total"], "name": ""}], items
                )["rows"][0]
            elif table["key"] in SUMMED_TABLES:
                table["total_row"] = _column_sums(table)
    return tables


# Workbook tables whose rows add up to a meaningful total (counts of pledges, money, quantities).
SUMMED_TABLES = {"communes", "pledge_groups", "pledge_units", "pledge_list", "behind"}


def _column_sums(table: dict[str, Any]) -> list[Any]:
    """A row of totals: the sum of each numeric column (a share in % is not summed), text columns empty."""
    sums: list[Any] = []
    for n, column in enumerate(table["columns"]):
        values = [row[n] for row in table["rows"] if isinstance(row[n], int | float) and not isinstance(row[n], bool)]
        summable = column["numeric"] and column.get("size") != "percent"
        sums.append(json_number(sum(values)) if summable and values else "")
    return sums


def _report_tables(figures: dict[str, Any], sector_labels, items) -> list[dict[str, Any]]:
    labels = sector_labels or SECTOR_LABELS
    groups = [{**row, "name": _group_cell(row, labels)} for row in figures["groups"]]
    communes = [{**row, "name": _commune_cell(row)} for row in figures["communes"]]
    pledges = figures["pledges"]
    # The pledges summed per unit, group and status; a report approved before they were summed has each pledge.
    summed = figures["pledge_counts"] if "pledge_counts" in figures else figures.get("pledge_list", [])
    units = _pledges_by_unit_table(summed, labels, workbook=items is not None)
    return [
        _sector_table(figures, sector_labels or SECTOR_LABELS),
        _split_table("groups", _("Results by group of units"), [("name", _("Group of units"))], groups, items),
        _split_table("communes", _("Results by commune"), [("name", _("Commune"))], communes, items),
        {
            "key": "pledges",
            "title": _("Pledges and their fulfilment"),
            "columns": [table_column(_("Status"), False), table_column(_("Pledges"))],
            "rows": [[capfirst(STATUS_LABELS[s]), pledges[s]] for s in ("fulfilled", "on_track", "behind", "overdue")]
            + [[_("Total"), pledges["count"]]],
        },
        _pledges_by_group_table(summed, labels),
        units,
        # Every pledge only in the workbook: the page and the PDF summarise them per group and per unit.
        *([_pledge_list_table(figures.get("pledge_list", []))] if items is not None else []),
        _units_behind_table(figures["units_behind"], every=items is not None, appendix=bool(units["rows"])),
        {
            "key": "good",
            "title": _("Good results to commend"),
            "columns": [
                table_column(_("Unit"), False),
                table_column(INDICATOR_LABELS["household_visits"]),
                table_column(INDICATOR_LABELS["money_vnd"]),
            ],
            "rows": [[u["name"], u["household_visits"], u["money_vnd"]] for u in figures["good_results"]],
        },
    ]


# The page and the PDF name the units furthest behind (most pledges overdue, then behind): a province has
# hundreds, and each unit's pledges by status are in the appendix (or the workbook). The workbook lists every one.
UNITS_BEHIND_SHOWN = 30


def _units_behind_table(units: list[dict[str, Any]], *, every: bool, appendix: bool) -> dict[str, Any]:
    shown = units if every else units[:UNITS_BEHIND_SHOWN]
    return {
        "key": "behind",
        "title": _("Units behind on their pledges"),
        "columns": [
            table_column(_("Unit"), False),
            table_column(_("Pledges behind")),
            table_column(_("Pledges overdue")),
            table_column(_("Money still to give (VND)")),
        ],
        "rows": [[u["name"], u["behind"], u["overdue"], u["shortfall_vnd"]] for u in shown],
        "not_shown": len(units) - len(shown),
        "appendix": appendix,  # whether each unit's pledges are in the report's appendix (else the workbook only)
    }


# --- XLSX -----------------------------------------------------------------------------------------

_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
DATE_FORMAT = "dd/mm/yyyy"
CONTENTS = _("Contents")
TOTAL_ROW = _("Total")
# Short sheet names (a workbook allows 31 characters): whole words, the full title is on the sheet and in the contents.
SHEET_NAMES = {
    "sectors": _("By sector"),
    "groups": _("By group"),
    "communes": _("By commune"),
    "pledges": _("Pledge status"),
    "pledge_groups": _("Pledges by group"),
    "pledge_units": _("Pledges per unit"),
    "pledge_list": _("Every pledge"),
    "behind": _("Units behind"),
    "good": _("Good results"),
}
# Wider than this, a sheet prints landscape.
PORTRAIT_COLUMNS = 6


def _sheet_title(title: str, used: set[str]) -> str:
    name = _SHEET_FORBIDDEN.sub(" ", title).strip()
    if len(name) > 31:
        # Cut at a word, never mid-word.
        name = name[:31].rsplit(" ", 1)[0].strip()
    name = name or "Sheet"
    candidate, n = name, 2
    while candidate in used:
        candidate = f"{name[:28]} {n}"
        n += 1
    used.add(candidate)
    return candidate


def _cell(sheet, value: Any, font: Font | None = None, alignment: Alignment | None = None) -> Cell:
    """A cell of a write-only sheet: numbers and dates typed and formatted (#,##0, #,##0.0, dd/mm/yyyy), anything
    else as text. Text from records (a unit called "=HYPERLINK(…)") always stays text, never a formula, and is
    quote-prefixed when it looks like one, as :func:`apps.core.spreadsheets.write_cell` writes it."""
    if isinstance(value, bool) or value is None:
        value = "" if value is None else str(value)
    elif not isinstance(value, int | float | datetime.date):
        value = str(value)
    cell = WriteOnlyCell(sheet, value)
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl makes any "=…" a formula cell
        if looks_like_formula(value):
            cell.quotePrefix = True
    elif isinstance(value, datetime.date):
        cell.number_format = DATE_FORMAT
    else:
        cell.number_format = NUMBER_FORMAT if float(value).is_integer() else DECIMAL_FORMAT
    if font is not None:
        cell.font = font
    if alignment is not None:
        cell.alignment = alignment
    return cell


def _column_width(column: dict[str, Any]) -> int:
    if column.get("size") in ("date", "percent", "count"):
        return 12
    if column.get("code"):
        return 16
    return 16 if column["numeric"] else 36


def _print_setup(sheet, columns: int) -> None:
    """A4, landscape when wide, fitted to the page's width, the title and header rows on every page."""
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if columns > PORTRAIT_COLUMNS else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:2"
    sheet.print_options.horizontalCentered = True


class _RowCells:
    """The cells of a write-only sheet's rows, one per column and kind of value (whole number, decimal, date)
    reused from row to row: a write-only sheet writes a row's cells out as it is added, so a cell can
    take the next row's value afterwards. Making and styling a cell per value cost more than writing it
    (650.000 values in the every-pledge sheet at province)."""

    def __init__(self, sheet, columns: int) -> None:
        self.sheet = sheet
        self.cells: list[dict[Any, Cell]] = [{} for _ in range(columns)]

    def of(self, row: list[Any]) -> list[Cell | str]:
        return [self._cell(n, value) for n, value in enumerate(row)]

    def _cell(self, column: int, value: Any) -> Cell | str:
        if isinstance(value, bool) or not isinstance(value, str | int | float | datetime.date):
            value = "" if value is None else str(value)
        if isinstance(value, str):
            # Plain text needs no cell of its own (the sheet writes it unstyled, as a string); text that looks
            # like a formula is quote-prefixed, a style of its own.
            return _cell(self.sheet, value) if looks_like_formula(value) else value
        kind = value.is_integer() if isinstance(value, float) else int if isinstance(value, int) else type(value)
        cell = self.cells[column].get(kind)
        if cell is None:
            cell = self.cells[column][kind] = _cell(self.sheet, value)
        else:
            cell.value = value
        return cell


BOLD = Font(bold=True)
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="top")
LINK_FONT = Font(underline="single", color="0563C1")


def _table_sheet(book, table: dict[str, Any], name: str, heading: str) -> None:
    sheet = book.create_sheet(name)
    # A write-only sheet: widths, panes and print set-up first, then the rows in order.
    for col, column in enumerate(table["columns"], start=1):
        sheet.column_dimensions[get_column_letter(col)].width = _column_width(column)
    # The header rows and the first (name) column stay in view.
    sheet.freeze_panes = "B3"
    _print_setup(sheet, len(table["columns"]))
    sheet.append([_cell(sheet, f"{table['title']}{' - ' + heading if heading else ''}", BOLD)])
    sheet.append([_cell(sheet, str(column["label"]), BOLD, HEADER_ALIGNMENT) for column in table["columns"]])
    cells = _RowCells(sheet, len(table["columns"]))
    for row in table["rows"]:
        sheet.append(cells.of(row))
    if total := table.get("total_row"):
        sheet.append([_cell(sheet, str(TOTAL_ROW), BOLD), *(_cell(sheet, value, BOLD) for value in total[1:])])


def workbook_bytes(tables: list[dict[str, Any]], heading: str = "", cover: list[str] | None = None) -> bytes:
    """One sheet per table: a title row, a header row, the rows and, where they add up, a row of totals;
    numbers as numbers (#,##0), dates as dates (dd/mm/yyyy); A4 print set-up with the header on every page.

    ``cover``, when given, is written line by line on a first sheet (the report's letterhead and title),
    followed by the contents: each sheet's short name, linked, and its full title.

    The workbook is written in openpyxl's write-only mode: each row goes to the file as it is added, instead
    of a cell object per value kept for the whole workbook (the every-pledge sheet alone has 650.000 values
    at province, and saving them took most of the download's time).
    """
    book = Workbook(write_only=True)
    used: set[str] = set()
    cover_name = _sheet_title(str(COVER_SHEET), used) if cover else None
    names = [_sheet_title(str(SHEET_NAMES.get(table.get("key"), table["title"])), used) for table in tables]
    if cover and cover_name:
        cover_sheet = book.create_sheet(cover_name)
        cover_sheet.column_dimensions["A"].width = 28
        cover_sheet.column_dimensions["B"].width = 80
        _print_setup(cover_sheet, 2)
        for line in cover:
            cover_sheet.append([_cell(cover_sheet, line)])
        cover_sheet.append([])
        cover_sheet.append([_cell(cover_sheet, str(CONTENTS), BOLD)])
        for table, name in zip(tables, names, strict=True):
            link = _cell(cover_sheet, name, LINK_FONT)
            link.hyperlink = f"#'{name}'!A1"
            cover_sheet.append([link, _cell(cover_sheet, str(table["title"]))])
    for table, name in zip(tables, names, strict=True):
        _table_sheet(book, table, name, heading)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


# --- PDF -----------------------------------------------------------------------------------------


def _no_fetching(url: str, *args, **kwargs):
    """The PDF is made from our own template only: never fetch anything from the network."""
    raise ValueError(f"report PDF does not load external resources: {url[:80]}")


PRINT_UA_STYLESHEET = os.path.join(os.path.dirname(__file__), "print_ua.css")


@functools.lru_cache(maxsize=4)
def _print_stylesheets(path: str, modified: float):
    """The print stylesheet and the small user-agent stylesheet, parsed once per process (and again when the
    report's stylesheet changes), with the font configuration they were parsed with: WeasyPrint then neither
    re-parses the CSS nor asks fontconfig again for every PDF."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    return CSS(filename=path, font_config=fonts), CSS(filename=PRINT_UA_STYLESHEET, font_config=fonts), fonts


# A PDF is a function of its HTML and the stylesheets: kept in the cache under their digest, a report
# downloaded again unchanged (an approved report, a draft nobody edited) is not laid out again.
PDF_CACHE_SECONDS = 24 * 3600
PDF_CACHE_MAX_BYTES = 5_000_000


def pdf_key(html: str) -> str:
    """The cache key of the PDF of ``html``: a digest of the HTML and of the stylesheets that lay it out."""
    digest = hashlib.sha256(html.encode())
    for stylesheet in (finders.find("css/report.css"), PRINT_UA_STYLESHEET):
        with open(stylesheet, "rb") as file:
            digest.update(file.read())
    return digest.hexdigest()


def cached_pdf(key: str) -> bytes | None:
    return cache.get(f"reports:pdf:{key}")


def pdf_bytes(html: str, progress: Callable[[str], None] | None = None) -> bytes:
    """Render the report's HTML with the print stylesheet (A4, the margins of Hướng dẫn 36); the same HTML
    again comes from the cache. ``progress`` hears the name of each of WeasyPrint's steps as it begins."""
    key = pdf_key(html)
    if (cached := cached_pdf(key)) is not None:
        return cached
    pdf = _render_pdf(html, finders.find("css/report.css"), progress)
    if len(pdf) <= PDF_CACHE_MAX_BYTES:
        cache.set(f"reports:pdf:{key}", pdf, PDF_CACHE_SECONDS)
    return pdf


# WeasyPrint's steps, as its progress log names them ("Step 5 - Creating layout - Page 3"); a background PDF's
# bar moves by them (apps.reports.tasks).
PDF_STEPS = 7


class _StepListener(logging.Handler):
    def __init__(self, progress: Callable[[str], None]) -> None:
        super().__init__(logging.INFO)
        self.progress = progress

    def emit(self, record: logging.LogRecord) -> None:
        self.progress(record.getMessage())


def _render_pdf(html: str, path: str, progress: Callable[[str], None] | None = None) -> bytes:
    from weasyprint import HTML

    stylesheet, user_agent, fonts = _print_stylesheets(path, os.path.getmtime(path))

    class ReportHTML(HTML):
        """The report's HTML with only the user-agent rules its elements need (apps/reports/print_ua.css)."""

        def _ua_stylesheets(self, forms=False):
            return [user_agent]

    def render() -> bytes:
        return ReportHTML(string=html, url_fetcher=_no_fetching).write_pdf(stylesheets=[stylesheet], font_config=fonts)

    if progress is None:
        return render()
    logger = logging.getLogger("weasyprint.progress")
    listener, level, propagate = _StepListener(progress), logger.level, logger.propagate
    logger.addHandler(listener)
    logger.setLevel(logging.INFO)
    logger.propagate = False  # the steps move the bar; they are not written to the log
    try:
        return render()
    finally:
        logger.removeHandler(listener)
        logger.setLevel(level)
        logger.propagate = propagate
