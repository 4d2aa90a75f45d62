import datetime
import io

import pytest
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import RequestFactory
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from apps.core.models import ProgrammeSettings
from apps.reports.freezing import warn_if_period_frozen
from apps.reports.models import FrozenReport
from tests.factories import DonationFactory, PledgeFactory, UnitFactory, standard_item
from tests.reports.conftest import PERIOD

SUMMARY = reverse("reports:summary")


def scoped(small_programme, **extra) -> dict:
    return {"from": PERIOD[0].isoformat(), "to": PERIOD[1].isoformat(), "group": small_programme.group.code, **extra}


def test_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get(SUMMARY)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


@pytest.mark.parametrize("persona", ["unit_focal_point", "outsider"])
def test_people_without_the_role_are_refused_with_a_message(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    for url in (SUMMARY, reverse("reports:monitoring")):
        response = client.get(url)
        assert response.status_code == 403
        assert "Access denied" in response.text or "Không có quyền" in response.text


def test_leader_reads_the_report_as_a_party_document(client, leader, small_programme):
    small_programme.add_donations(3)
    client.force_login(leader)

    response = client.get(SUMMARY, scoped(small_programme))

    assert response.status_code == 200
    text = response.text
    assert "ĐẢNG BỘ TỈNH THỬ" in text and "<strong>HUYỆN ỦY THỬ</strong>" in text
    assert "Nơi Thử, ngày 31 tháng 12 năm 2008" in text
    assert "-BC/HU" in text and "Số:" not in text
    assert "300.000" in text
    assert "Ba trăm nghìn đồng" in text
    assert "<strong>Người Ký Thử</strong>" in text
    assert "Freeze" not in text and "Chốt" not in text  # freezing is for district staff


def test_report_never_shows_a_households_name_or_id_number(client, leader, small_programme):
    small_programme.add_donations(3)
    household = small_programme.households[0]
    PledgeFactory(unit=small_programme.units[0], household=household, start=PERIOD[0], end=PERIOD[1])
    client.force_login(leader)
    for fmt in ("html", "xlsx"):
        response = client.get(SUMMARY, scoped(small_programme, format=fmt))
        content = response.content if fmt == "xlsx" else response.text
        if fmt == "xlsx":
            book = load_workbook(io.BytesIO(content))
            content = " ".join(str(c.value) for sheet in book.worksheets for row in sheet.iter_rows() for c in row)
        assert household.head_name not in content and household.id_number not in content
        assert "Xã Báo Cáo" in content  # the pledge's beneficiary is shown by its commune


def test_report_without_dates_covers_the_term_of_the_last_body_over_the_whole_district(client, leader):
    # Since 01/07/2025 only the communes' party committees issue reports: the district-wide report a
    # leader opens from the administration is the Huyện ủy's, up to the end of its term, never a dead end.
    client.force_login(leader)
    response = client.get(SUMMARY)
    assert response.status_code == 200
    params = response.context["params"]
    assert (params.start, params.end) == (datetime.date(2014, 2, 14), datetime.date(2025, 6, 30))
    assert "HUYỆN ỦY TÂY HÒA" in response.text


@pytest.mark.parametrize(
    "query",
    [
        {"from": "2018-13-45"},
        {"from": "2018-10-24", "to": "2018-01-01"},
        {"commune": "NO_SUCH"},
        {"group": "NO_SUCH"},
        {"format": "docx"},
        {"to": "'; drop table"},
    ],
)
def test_bad_parameters_get_a_clear_400_page_not_an_error(client, leader, query):
    client.force_login(leader)
    response = client.get(SUMMARY, query)
    assert response.status_code == 400
    assert response.context["errors"]


def test_pdf_is_an_a4_document_with_extractable_vietnamese_text(client, leader, small_programme):
    small_programme.add_donations(3)
    client.force_login(leader)
    response = client.get(SUMMARY, scoped(small_programme, format="pdf"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    width, height = reader.pages[0].mediabox.width, reader.pages[0].mediabox.height
    assert (round(float(width) * 25.4 / 72), round(float(height) * 25.4 / 72)) == (210, 297)
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "HUYỆN ỦY" in text
    assert "Ba trăm nghìn đồng" in text
    assert "300.000" in text


def test_workbook_stores_numbers_as_numbers_and_text_never_as_formulas(client, leader, small_programme):
    small_programme.units[0].name = '=HYPERLINK("http://evil.example","x")'
    small_programme.units[0].save()
    small_programme.add_donations(3)
    client.force_login(leader)

    response = client.get(SUMMARY, scoped(small_programme, format="xlsx"))

    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) >= 5  # one sheet per table
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    money = [cell for cell in cells if cell.value == 300_000]
    assert money and all(cell.number_format == "#,##0" for cell in money)
    evil = [cell for cell in cells if isinstance(cell.value, str) and "HYPERLINK" in cell.value]
    assert evil and all(cell.data_type == "s" for cell in evil)


@pytest.mark.parametrize("size", [2, 20])
def test_report_page_takes_the_same_few_queries_whatever_the_data(
    client, leader, small_programme, size, django_assert_max_num_queries
):
    small_programme.add_donations(size)
    client.force_login(leader)
    # One more than before the body's administrative order of communes (apps.reports.ordering): one query.
    with django_assert_max_num_queries(25):
        assert client.get(SUMMARY, scoped(small_programme)).status_code == 200


def test_leader_cannot_freeze_a_report(client, leader, small_programme):
    client.force_login(leader)
    response = client.post(reverse("reports:freeze"), scoped(small_programme))
    assert response.status_code == 403
    assert not FrozenReport.objects.exists()


def test_frozen_report_keeps_its_figures_and_shows_what_changed_since(client, district_officer, small_programme):
    small_programme.add_donations(3)
    client.force_login(district_officer)

    response = client.post(reverse("reports:freeze"), scoped(small_programme))
    assert response.status_code == 302
    frozen = FrozenReport.objects.get(group=small_programme.group)
    assert frozen.frozen_by == district_officer
    assert frozen.figures["total"]["money_vnd"] == 300_000

    # A record inside the period is added afterwards: the report still shows 300.000, and the difference.
    DonationFactory(
        unit=small_programme.units[0], household=small_programme.households[0], date=PERIOD[0], amount_vnd=50_000
    )
    response = client.get(SUMMARY, scoped(small_programme))
    assert response.context["figures"]["total"]["money_vnd"] == 300_000
    changes = {(c["sector"], c["key"]): c for c in response.context["changes"]}
    assert changes[("total", "money_vnd")]["current"] == 350_000
    assert changes[("total", "money_vnd")]["difference"] == 50_000
    assert "+50.000" in response.text


def test_frozen_report_lists_sectors_and_goods_in_the_same_order_as_the_live_one(
    client, district_officer, small_programme
):
    # jsonb would put "vo" before "gao" and "other" before "district_units" (shorter keys first).
    for code in ("xe_dap", "vo", "gao"):
        DonationFactory(
            unit=small_programme.committee,
            household=small_programme.households[0],
            date=PERIOD[0],
            goods=True,
            item=standard_item(code),
            quantity=3,
        )
    small_programme.add_donations(2)
    other = UnitFactory(kind="other")
    DonationFactory(unit=other, household=small_programme.households[0], date=PERIOD[0])
    query = {"from": PERIOD[0].isoformat(), "to": PERIOD[1].isoformat(), "commune": small_programme.commune.code}
    client.force_login(district_officer)
    live = client.get(SUMMARY, query).context

    client.post(reverse("reports:freeze"), query)
    frozen = client.get(SUMMARY, query).context

    assert frozen["frozen"] is not None
    assert list(frozen["figures"]["sectors"]) == list(live["figures"]["sectors"])
    assert frozen["total_goods"] == live["total_goods"] == "3 kg gạo, 3 quyển vở, 3 chiếc xe đạp"
    assert frozen["tables"] == live["tables"]


def test_a_report_cannot_be_frozen_twice(client, district_officer, small_programme):
    client.force_login(district_officer)
    client.post(reverse("reports:freeze"), scoped(small_programme))
    response = client.post(reverse("reports:freeze"), scoped(small_programme), follow=True)
    assert FrozenReport.objects.filter(group=small_programme.group).count() == 1
    assert any(m.level_tag == "error" for m in get_messages(response.wsgi_request))


def test_admin_is_warned_when_a_record_falls_inside_a_frozen_period(district_officer, small_programme):
    FrozenReport.objects.create(start=PERIOD[0], end=PERIOD[1], figures={}, frozen_by=district_officer)
    request = RequestFactory().post("/admin/")
    request.session = {}
    request._messages = FallbackStorage(request)

    warn_if_period_frozen(request, PERIOD[0] - datetime.timedelta(days=1))
    assert list(request._messages) == []
    warn_if_period_frozen(request, PERIOD[1])
    [message] = list(request._messages)
    assert message.level_tag == "warning"
    assert "31/12/2008" in message.message


def test_monitoring_lists_who_is_behind_and_each_list_downloads(client, leader, small_programme):
    slow = small_programme.units[0]
    PledgeFactory(
        unit=slow,
        household=small_programme.households[0],
        start=datetime.date(2020, 1, 1),
        end=datetime.date(2021, 1, 1),
        money_vnd=7_000_000,
    )
    never = UnitFactory(name="Đơn vị chưa từng ủng hộ")
    client.force_login(leader)

    response = client.get(reverse("reports:monitoring"), {"months": 3})

    assert response.status_code == 200
    lists = {table["key"]: table for table in response.context["lists"]}
    assert any(row[1] == slow.name and row[3] == 7_000_000 for row in lists["pledges"]["rows"])
    assert any(row[0] == never.name for row in lists["idle"]["rows"])
    for key in lists:
        download = client.get(reverse("reports:monitoring_export", args=[key]), {"months": 3})
        assert download.status_code == 200
        load_workbook(io.BytesIO(download.content))


def test_monitoring_refuses_a_nonsense_number_of_months(client, leader):
    client.force_login(leader)
    assert client.get(reverse("reports:monitoring"), {"months": "abc"}).status_code == 400
    assert client.get(reverse("reports:monitoring_export", args=["nothing"])).status_code == 400


@pytest.mark.parametrize("size", [2, 20])
def test_monitoring_page_takes_the_same_few_queries_whatever_the_data(
    client, leader, small_programme, size, django_assert_max_num_queries
):
    for n in range(size):
        UnitFactory()
        PledgeFactory(unit=small_programme.units[n % 2], household=small_programme.households[n % 3])
        DonationFactory(loan=True, unit=small_programme.units[0], household=small_programme.households[0])
    client.force_login(leader)
    # 12, and 3 for the unmet needs per commune (the counts, the communes, their names then).
    with django_assert_max_num_queries(15):
        assert client.get(reverse("reports:monitoring")).status_code == 200


def test_monitoring_shows_the_situation_on_a_chosen_day(client, leader, small_programme):
    unit = small_programme.units[0]
    PledgeFactory(
        code="TDK-ON-DAY",
        unit=unit,
        household=small_programme.households[0],
        start=datetime.date(2020, 1, 1),
        end=datetime.date(2020, 12, 31),
        money_vnd=1_000_000,
    )
    client.force_login(leader)

    def status_on(day: str) -> str:
        response = client.get(reverse("reports:monitoring"), {"on": day, "status": ""})
        assert response.status_code == 200
        [row] = [row for row in response.context["lists"][0]["rows"] if row[0] == "TDK-ON-DAY"]
        return row[-1]

    # Nothing given: a month in it is still within the margin, a day after its end it is overdue.
    assert status_on("2020-01-20") == "đạt tiến độ"
    assert status_on("01/01/2021") == "quá hạn"
    assert client.get(reverse("reports:monitoring"), {"on": "31/02/2021"}).status_code == 400


def test_monitoring_page_shows_the_most_urgent_rows_and_says_the_excel_has_them_all(client, leader, monkeypatch):
    from apps.reports import views

    monkeypatch.setattr(views, "MONITORING_ROWS_SHOWN", 3)
    client.force_login(leader)
    response = client.get(reverse("reports:monitoring"))
    page = response.content.decode()
    pledges = response.context["lists"][0]
    assert pledges["count"] > 3  # the demo has hundreds
    assert len(pledges["rows"]) == 3  # only those shown are read
    assert page.count('class="status-') <= 3
    assert "trên" in page and "tệp Excel tải về có đầy đủ" in page


def test_the_report_opens_before_anyone_has_saved_the_programme_settings(client, leader):
    ProgrammeSettings.objects.all().delete()
    # A freshly created settings row holds a real date, as pages compare and format it.
    assert ProgrammeSettings.load().programme_start == datetime.date(2014, 2, 14)
    client.force_login(leader)
    response = client.get(SUMMARY)
    assert response.status_code == 200
    assert "14/02/2014" in response.content.decode()
