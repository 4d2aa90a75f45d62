"""A long report's PDF made by the task worker (issue 13, "long work with progress"): a progress page that
needs no script, the browser may close, a download link at the end or a clear error; a PDF already made
is handed over at once."""

import datetime
import io
import re
import signal

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult
from pypdf import PdfReader

from apps.reports import documents, tasks
from apps.reports.models import ReportPdfRun

pytestmark = pytest.mark.django_db(databases=["default", "progress"])

# The demo's whole term of the district committee: longer than the 2014–2018 review.
WHOLE = {"from": "2014-02-14", "to": "2025-06-30", "format": "pdf"}
REVIEW = {"from": "2014-02-14", "to": "2018-10-24", "format": "pdf"}
SUMMARY = reverse("reports:summary")


@pytest.fixture
def worker(monkeypatch):
    """`manage.py db_worker --batch`: runs the queued tasks as the real worker does, then stops.

    Its connection check between tasks would close the test's transaction, so only that is left out.
    """
    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}

    def run() -> None:
        try:
            call_command("db_worker", "--batch", "--interval", "0", "--no-startup-delay", verbosity=0)
        finally:
            for sig, handler in saved.items():
                signal.signal(sig, handler)

    return run


@pytest.fixture(autouse=True)
def empty_pdf_cache():
    from django.core.cache import cache

    cache.clear()


def text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


def test_the_whole_programme_pdf_is_made_by_the_worker_with_a_progress_page_then_a_download(
    client, leader, worker, monkeypatch
):
    client.force_login(leader)
    bar = []  # where the run stood each time the worker moved it
    original = tasks._progress

    def watched(run_id):
        tell = original(run_id)

        def both(message):
            tell(message)
            bar.append(ReportPdfRun.objects.get(pk=run_id).step)

        return both

    monkeypatch.setattr(tasks, "_progress", watched)

    response = client.get(SUMMARY, WHOLE)

    run = ReportPdfRun.objects.get(user=leader)
    assert response.status_code == 302 and response["Location"] == reverse("reports:pdf_run", args=[run.pk])
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    page = client.get(response["Location"])
    assert '<meta http-equiv="refresh"' in page.content.decode() and "<progress" in page.content.decode()
    assert "Đang chờ tiến trình chạy nền" in text(page) and "Anh/chị có thể đóng trang" in text(page)
    # Asked again before it is made (the browser closed and opened): the same run, not a second one.
    assert client.get(SUMMARY, WHOLE)["Location"] == response["Location"]
    assert ReportPdfRun.objects.count() == 1

    worker()

    run.refresh_from_db()
    # The bar moved on through WeasyPrint's steps (step 2, parsing the stylesheet, is done once per process).
    assert set(bar) >= {1, 3, 4, 5, 6, documents.PDF_STEPS} and bar == sorted(bar)
    assert (run.state, run.step, run.html) == ("done", documents.PDF_STEPS, "")  # every step, the HTML dropped
    page = client.get(reverse("reports:pdf_run", args=[run.pk]))
    assert '<meta http-equiv="refresh"' not in page.content.decode()
    assert "Bản PDF đã sẵn sàng." in text(page)
    download = client.get(reverse("reports:pdf_download", args=[run.pk]))
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"] == 'attachment; filename="bao-cao-20140214-20250630.pdf"'
    assert "từ ngày 14/02/2014 đến ngày 30/06/2025" in pdf_text(download.content)

    # The same report asked again: the PDF at once, from the run (another server process has no shared cache).
    again = client.get(SUMMARY, WHOLE)
    assert again.status_code == 200 and again.content == download.content
    assert ReportPdfRun.objects.count() == 1 and DBTaskResult.objects.filter(status="READY").count() == 0


def test_the_review_pdf_is_still_made_while_the_browser_waits(client, leader):
    client.force_login(leader)

    response = client.get(SUMMARY, REVIEW)

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert not ReportPdfRun.objects.exists()


def test_the_threshold_sits_between_the_review_and_the_whole_programme(client, leader):
    """The setting's justification, checked on the demo: the review's HTML under it, the whole term's over it."""
    client.force_login(leader)
    sizes = {}
    for name, query in (("review", REVIEW), ("whole", WHOLE)):
        page = client.get(SUMMARY, {**query, "format": "html"})
        sizes[name] = len(page.content)
    assert sizes["review"] < settings.REPORT_PDF_BACKGROUND_HTML_BYTES < sizes["whole"]


def test_a_pdf_that_fails_says_so_in_vietnamese_and_offers_the_way_back(client, leader, worker, monkeypatch):
    client.force_login(leader)
    client.get(SUMMARY, WHOLE)
    run = ReportPdfRun.objects.get()

    def broken(*args, **kwargs):
        raise RuntimeError("no fonts")

    monkeypatch.setattr(documents, "_render_pdf", broken)
    worker()

    page = client.get(reverse("reports:pdf_run", args=[run.pk]))
    assert "Không làm được bản PDF vì một lỗi ngoài dự kiến." in text(page)
    assert "Quay lại báo cáo" in text(page) and '<meta http-equiv="refresh"' not in page.content.decode()
    assert client.get(reverse("reports:pdf_download", args=[run.pk])).status_code == 302


def test_a_run_is_seen_only_by_who_asked(client, leader, district_officer, worker):
    client.force_login(leader)
    client.get(SUMMARY, WHOLE)
    run = ReportPdfRun.objects.get()
    worker()
    client.force_login(district_officer)

    assert client.get(reverse("reports:pdf_run", args=[run.pk])).status_code == 404
    assert client.get(reverse("reports:pdf_download", args=[run.pk])).status_code == 404


def test_runs_older_than_a_week_are_forgotten_when_another_long_pdf_is_asked(client, leader, worker):
    client.force_login(leader)
    client.get(SUMMARY, WHOLE)
    worker()
    old = ReportPdfRun.objects.get()
    ReportPdfRun.objects.filter(pk=old.pk).update(created_at=old.created_at - datetime.timedelta(days=8))

    client.get(SUMMARY, {**WHOLE, "to": "2025-06-29"})

    assert not ReportPdfRun.objects.filter(pk=old.pk).exists()
    assert ReportPdfRun.objects.count() == 1
