"""Versions of an approved report (issue 12): approving a period again makes version 2, every version stays
readable, and each later version shows what changed, figures and text word by word; a change of a donation
in the period shows on the approved report (the issue's "Done when"), on the demo's 2014–2018 review."""

import datetime
import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from apps.bodies.selectors import issuer_for
from apps.donations.models import Donation
from apps.reports.freezing import text_differences, word_diff
from apps.reports.models import FrozenReport

REVIEW = {"from": "2014-02-14", "to": "2018-10-24"}
START, END = datetime.date(2014, 2, 14), datetime.date(2018, 10, 24)
SUMMARY = reverse("reports:summary")
DRAFT = reverse("reports:draft")
APPROVE = reverse("reports:approve")
FIRST_LESSON = "Phân công cụ thể, kiểm tra thường xuyên."
SECOND_LESSON = "Phân công cụ thể, kiểm tra hằng tháng.\nBiểu dương kịp thời."


@pytest.fixture
def body(db):
    return issuer_for(start=START, end=END, commune=None).body


def _pdf_text(content: bytes) -> str:
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages))


def _page_text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def _write(client, lessons: str):
    return client.post(
        DRAFT, {**REVIEW, "section_leadership": "Ban Thường vụ phân công các nhóm.", "section_lessons": lessons}
    )


def test_approve_change_a_donation_then_version_two_shows_version_one_against_it(
    client, district_officer, leader, body
):
    client.force_login(district_officer)
    _write(client, FIRST_LESSON)
    client.force_login(leader)
    client.post(APPROVE, {**REVIEW, "date": "24/10/2018"})

    # A donation of the period changes after approval: the approved report keeps its figures and shows the change.
    donation = Donation.objects.filter(date__range=(START, END), kind=Donation.Kind.MONEY).earliest("date", "pk")
    donation.amount_vnd += 1_000_000
    donation.save()
    page = client.get(SUMMARY, REVIEW)
    text = _page_text(page)
    assert re.search(r"Tổng cộng Tiền \(đồng\) [\d.]+ [\d.]+ \+1\.000\.000", text), text[:3000]
    approved_money = FrozenReport.objects.get(version=1).figures["total"]["money_vnd"]
    assert page.context["figures"]["total"]["money_vnd"] == approved_money  # the document keeps what was approved

    # Staff rewrite a section for the next version: the approved version's page shows the words that changed.
    client.force_login(district_officer)
    form = _page_text(client.get(DRAFT, REVIEW))
    assert "Phiên bản 1 của báo cáo này đã được duyệt và giữ nguyên nội dung." in form
    assert "Nội dung lưu ở đây là của phiên bản 2" in form
    assert _write(client, SECOND_LESSON).status_code == 302
    client.force_login(leader)
    html = client.get(SUMMARY, REVIEW).content.decode()
    assert re.search(r"<del[^>]*>thường xuyên\.</del> <ins[^>]*>hằng tháng\.<br>Biểu dương kịp thời\.</ins>", html)
    assert "Duyệt thành phiên bản 2" in html

    response = client.post(APPROVE, {**REVIEW, "date": "01/11/2018"}, follow=True)
    assert "Phiên bản 2 của báo cáo đã được duyệt với số 2-BC/" in _page_text(response)
    first, second = FrozenReport.objects.order_by("version")
    assert (first.version, first.number, first.sections["lessons"]) == (1, 1, FIRST_LESSON)
    assert (second.version, second.number, second.issued_on) == (2, 2, datetime.date(2018, 11, 1))
    assert second.figures["total"]["money_vnd"] == approved_money + 1_000_000

    # Version 2 (the report's page now) shows version 1's figures and text against its own.
    page = client.get(SUMMARY, REVIEW)
    text, html = _page_text(page), page.content.decode()
    assert "Phiên bản 2 thay đổi so với phiên bản 1" in text
    assert f"(Thay thế Báo cáo số 1-BC/{body.symbol} ngày 24/10/2018)" in text
    assert re.search(r"Tổng cộng Tiền \(đồng\) [\d.]+ [\d.]+ \+1\.000\.000", text.split("Phiên bản 2 thay đổi")[1])
    assert re.search(r"<del[^>]*>thường xuyên\.</del> <ins[^>]*>hằng tháng\.<br>Biểu dương kịp thời\.</ins>", html)
    assert "Chữ gạch ngang là phần bỏ đi, chữ gạch dưới là phần thêm vào." in text
    assert "Các số liệu giống nhau ở hai phiên bản." not in text and "Nội dung giống nhau ở hai phiên bản." not in text

    # Version 1 stays readable as it was approved, with a link to it from version 2.
    assert "version=1" in html
    old = client.get(SUMMARY, {**REVIEW, "version": "1"})
    assert old.context["figures"]["total"]["money_vnd"] == approved_money
    assert FIRST_LESSON in _page_text(old) and "Thay thế Báo cáo" not in _page_text(old)
    assert not old.context["can_approve"]  # only the latest version can be followed by another

    # The PDF of version 2 is the document alone: its number, what it replaces, its text; no comparison.
    pdf = _pdf_text(client.get(SUMMARY, {**REVIEW, "format": "pdf"}).content)
    assert f"Số 2-BC/{body.symbol}" in pdf and f"Thay thế Báo cáo số 1-BC/{body.symbol} ngày 24/10/2018" in pdf
    assert "Biểu dương kịp thời." in pdf and "thay đổi so với" not in pdf
    pdf_v1 = _pdf_text(client.get(SUMMARY, {**REVIEW, "format": "pdf", "version": "1"}).content)
    assert f"Số 1-BC/{body.symbol}" in pdf_v1 and FIRST_LESSON in pdf_v1 and "Thay thế" not in pdf_v1


def test_a_new_version_dated_before_the_one_it_replaces_is_refused_and_nothing_is_approved(client, leader, body):
    client.force_login(leader)
    client.post(APPROVE, {**REVIEW, "date": "24/10/2018"})

    response = client.post(APPROVE, {**REVIEW, "date": "20/10/2018"}, follow=True)

    assert FrozenReport.objects.count() == 1
    assert "không thể ghi ngày trước phiên bản mà nó thay thế (24/10/2018)" in _page_text(response)


def test_approving_again_when_nothing_changed_makes_no_new_version(client, district_officer, leader, body):
    client.force_login(district_officer)
    _write(client, FIRST_LESSON)
    client.force_login(leader)
    client.post(APPROVE, {**REVIEW, "date": "24/10/2018"})
    assert "Duyệt thành phiên bản 2" not in client.get(SUMMARY, REVIEW).content.decode()

    response = client.post(APPROVE, {**REVIEW, "date": "25/10/2018"}, follow=True)

    assert FrozenReport.objects.count() == 1
    assert "Không có gì thay đổi từ khi phiên bản 1 được duyệt" in _page_text(response)


@pytest.mark.parametrize("version", ["3", "abc", "0"])
def test_an_unknown_or_bad_version_is_a_clear_refusal(client, leader, body, version):
    client.force_login(leader)
    client.post(APPROVE, {**REVIEW, "date": "24/10/2018"})

    response = client.get(SUMMARY, {**REVIEW, "version": version})

    assert response.status_code == 400
    assert "phiên bản" in _page_text(response).lower()


def test_the_word_diff_marks_removed_and_added_words_and_keeps_paragraphs():
    runs = word_diff("Kiểm tra thường xuyên.\nBiểu dương.", "Kiểm tra hằng tháng.\nBiểu dương.")

    assert runs == [
        {"kind": "same", "text": "Kiểm tra"},
        {"kind": "deleted", "text": "thường xuyên."},
        {"kind": "inserted", "text": "hằng tháng."},
        {"kind": "same", "text": "\nBiểu dương."},
    ]


def test_only_sections_whose_words_differ_are_compared():
    old = {"lessons": "Một  hai\n\nba", "causes": "Cũ"}
    new = {"lessons": "Một hai\nba", "causes": "Mới", "directions": ""}

    changed = text_differences(old, new)

    assert [(c["key"], c["heading"]) for c in changed] == [("causes", "Nguyên nhân")]


def test_a_version_approved_before_the_pledges_were_summed_is_not_offered_again_unchanged(client, leader, body):
    """Reports approved before the report summed its pledges stored only the list of every pledge (without the day
    each began): nothing they show has changed, so no new version is offered nor made; a changed figure still is."""
    client.force_login(leader)
    client.post(APPROVE, {**REVIEW, "date": "24/10/2018"})
    report = FrozenReport.objects.get()
    old = {key: value for key, value in report.figures.items() if key != "pledge_counts"}
    old["pledge_list"] = [{k: v for k, v in row.items() if k != "began"} for row in old["pledge_list"]]
    FrozenReport.objects.filter(pk=report.pk).update(figures=old)

    assert "Duyệt thành phiên bản 2" not in client.get(SUMMARY, REVIEW).content.decode()
    client.post(APPROVE, {**REVIEW, "date": "25/10/2018"})
    assert FrozenReport.objects.count() == 1

    Donation.objects.filter(date__range=(START, END), kind=Donation.Kind.MONEY).order_by("pk").first().delete()
    assert "Duyệt thành phiên bản 2" in client.get(SUMMARY, REVIEW).content.decode()
