"""The open-data files of CONTRACT.md: summary.json, summary.csv, visits.json."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_GET

from apps.core.spreadsheets import csv_cell
from apps.donations.params import PeriodScope, parse_period_scope
from apps.donations.selectors import SECTORS, totals
from apps.portal.caching import rate_limited
from apps.portal.selectors import visit_counts

SUMMARY_SCHEMA = Path(__file__).parent / "schemas" / "summary.schema.json"
TOTALS_COLUMNS = ["money_vnd", "loans_vnd", "labour_days", "household_visits", "households", "students"]


def summary(scope: PeriodScope) -> dict[str, Any]:
    figures = totals(start=scope.start, end=scope.end, commune=scope.commune, group=scope.group)
    return {
        "from": scope.start.isoformat() if scope.start else None,
        "to": scope.end.isoformat() if scope.end else None,
        "scope": {
            "commune": scope.commune.code if scope.commune else None,
            "group": scope.group.code if scope.group else None,
        },
        "sectors": figures["sectors"],
        "total": figures["total"],
    }


def _bad_request(scope: PeriodScope) -> JsonResponse:
    # The contract answers one message: the first problem found.
    return JsonResponse({"error": scope.errors[0]}, status=400, json_dumps_params={"ensure_ascii": False})


def _open(response: HttpResponse) -> HttpResponse:
    # Open data is meant to be fetched by other sites' scripts too.
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_GET
@rate_limited
def summary_json(request: HttpRequest) -> HttpResponse:
    scope = parse_period_scope(request.GET, strict_iso=True)
    if scope.errors:
        return _open(_bad_request(scope))
    return _open(JsonResponse(summary(scope), json_dumps_params={"ensure_ascii": False}))


def write_summary_csv(file: Any, data: dict[str, Any]) -> None:
    """The CSV of CONTRACT.md for a summary(): one row per sector and the total, one goods column per item."""
    items = list(data["total"]["goods"])
    writer = csv.writer(file, lineterminator="\n")
    writer.writerow(["sector", "from", "to", "commune", "group", *TOTALS_COLUMNS, *(f"goods_{code}" for code in items)])
    rows = [(sector, data["sectors"][sector]) for sector in SECTORS] + [("total", data["total"])]
    for sector, figures in rows:
        writer.writerow(
            [
                sector,
                data["from"] or "",
                data["to"] or "",
                # Codes are typed by staff: one written "=…" must not run as a formula in a spreadsheet.
                csv_cell(data["scope"]["commune"] or ""),
                csv_cell(data["scope"]["group"] or ""),
                *(figures[column] for column in TOTALS_COLUMNS),
                *(figures["goods"].get(code, {}).get("quantity", 0) for code in items),
            ]
        )


@require_GET
@rate_limited
def summary_csv(request: HttpRequest) -> HttpResponse:
    """One row per sector and one for the total; one goods column per item given in the period."""
    scope = parse_period_scope(request.GET, strict_iso=True)
    if scope.errors:
        return _open(_bad_request(scope))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="summary.csv"'
    write_summary_csv(response, summary(scope))
    return _open(response)


@require_GET
def visits_json(request: HttpRequest) -> HttpResponse:
    """Current to the moment it is asked; not a public page, so fetching it is not a visit."""
    response = _open(JsonResponse(visit_counts()))
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def summary_schema(request: HttpRequest) -> HttpResponse:
    """The JSON Schema that summary.json answers to (tests/portal/test_open_data_docs.py checks the live file)."""
    response = HttpResponse(SUMMARY_SCHEMA.read_bytes(), content_type="application/schema+json; charset=utf-8")
    return _open(response)


def schema() -> dict[str, Any]:
    return json.loads(SUMMARY_SCHEMA.read_text(encoding="utf-8"))
