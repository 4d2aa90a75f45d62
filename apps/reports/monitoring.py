"""The monitoring lists (who is behind), as tables for the staff page and its XLSX downloads."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Count, QuerySet, Window
from django.utils.translation import gettext_lazy as _

from apps.core.numbers import json_number
from apps.reports import selectors
from apps.reports.documents import INDICATOR_LABELS, STATUS_LABELS, table_column

UNKNOWN_LIST = _("There is no such monitoring list.")


def _percent(share) -> float:
    return round(float(share or 0) * 100, 1)


LOAN_COLUMNS = (
    "reference",
    "unit__name",
    "commune_name",
    "date",
    "due_date",
    "amount_vnd",
    "repaid_vnd",
    "outstanding_vnd",
    "overdue",
)


def _first(rows: QuerySet, limit: int | None) -> tuple[list[dict[str, Any]], int]:
    """The first ``limit`` rows (all without a limit) and how many there are, in one query."""
    if limit is None:
        every = list(rows)
        return every, len(every)
    shown = list(rows.annotate(row_count=Window(Count("*")))[:limit])
    return shown, shown[0]["row_count"] if shown else 0


def _open_loans(on: datetime.date, limit: int | None) -> tuple[list[dict[str, Any]], int]:
    """The open loans to list and how many there are. The download's in one query; the page's in two: the
    ones to show found first, without their communes (a subquery per row), then those few with them."""
    loans = selectors.open_loans(on=on)
    if limit is None:
        return _first(selectors.with_commune_name(loans).values(*LOAN_COLUMNS), None)
    shown, count = _first(loans.values("pk"), limit)
    details = selectors.with_commune_name(loans.filter(pk__in=[row["pk"] for row in shown]))
    return list(details.values(*LOAN_COLUMNS)), count


def monitoring_lists(
    *, on: datetime.date, months: int, status: str | None, limit: int | None = None
) -> list[dict[str, Any]]:
    """Four lists, each with ``rows`` (the first ``limit``, most urgent first; all without a limit) and
    ``count`` (how many in all). Five queries whatever the data."""
    # Plain rows, not model instances: the pledges and loans lists run to tens of thousands at province scale.
    pledges, pledge_count = _first(
        selectors.monitored_pledges(on=on, status=status).values(
            "code",
            "unit_name",
            "end",
            "money_vnd",
            "given_vnd",
            "labour_days",
            "given_days",
            "expected_share",
            "given_share",
            "status",
        ),
        limit,
    )
    idle = list(selectors.idle_units(on=on, months=months))
    lapsed = list(selectors.lapsed_units(year=on.year))
    loans, loan_count = _open_loans(on, limit)
    overdue = str(_("overdue"))
    return [
        {
            "key": "pledges",
            "title": _("Pledges and their fulfilment"),
            "columns": [
                table_column(_("Pledge"), False),
                table_column(_("Unit"), False),
                table_column(_("Until"), False),
                table_column(_("Money promised (VND)")),
                table_column(_("Money given (VND)")),
                table_column(_("Labour days promised")),
                table_column(_("Labour days given")),
                table_column(_("Time elapsed (%)")),
                table_column(_("Given (%)")),
                table_column(_("Status"), False),
            ],
            "rows": [
                [
                    p["code"],
                    p["unit_name"],
                    f"{p['end']:%d/%m/%Y}",
                    p["money_vnd"],
                    int(p["given_vnd"]),
                    json_number(p["labour_days"]),
                    json_number(p["given_days"]),
                    _percent(p["expected_share"]),
                    _percent(p["given_share"]),
                    STATUS_LABELS[p["status"]],
                ]
                for p in pledges
            ],
            "statuses": [p["status"] for p in pledges],
            "count": pledge_count,
        },
        {
            "key": "idle",
            "title": _("Units with no donation in the last %(months)s months") % {"months": months},
            "columns": [table_column(_("Unit"), False), table_column(_("Last donation"), False)],
            "rows": [
                [u.name, f"{u.last_donation:%d/%m/%Y}" if u.last_donation else str(_("never"))] for u in idle[:limit]
            ],
            "count": len(idle),
        },
        {
            "key": "lapsed",
            "title": _("Units that gave in %(last)s but not yet in %(year)s") % {"last": on.year - 1, "year": on.year},
            "columns": [
                table_column(_("Unit"), False),
                table_column(_("Donations last year")),
                table_column(INDICATOR_LABELS["money_vnd"]),
            ],
            "rows": [[u.name, u.last_year_count, int(u.last_year_vnd)] for u in lapsed[:limit]],
            "count": len(lapsed),
        },
        {
            "key": "loans",
            "title": _("Loans not yet repaid"),
            "columns": [
                table_column(_("Reference"), False),
                table_column(_("Lending unit"), False),
                table_column(_("Commune"), False),
                table_column(_("Lent on"), False),
                table_column(_("Due"), False),
                table_column(_("Lent (VND)")),
                table_column(_("Repaid (VND)")),
                table_column(_("Outstanding (VND)")),
                table_column(_("Overdue"), False),
            ],
            "rows": [
                [
                    loan["reference"],
                    loan["unit__name"],
                    loan["commune_name"] or "",
                    f"{loan['date']:%d/%m/%Y}",
                    f"{loan['due_date']:%d/%m/%Y}" if loan["due_date"] else "",
                    loan["amount_vnd"],
                    int(loan["repaid_vnd"]),
                    int(loan["outstanding_vnd"]),
                    overdue if loan["overdue"] else "",
                ]
                for loan in loans
            ],
            "count": loan_count,
        },
    ]
