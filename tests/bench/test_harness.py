"""The benchmark's measuring parts on a tiny run: floors count what the portal counts, samples stop when told."""

import datetime
import http.server
import json
import threading

import pytest
from django.db import connection

from apps.communes.models import Commune
from apps.donations.selectors import totals
from apps.units.models import UnitGroup
from bench import floors
from bench.measure import Client, Response, Sampler, percentile
from bench.run import parse_wrk

WRK_OUTPUT = """Running 8s test @ http://127.0.0.1:8771/
  2 threads and 200 connections
  Latency Distribution
     50%  197.00ms
     99%  716.92ms
  5919 requests in 8.10s, 1.21MB read
  Socket errors: connect 0, read 3, write 0, timeout 2
  Non-2xx or 3xx responses: 7
Requests/sec:    736.77
"""


def test_percentile_takes_the_nearest_rank():
    assert percentile([], 0.5) is None
    assert percentile([5.0], 0.95) == 5.0
    assert percentile([float(n) for n in range(1, 101)], 0.95) == 95.0
    assert percentile([3.0, 1.0, 2.0], 0.5) == 2.0


@pytest.mark.django_db
@pytest.mark.parametrize("scope", ["whole", "2019", "commune", "group"])
def test_each_database_floor_counts_exactly_what_summary_json_counts(scope):
    commune = Commune.objects.filter(predecessors__isnull=False).first()
    group = UnitGroup.objects.order_by("code").first()
    floor, kwargs = {
        "whole": (floors.Floor("whole", ""), {}),
        "2019": (
            floors.Floor("2019", "", datetime.date(2019, 1, 1), datetime.date(2019, 12, 31)),
            {"start": datetime.date(2019, 1, 1), "end": datetime.date(2019, 12, 31)},
        ),
        "commune": (floors.Floor("commune", "", commune=commune.code), {"commune": commune}),
        "group": (floors.Floor("group", "", group=group.code), {"group": group}),
    }[scope]
    with connection.cursor() as cursor:
        counted = floors.run(cursor.cursor, floor)
    expected = json.loads(json.dumps(totals(**kwargs)["total"], default=float))
    assert counted["money_vnd"] > 0
    assert counted == floors.comparable(expected)


def test_sampler_interleaves_the_floors_and_stops_at_most_or_at_a_timeout():
    calls = []
    sampler = Sampler(floor=lambda: calls.append("floor") or 1.0, db_floor=lambda: calls.append("db"), budget_s=60)
    series = sampler.series("page", lambda n: calls.append("page") or Response(200, 10.0 + n), most=3)
    assert calls == ["floor", "page", "db", "floor", "page", "floor", "page"]
    assert series.summary()["p50_ms"] == 11.0 and series.summary()["floor_p50_ms"] == 1.0
    stopped = sampler.series("slow", lambda n: Response("timeout", 120_000.0), most=5)
    assert len(stopped.samples) == 1 and stopped.notes == ["timeout after 120 s"]
    assert stopped.summary()["n"] == 0 and stopped.summary()["p50_ms"] is None


def test_warm_figures_count_only_what_the_page_cache_answered():
    sampler = Sampler(floor=lambda: 1.0, db_floor=lambda: None)
    answers = [Response(200, 900.0, cache="miss"), Response(200, 5.0, cache="hit"), Response(200, 7.0, cache="hit")]
    series = sampler.series("home, warm", lambda n: answers[n], most=3)
    assert series.summary(hits_only=True)["p50_ms"] == 6.0
    assert series.summary(hits_only=True)["cache"] == {"hit": 2, "miss": 1}


class _VisitsJson(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802 (the standard library's name)
        body = json.dumps({"total": 1}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


def test_client_measures_a_real_request_and_reports_a_refused_connection():
    # A plain HTTP server in a thread: Django's live_server would flush the test database (and its demo) after
    # the test, which the browser tests of the same worker read.
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _VisitsJson)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        answer = Client("127.0.0.1", server.server_port, timeout=30).request("/open-data/visits.json")
    finally:
        server.shutdown()
    assert answer.status == 200 and answer.ms > 0 and "total" in json.loads(answer.body)
    refused = Client("127.0.0.1", 9, timeout=2).request("/")
    assert refused.status.startswith("error")


def test_wrk_output_is_read_with_its_errors():
    run = parse_wrk(WRK_OUTPUT)
    assert run["requests_per_s"] == 736.77 and run["completed"] == 5919 and run["non_2xx"] == 7
    assert run["socket_errors"] == {"connect": 0, "read": 3, "write": 0, "timeout": 2}
    assert run["latency_p50"] == "197.00ms" and run["latency_p99"] == "716.92ms"
