"""The monitoring lists (who is behind), as tables for the staff page and its XLSX downloads."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext_lazy as _

from apps.core.numbers import json_number
from apps.reports import selectors
from apps.reports.documents import INDICATOR_LABELS, STATUS_LABELS, table_column

UNKNOWN_LIST = _("There is no such monitoring list.")


def _percent(share) -> float:
    return round(float(share or 0) * 100, 1)


def monitoring_lists(*, on: datetime.date, months: int, status: str | None) -> list[dict[str, Any]]:
    """Four lists, four queries whatever the data."""
    # Plain rows, not model instances: the pledges and loans lists run to tens of thousands at province scale.
    pledges = selectors.monitored_pledges(on=on, status=status).values(
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
    )
    idle = selectors.idle_units(on=on, months=months)
    lapsed = selectors.lapsed_units(year=on.year)
    loans = selectors.open_loans(on=on).values(
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
        },
        {
            "key": "idle",
            "title": _("Units with no donation in the last %(months)s months") % {"months": months},
            "columns": [table_column(_("Unit"), False), table_column(_("Last donation"), False)],
            "rows": [[u.name, f"{u.last_donation:%d/%m/%Y}" if u.last_donation else str(_("never"))] for u in idle],
        },
        {
            "key": "lapsed",
            "title": _("Units that gave in %(last)s but not yet in %(year)s") % {"last": on.year - 1, "year": on.year},
            "columns": [
                table_column(_("Unit"), False),
                table_column(_("Donations last year")),
                table_column(INDICATOR_LABELS["money_vnd"]),
            ],
            "rows": [[u.name, u.last_year_count, int(u.last_year_vnd)] for u in lapsed],
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
        },
    ]
