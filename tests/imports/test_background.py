"""Long imports in the background (issue 13): checked then imported by the task worker, with a progress bar,
all or nothing, and the page tells how it ended even after the browser was closed."""

import datetime
import re
import signal

import pghistory
import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from apps.donations.models import Donation
from apps.donations.services import save_donation
from apps.households.models import Household
from apps.imports import tasks, views
from apps.imports.models import ImportRun
from tests.factories import DonationFactory, HouseholdFactory, UnitFactory
from tests.imports.files import csv_bytes

pytestmark = pytest.mark.django_db(databases=["default", "progress"])

HEADER = ["Số chứng từ", "Ngày", "Mã đơn vị", "Hình thức", "Số tiền (đồng)", "Đối tượng được giúp", "Mã đối tượng"]


@pytest.fixture
def clerk(client):
    user = User.objects.create_superuser("background_clerk", password="x")
    client.force_login(user)
    return user


@pytest.fixture(autouse=True)
def small_threshold(monkeypatch):
    monkeypatch.setattr(views, "BACKGROUND_ROWS", 10)


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


def rows(count, unit, household, *, prefix="BG"):
    lines = [HEADER]
    for number in range(1, count + 1):
        lines.append([f"{prefix}-{number:05d}", "10/05/2020", unit.code, "tiền", "100.000", "hộ", household.code])
    return lines


def upload(client, lines):
    content = csv_bytes(lines)
    return client.post("/staff/import/", {"kind": "donations", "file": SimpleUploadedFile("lon.csv", content)})


def text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_a_long_file_is_checked_then_imported_by_the_worker_with_a_progress_page(client, clerk, worker):
    unit, household = UnitFactory(), HouseholdFactory()

    response = upload(client, rows(30, unit, household))

    run = ImportRun.objects.get(user=clerk)
    assert response.status_code == 302 and response["Location"] == reverse("imports:run", args=[run.pk])
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    page = client.get(response["Location"])
    assert '<meta http-equiv="refresh"' in page.content.decode() and "<progress" in page.content.decode()
    assert "Đang chờ tiến trình chạy nền" in text(page)
    assert client.get(reverse("imports:run_status", args=[run.pk])).json()["state"] == "queued"

    worker()

    page = client.get(reverse("imports:run", args=[run.pk]))
    assert '<meta http-equiv="refresh"' not in page.content.decode()
    assert "Không phát hiện lỗi: 30 bản ghi sẽ tạo mới" in text(page)
    assert "BG-00001" in text(page) and 'value="Xác nhận và nhập"' in page.content.decode()
    assert not Donation.objects.filter(reference__startswith="BG-").exists()  # the check writes nothing

    response = client.post(reverse("imports:run_confirm", args=[run.pk]))
    client.post(reverse("imports:run_confirm", args=[run.pk]))  # a second click does not queue it again
    assert DBTaskResult.objects.filter(status="READY").count() == 1
    assert "Đang nhập tệp" in text(client.get(response["Location"]))

    worker()

    assert Donation.objects.filter(reference__startswith="BG-").count() == 30
    page = client.get(reverse("imports:run", args=[run.pk]))
    assert "Đã nhập lon.csv: tạo mới 30" in text(page)
    status = client.get(reverse("imports:run_status", args=[run.pk])).json()
    assert status == {**status, "state": "done", "action": "import", "finished": True, "ok": True, "percent": 100}
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 2
    assert run.file_name in text(client.get("/staff/import/"))  # the clerk finds the run again from the import page


def test_when_a_row_fails_at_the_end_of_the_real_import_nothing_is_written_and_every_error_is_shown(
    client, clerk, worker
):
    unit, household, last = UnitFactory(), HouseholdFactory(), HouseholdFactory()
    lines = rows(30, unit, household)
    lines[-1][-1] = last.code
    upload(client, lines)
    run = ImportRun.objects.get(user=clerk)
    worker()
    Household.objects.filter(pk=last.pk).delete()  # between the check and the confirmation

    client.post(reverse("imports:run_confirm", args=[run.pk]))
    worker()

    assert not Donation.objects.filter(reference__startswith="BG-").exists()
    response = client.get(reverse("imports:run", args=[run.pk]))
    page = text(response)
    assert "Không nhập gì cả: phát hiện 1 lỗi" in page and f"“{last.code}”" in page and "31" in page
    assert "Xác nhận và nhập" not in response.content.decode()


def test_a_record_changed_between_the_check_and_the_confirmation_refuses_the_background_import(client, clerk, worker):
    unit, household = UnitFactory(), HouseholdFactory()
    first = DonationFactory(reference="BG-00001", amount_vnd=50_000, unit=unit, household=household)
    upload(client, rows(30, unit, household))
    run = ImportRun.objects.get(user=clerk)
    worker()
    assert "29 bản ghi sẽ tạo mới, 1 sẽ cập nhật" in text(client.get(reverse("imports:run", args=[run.pk])))
    with pghistory.context(username="thu_ky_b"):  # another clerk corrects the amount meanwhile
        first.amount_vnd = 70_000
        save_donation(first)

    client.post(reverse("imports:run_confirm", args=[run.pk]))
    worker()

    page = text(client.get(reverse("imports:run", args=[run.pk])))
    assert "Không nhập gì cả: phát hiện 1 lỗi" in page
    assert "bản ghi này đã được sửa sau khi xem trước" in page and "thu_ky_b" in page and "50.000 → 70.000" in page
    first.refresh_from_db()
    assert first.amount_vnd == 70_000
    assert Donation.objects.filter(reference__startswith="BG-").count() == 1

    # Checked again, with nobody's change in between, the same file is imported.
    upload(client, rows(30, unit, household))
    run = ImportRun.objects.filter(user=clerk).latest("created_at")
    worker()
    client.post(reverse("imports:run_confirm", args=[run.pk]))
    worker()

    first.refresh_from_db()
    assert first.amount_vnd == 100_000
    assert Donation.objects.filter(reference__startswith="BG-").count() == 30


def test_a_run_is_only_seen_and_confirmed_by_its_uploader(client, clerk, worker):
    unit, household = UnitFactory(), HouseholdFactory()
    upload(client, rows(30, unit, household))
    run = ImportRun.objects.get(user=clerk)
    worker()
    client.force_login(User.objects.create_superuser("another_clerk", password="x"))

    assert client.get(reverse("imports:run", args=[run.pk])).status_code == 404
    assert client.get(reverse("imports:run_status", args=[run.pk])).status_code == 404
    assert client.post(reverse("imports:run_confirm", args=[run.pk])).status_code == 404
    assert not DBTaskResult.objects.filter(status="READY").exists()


def test_the_run_pages_make_a_fixed_number_of_queries(client, clerk, worker, django_assert_num_queries):
    unit, household = UnitFactory(), HouseholdFactory()
    upload(client, rows(30, unit, household))
    run = ImportRun.objects.get(user=clerk)
    worker()

    # session, user, the run, whether its file is still kept, and the admin header's programme name (2)
    with django_assert_num_queries(6):
        assert client.get(reverse("imports:run", args=[run.pk])).status_code == 200
    with django_assert_num_queries(3):
        assert client.get(reverse("imports:run_status", args=[run.pk])).status_code == 200


def test_a_run_left_unconfirmed_too_long_is_not_imported_and_its_file_is_forgotten(client, clerk, worker):
    unit, household = UnitFactory(), HouseholdFactory()
    upload(client, rows(30, unit, household))
    stale = ImportRun.objects.get(user=clerk)
    worker()
    ImportRun.objects.filter(pk=stale.pk).update(created_at=timezone.now() - datetime.timedelta(hours=3))

    assert 'value="Xác nhận và nhập"' not in client.get(reverse("imports:run", args=[stale.pk])).content.decode()
    client.post(reverse("imports:run_confirm", args=[stale.pk]))
    assert not DBTaskResult.objects.filter(status="READY").exists()
    upload(client, rows(30, unit, household, prefix="NEW"))  # the next long upload clears old files

    assert bytes(ImportRun.objects.get(pk=stale.pk).content) == b""
    assert not Donation.objects.filter(reference__startswith="BG-").exists()


def test_a_run_nobody_works_on_says_the_worker_may_be_stopped(client, clerk):
    unit, household = UnitFactory(), HouseholdFactory()
    upload(client, rows(30, unit, household))
    run = ImportRun.objects.get(user=clerk)
    ImportRun.objects.filter(pk=run.pk).update(updated_at=timezone.now() - datetime.timedelta(minutes=5))

    assert "manage.py db_worker" in text(client.get(reverse("imports:run", args=[run.pk])))


def test_a_small_file_is_still_checked_at_once(client, clerk):
    unit, household = UnitFactory(), HouseholdFactory()

    response = upload(client, rows(5, unit, household))

    assert response.status_code == 200 and "Xác nhận và nhập" in response.content.decode()
    assert not ImportRun.objects.exists()


@pytest.mark.slow
def test_twenty_thousand_rows_run_in_the_background_with_the_bar_moving_and_all_or_nothing(
    client, clerk, worker, monkeypatch
):
    unit, household = UnitFactory(), HouseholdFactory()
    told = []
    original = tasks._progress

    def spy(run_id):
        tell = original(run_id)
        return lambda done, total: (told.append((done, total)), tell(done, total))

    monkeypatch.setattr(tasks, "_progress", spy)
    lines = rows(20_000, unit, household, prefix="BIG")
    lines[-1][4] = "1,5"  # the last row is wrong: nothing may be written

    upload(client, lines)
    run = ImportRun.objects.get(user=clerk)
    worker()

    assert told[-1] == (20_000, 20_000) and len(told) >= 20  # the bar moved all along
    run.refresh_from_db()
    assert [(error["row"], error["column"]) for error in run.report["errors"]] == [(20_001, "Số tiền (đồng)")]
    page = text(client.get(reverse("imports:run", args=[run.pk])))
    assert "phát hiện 1 lỗi" in page, page[:3000]
    lines[-1][4] = "100.000"
    told.clear()
    upload(client, lines)
    run = ImportRun.objects.filter(user=clerk).latest("created_at")
    worker()
    client.post(reverse("imports:run_confirm", args=[run.pk]))
    worker()

    assert Donation.objects.filter(reference__startswith="BIG-").count() == 20_000
    assert told[-1] == (20_000, 20_000)
