"""make bench-reports: how long the period report takes as HTML, PDF and XLSX, and where the PDF's time goes.

Runs in-process (Django's test client, no HTTP server) against the database of DATABASE_URL, e.g. the demo
after `make run`'s load_demo, or a generated province (`manage.py generate_data --scale province`).
For the 2014–2018 review and the whole programme it prints, per format, the median and best wall time of
BENCH_REPEAT requests (default 5), their CPU time (the process's own, which other load on the machine
does not inflate) and the size; then, for one PDF of the review, the time of each of WeasyPrint's steps
(parsing, CSS, boxes, layout, drawing the PDF) read from its progress log. The machine's load average is
printed with the figures: on a shared machine the wall times move with it.

Environment: BENCH_REPEAT, BENCH_USER (a user with the leadership or staff role; default the first superuser).
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import os
import statistics
import sys
import time
import types
from typing import Any
from unittest import mock

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taybinh.settings")

REVIEW = ("review 14/02/2014–24/10/2018", "from=2014-02-14&to=2018-10-24")
# "pdf" is laid out afresh every time (the PDF cache emptied before each request), in the request even when the
# report is long enough for the worker (the layout's own time); "pdf cached" is the same report downloaded again
# unchanged, answered from the cache (apps.reports.documents.pdf_bytes); "pdf request" is what the browser waits
# for with the background threshold in place (settings.REPORT_PDF_BACKGROUND_HTML_BYTES): the PDF itself, or
# the redirect (302) to the progress page of a run the worker lays out.
FORMATS = ("html", "pdf", "pdf cached", "pdf request", "xlsx")


def _whole_programme() -> tuple[str, str]:
    """From the programme's start to today when one body issues that report (a province's committee); otherwise
    (the demo district, whose committee ended with the 2025 reform) the whole term of the longest-serving body
    that covers the whole installation."""
    from apps.bodies.models import IssuingBody
    from apps.bodies.selectors import issuer_for

    bodies = IssuingBody.objects.order_by("start")
    start = bodies.values_list("start", flat=True).first() or datetime.date(2014, 2, 14)
    end = datetime.date.today()
    if issuer_for(start=start, end=end, commune=None).body is None:
        terms = [(b.start, b.end or end) for b in bodies.filter(whole_installation=True)]
        start, end = max(terms, key=lambda term: term[1] - term[0], default=(start, end))
    return (f"whole programme {start:%d/%m/%Y}–{end:%d/%m/%Y}", f"from={start.isoformat()}&to={end.isoformat()}")


def _client():
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    users = get_user_model().objects
    username = os.environ.get("BENCH_USER")
    user = users.get(username=username) if username else users.filter(is_superuser=True).order_by("pk").first()
    if user is None:
        sys.exit("bench-reports needs a user: run `manage.py ensure_demo_admin` or set BENCH_USER")
    client = Client()
    client.force_login(user)
    return client


# Stands in for the cache when a PDF must be laid out afresh: the real one (maybe a shared Redis) is never cleared.
NO_CACHE = types.SimpleNamespace(get=lambda key: None, set=lambda *args, **kwargs: None)


def _in_request(fmt: str):
    """Every PDF but "pdf request" is laid out in the request, whatever its length."""
    from django.test import override_settings

    return (
        override_settings(REPORT_PDF_BACKGROUND_HTML_BYTES=10**9) if fmt != "pdf request" else contextlib.nullcontext()
    )


def measure(client, query: str, fmt: str, repeat: int) -> dict[str, Any]:
    from apps.reports import documents
    from apps.reports.models import ReportPdfRun

    walls, cpus, size, status = [], [], 0, None
    url = f"/reports/summary/?{query}" + ("" if fmt == "html" else f"&format={fmt.split()[0]}")
    if fmt == "pdf cached":
        with _in_request(fmt):
            client.get(url)
    for _ in range(repeat):
        # A run left from an earlier round would answer at once: each round asks afresh.
        ReportPdfRun.objects.filter(summary_url__contains=query.split("&format")[0]).delete()
        wall, cpu = time.perf_counter(), time.process_time()
        uncached = mock.patch.object(documents, "cache", NO_CACHE) if fmt != "pdf cached" else contextlib.nullcontext()
        with uncached, _in_request(fmt):
            response = client.get(url)
        walls.append((time.perf_counter() - wall) * 1000)
        cpus.append((time.process_time() - cpu) * 1000)
        size, status = len(response.content), response.status_code
    return {
        "status": status,
        "median_ms": statistics.median(walls),
        "best_ms": min(walls),
        "cpu_median_ms": statistics.median(cpus),
        "bytes": size,
    }


class _Steps(logging.Handler):
    """WeasyPrint's progress log ("Step 3 - Applying CSS") with the time each step began."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.marks: list[tuple[str, float]] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        step = message.split(" - ")[1] if " - " in message else message
        if not self.marks or self.marks[-1][0] != step:
            self.marks.append((step, time.perf_counter()))


def pdf_steps(client, query: str) -> list[tuple[str, float]]:
    """The time of each of WeasyPrint's steps for one PDF (the view's own work before it is "view")."""
    logger = logging.getLogger("weasyprint.progress")
    handler, level = _Steps(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    propagate, logger.propagate = logger.propagate, False
    try:
        from apps.reports import documents

        with mock.patch.object(documents, "cache", NO_CACHE):
            started = time.perf_counter()
            client.get(f"/reports/summary/?{query}&format=pdf")
            ended = time.perf_counter()
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate
    marks = [("figures, template (view)", started), *handler.marks, ("end", ended)]
    return [(name, (marks[n + 1][1] - at) * 1000) for n, (name, at) in enumerate(marks[:-1])]


def main() -> int:
    import django

    django.setup()
    logging.getLogger("django.request").setLevel(logging.ERROR)
    repeat = int(os.environ.get("BENCH_REPEAT", "5"))
    client = _client()
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"Report benchmark, {datetime.datetime.now():%d/%m/%Y %H:%M}, {os.cpu_count()} CPUs, load average {load}")
    print(f"{'report':40} {'format':10} {'median ms':>10} {'best ms':>9} {'CPU ms':>8} {'size':>11}  status")
    for name, query in (REVIEW, _whole_programme()):
        client.get(f"/reports/summary/?{query}")  # warm: templates, fonts, the stylesheet parsed once
        for fmt in FORMATS:
            row = measure(client, query, fmt, repeat)
            print(
                f"{name:40} {fmt:10} {row['median_ms']:10.0f} {row['best_ms']:9.0f} {row['cpu_median_ms']:8.0f} "
                f"{row['bytes']:11,d}  {row['status']}"
            )
    print(f"\nWhere one PDF of the {REVIEW[0]} spends its time:")
    for name, ms in pdf_steps(client, REVIEW[1]):
        print(f"  {name:40} {ms:8.0f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
