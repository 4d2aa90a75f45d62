"""A report's text written by staff, approved by leadership: number, date, signer and recipients frozen with
the figures (issue 12, "Done when"), on the demo's 2014–2018 review."""

import datetime
import io
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from pypdf import PdfReader

from apps.bodies.selectors import issuer_for
from apps.donations.models import Donation
from apps.reports.models import FrozenReport, ReportDraft
from apps.reports.outline import SECTION_KEYS

REVIEW = {"from": "2014-02-14", "to": "2018-10-24"}
START, END = datetime.date(2014, 2, 14), datetime.date(2018, 10, 24)
SUMMARY = reverse("reports:summary")
DRAFT = reverse("reports:draft")
APPROVE = reverse("reports:approve")


def _text(pdf: bytes) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))


@pytest.fixture
def body(db):
    return issuer_for(start=START, end=END, commune=None).body


def _write(client, body, **extra):
    recipients = body.recipient_lines[:2]
    data = {
        **REVIEW,
        "section_leadership": "Ban Thường vụ Huyện ủy ban hành Kế hoạch và phân công các nhóm giúp đỡ.",
        "section_strengths": "Các cơ quan, đơn vị tích cực giúp đỡ hộ nghèo.",
        "section_lessons": "Phân công cụ thể, kiểm tra thường xuyên.",
        "signer_capacity": "T/M BAN THƯỜNG VỤ",
        "signer_title": "PHÓ BÍ THƯ",
        "signer_name": "Nguyễn Văn Ký",
        "recipients": recipients,
        **extra,
    }
    return client.post(DRAFT, data), recipients


def test_staff_write_leader_approves_and_the_pdf_carries_number_signer_and_recipients(
    client, district_officer, leader, body
):
    assert len(body.recipient_lines) >= 3
    client.force_login(district_officer)
    response, recipients = _write(client, body)
    assert response.status_code == 302
    draft = ReportDraft.objects.get(start=START, end=END, commune=None, group=None)
    assert set(draft.sections) == set(SECTION_KEYS)
    # The draft shows in the report with its text, still without a number.
    page = client.get(SUMMARY, REVIEW)
    assert "Phân công cụ thể, kiểm tra thường xuyên." in page.text
    assert "BÀI HỌC KINH NGHIỆM" in page.text.upper()

    client.force_login(leader)
    response = client.post(APPROVE, {**REVIEW, "date": "24/10/2018"})
    assert response.status_code == 302
    report = FrozenReport.objects.get(start=START, end=END, commune=None, group=None)
    assert (report.number, report.issued_on, report.signer_name) == (1, END, "Nguyễn Văn Ký")

    pdf = _text(client.get(SUMMARY, {**REVIEW, "format": "pdf"}).content)
    assert f"Số 1-BC/{body.symbol}" in pdf
    assert "Nguyễn Văn Ký" in pdf and "PHÓ BÍ THƯ" in pdf
    closing = pdf[pdf.index("Nơi nhận:") : pdf.index("PHỤ LỤC")]
    for line in recipients:
        assert f"- {line}," in closing
    unchosen = [line for line in body.recipient_lines[2:] if not line.casefold().startswith("lưu")]
    for line in unchosen:
        assert f"- {line}" not in closing
    assert re.search(r"- Lưu Văn phòng[^.,]*\.", closing)  # the archive line last, with a full stop
    assert f"Kèm theo Báo cáo số 1-BC/{body.symbol} ngày 24/10/2018" in pdf
    assert "Phân công cụ thể, kiểm tra thường xuyên." in pdf


def test_the_text_is_frozen_with_the_figures_and_a_later_change_shows_as_a_difference(
    client, district_officer, leader, body
):
    client.force_login(district_officer)
    _write(client, body)
    client.force_login(leader)
    client.post(APPROVE, REVIEW)
    client.force_login(district_officer)
    response, _recipients = _write(client, body, section_lessons="Đổi sau khi duyệt.")
    # The draft goes on as the next version's text; the approved version keeps its own.
    assert ReportDraft.objects.get(start=START, end=END).sections["lessons"] == "Đổi sau khi duyệt."
    assert (
        FrozenReport.objects.get(start=START, end=END).sections["lessons"] == "Phân công cụ thể, kiểm tra thường xuyên."
    )
    pdf = _text(client.get(SUMMARY, {**REVIEW, "format": "pdf"}).content)
    assert "Phân công cụ thể, kiểm tra thường xuyên." in pdf and "Đổi sau khi duyệt." not in pdf

    donation = Donation.objects.filter(date__range=(START, END), kind=Donation.Kind.MONEY).first()
    donation.amount_vnd += 1_000_000
    donation.save()
    changes = client.get(SUMMARY, REVIEW).context["changes"]
    assert {(c["sector"], c["key"], c["difference"]) for c in changes} >= {("total", "money_vnd", 1_000_000)}


def test_numbers_come_from_the_register_or_as_entered_and_are_never_given_twice(client, leader, body):
    client.force_login(leader)
    client.post(APPROVE, {**REVIEW, "number": "125", "date": "24/10/2018"})
    assert FrozenReport.objects.get(start=START, end=END).number == 125
    # Another report of the same body in 2018 takes the next number of the register...
    other = {"from": "2018-01-01", "to": "2018-06-30"}
    client.post(APPROVE, {**other, "date": "30/06/2018"})
    assert FrozenReport.objects.get(start=datetime.date(2018, 1, 1)).number == 126
    # ...and an entered number already given is refused, nothing frozen.
    third = {"from": "2018-07-01", "to": "2018-09-30"}
    response = client.post(APPROVE, {**third, "number": "125", "date": "30/09/2018"}, follow=True)
    assert not FrozenReport.objects.filter(start=datetime.date(2018, 7, 1)).exists()
    assert any("125" in str(m) for m in get_messages(response.wsgi_request))


@pytest.mark.parametrize("data", [{"number": "abc"}, {"number": "0"}, {"date": "31/02/2018"}, {"date": "01/01/2010"}])
def test_bad_number_or_date_is_a_clear_refusal(client, leader, data):
    client.force_login(leader)
    response = client.post(APPROVE, {**REVIEW, **data})
    assert response.status_code == 400
    assert not FrozenReport.objects.exists()


def test_staff_cannot_approve_and_leaders_cannot_write(client, district_officer, leader, body):
    client.force_login(district_officer)
    assert client.post(APPROVE, REVIEW).status_code == 403
    client.force_login(leader)
    response, _recipients = _write(client, body)
    assert response.status_code == 403
    assert not ReportDraft.objects.exists() and not FrozenReport.objects.exists()


def test_a_draft_can_start_from_the_previous_reports_text(client, district_officer, leader, body):
    client.force_login(district_officer)
    client.post(
        DRAFT, {"from": "2014-02-14", "to": "2016-12-31", "section_lessons": "Bài học năm 2016.", "signer_name": "A"}
    )
    client.force_login(leader)
    client.post(APPROVE, {"from": "2014-02-14", "to": "2016-12-31"})
    client.force_login(district_officer)
    response = client.post(DRAFT, {"from": "2017-01-01", "to": "2018-10-24", "previous": "1"})
    assert response.status_code == 200
    assert "Bài học năm 2016." in response.text
