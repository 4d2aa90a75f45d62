"""A report is issued by the body in charge of its period and scope (issue 9), in HTML, PDF and XLSX alike."""

import datetime
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from apps.bodies.models import IssuingBody
from apps.communes.models import Commune
from apps.reports.models import FrozenReport
from tests.bodies.factories import DistrictCommitteeFactory
from tests.conftest import _staff_user
from tests.reports.conftest import PERIOD

SUMMARY = reverse("reports:summary")
REVIEW = {"from": "2014-02-14", "to": "2018-10-24"}
TAY_HOA_NOW = {"from": "2025-07-01", "to": "2026-10-31", "commune": "TAY_HOA_2025"}
ACROSS_THE_REFORM = {"from": "2024-01-01", "to": "2026-10-31"}

HUYEN_UY_2018 = [
    "ĐẢNG BỘ TỈNH PHÚ YÊN",
    "HUYỆN ỦY TÂY HÒA",
    "-BC/HU",
    "Tây Hòa, ngày 24 tháng 10 năm 2018",
    "Thực hiện Kế hoạch số 68-KH/HU ngày 14/02/2014 của Huyện ủy Tây Hòa",
    "T/M BAN THƯỜNG VỤ",
    "Trần Hữu Phước",
    "- Thường trực Tỉnh ủy (b/c),",
    "- Lưu Văn phòng Huyện ủy.",
]
# Nothing of what came after 2018 in a 2018 document's letterhead, signature or recipients.
AFTER_2018 = ["ĐẮK LẮK", "Đắk Lắk", "ĐẢNG ỦY XÃ", "-BC/ĐU", "Nguyễn Minh Tuấn"]
DANG_UY_TAY_HOA = [
    "ĐẢNG BỘ TỈNH ĐẮK LẮK",
    "ĐẢNG ỦY XÃ TÂY HÒA",
    "-BC/ĐU",
    "Tây Hòa, ngày 31 tháng 10 năm 2026",
    "Thực hiện Kế hoạch số 05-KH/ĐU",
    "BÍ THƯ",
    "Nguyễn Minh Tuấn",
    "- Lưu Văn phòng Đảng ủy.",
]


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _pdf_text(content: bytes) -> str:
    return _squeeze(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages))


@pytest.fixture
def leader_client(client, leader):
    client.force_login(leader)
    return client


def test_the_2014_2018_review_reads_as_a_2018_document_of_the_huyen_uy(leader_client):
    page = _squeeze(leader_client.get(SUMMARY, REVIEW).text)
    pdf = _pdf_text(leader_client.get(SUMMARY, {**REVIEW, "format": "pdf"}).content)
    for text in (page, pdf):
        for phrase in HUYEN_UY_2018:
            assert phrase in text, phrase
        for later in AFTER_2018:
            assert later not in text, later
    # The sectors as the Huyện ủy named them.
    assert "Các nhóm cơ quan, đơn vị huyện" in page and "Đảng ủy các xã, thị trấn" in page


def test_the_2014_2018_review_workbook_opens_on_the_huyen_uys_letterhead(leader_client):
    book = load_workbook(io.BytesIO(leader_client.get(SUMMARY, {**REVIEW, "format": "xlsx"}).content))
    cover = [row[0] for row in book["Báo cáo"].iter_rows(values_only=True)]
    assert cover[:5] == [
        "ĐẢNG BỘ TỈNH PHÚ YÊN",
        "HUYỆN ỦY TÂY HÒA",
        "*",
        cover[3],
        "Tây Hòa, ngày 24 tháng 10 năm 2018",
    ]
    assert cover[3].endswith("-BC/HU")
    sectors = book.worksheets[1]
    assert [cell.value for cell in sectors[2]][1:3] == ["Các nhóm cơ quan, đơn vị huyện", "Đảng ủy các xã, thị trấn"]


def test_a_report_on_xa_tay_hoa_after_the_reform_is_issued_by_its_party_committee(leader_client):
    response = leader_client.get(SUMMARY, TAY_HOA_NOW)
    assert response.status_code == 200
    page = _squeeze(response.text)
    pdf = _pdf_text(leader_client.get(SUMMARY, {**TAY_HOA_NOW, "format": "pdf"}).content)
    for text in (page, pdf):
        for phrase in DANG_UY_TAY_HOA:
            assert phrase in text, phrase
        assert "HUYỆN ỦY" not in text and "PHÚ YÊN" not in text and "-BC/HU" not in text
    book = load_workbook(io.BytesIO(leader_client.get(SUMMARY, {**TAY_HOA_NOW, "format": "xlsx"}).content))
    assert [row[0] for row in book["Báo cáo"].iter_rows(values_only=True)][:2] == [
        "ĐẢNG BỘ TỈNH ĐẮK LẮK",
        "ĐẢNG ỦY XÃ TÂY HÒA",
    ]


@pytest.mark.parametrize("fmt", ["html", "pdf", "xlsx"])
def test_a_district_wide_report_across_the_reform_says_so_and_links_to_reports_that_can_be_issued(leader_client, fmt):
    response = leader_client.get(SUMMARY, {**ACROSS_THE_REFORM, "format": fmt})

    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    text = _squeeze(response.text)
    assert "Huyện ủy Tây Hòa (14/02/2014 – 30/06/2025)" in text
    assert "Hoặc chọn một xã" in text
    links = [link.replace("&amp;", "&") for link in re.findall(r'href="(/reports/summary/\?[^"]+)"', response.text)]
    queries = [{k: v[0] for k, v in parse_qs(urlsplit(link).query).items()} for link in links]
    # The Huyện ủy's part of the period, then each new commune for the months after the reform.
    assert {"from": "2024-01-01", "to": "2025-06-30"} in [{"from": q["from"], "to": q["to"]} for q in queries]
    assert {q.get("commune") for q in queries} >= {"TAY_HOA_2025", "HOA_THINH_2025", "HOA_MY_2025", "SON_THANH_2025"}
    assert all(q.get("format", "html") == fmt for q in queries)
    if fmt == "html":
        for link in links:
            assert leader_client.get(link).status_code == 200, link


@pytest.fixture
def tay_hoa_leader(db):
    """A leader of one area: the party committee of xã Tây Hòa."""
    return _staff_user("lanh_dao_tay_hoa", "leadership", commune=Commune.objects.get(code="TAY_HOA_2025"))


def test_the_leader_of_one_commune_reads_that_communes_report_by_default(client, tay_hoa_leader):
    client.force_login(tay_hoa_leader)
    response = client.get(SUMMARY)
    assert response.status_code == 200
    assert response.context["params"].commune.code == "TAY_HOA_2025"
    assert "ĐẢNG ỦY XÃ TÂY HÒA" in response.text


def test_the_leader_of_one_commune_reads_the_communes_merged_into_it(client, tay_hoa_leader):
    client.force_login(tay_hoa_leader)
    response = client.get(SUMMARY, {"from": "2019-01-01", "to": "2019-12-31", "commune": "HOA_BINH_1"})
    assert response.status_code == 200


@pytest.mark.parametrize("fmt", ["html", "pdf", "xlsx"])
def test_the_leader_of_one_commune_cannot_print_another_communes_report(client, tay_hoa_leader, fmt):
    client.force_login(tay_hoa_leader)
    response = client.get(SUMMARY, {"from": "2025-07-01", "to": "2026-10-31", "commune": "HOA_MY_2025", "format": fmt})
    assert response.status_code == 403
    assert "xã Tây Hòa" in response.text
    assert "ĐẢNG ỦY XÃ HÒA MỸ" not in response.text


def test_the_leader_of_one_commune_does_not_see_the_district_wide_monitoring(client, tay_hoa_leader):
    client.force_login(tay_hoa_leader)
    assert client.get(reverse("reports:monitoring")).status_code == 403


def test_a_leader_without_a_commune_and_district_staff_read_every_communes_report(client, leader, district_officer):
    for person in (leader, district_officer):
        client.force_login(person)
        for code in ("TAY_HOA_2025", "HOA_MY_2025"):
            response = client.get(SUMMARY, {"from": "2025-07-01", "to": "2026-10-31", "commune": code})
            assert response.status_code == 200


def test_a_frozen_report_keeps_the_letterhead_it_was_approved_with(client, district_officer, small_programme):
    small_programme.add_donations(2)
    query = {"from": PERIOD[0].isoformat(), "to": PERIOD[1].isoformat(), "group": small_programme.group.code}
    client.force_login(district_officer)
    client.post(reverse("reports:freeze"), query)
    frozen = FrozenReport.objects.get(start=PERIOD[0], end=PERIOD[1], group=small_programme.group)
    assert frozen.issuer.code == "TEST_ISSUER"

    # Later the records say another body was in charge of 2008: the approved report still reads as it did.
    IssuingBody.objects.filter(code="TEST_ISSUER").update(end=datetime.date(2007, 12, 31))
    DistrictCommitteeFactory(
        code="TEST_LATER", name="Huyện ủy Khác", start=datetime.date(2008, 1, 1), end=datetime.date(2013, 12, 31)
    )
    response = client.get(SUMMARY, query)
    assert response.status_code == 200
    assert "HUYỆN ỦY THỬ" in response.text and "HUYỆN ỦY KHÁC" not in response.text
