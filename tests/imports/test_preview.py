"""The preview before confirming: the first rows as the file holds them and every error, in the open (issue 13)."""

import re

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from apps.donations.models import Donation
from tests.factories import HouseholdFactory, UnitFactory
from tests.imports.files import csv_bytes

pytestmark = pytest.mark.django_db

UPLOAD = "/staff/import/"
HEADER = ["Số chứng từ", "Ngày", "Mã đơn vị", "Hình thức", "Số tiền (đồng)", "Đối tượng được giúp", "Mã đối tượng"]


@pytest.fixture
def clerk(client):
    client.force_login(User.objects.create_superuser("preview_clerk", password="x"))


def rows(count, unit, household, *, bad=()):
    lines = [HEADER]
    for number in range(1, count + 1):
        amount = "1,5" if number in bad else f"{number}.000"
        lines.append([f"PV-{number:03d}", "10/05/2020", unit.code, "tiền", amount, "hộ", household.code])
    return lines


def upload(client, lines):
    return client.post(UPLOAD, {"kind": "donations", "file": SimpleUploadedFile("ung_ho.csv", csv_bytes(lines))})


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def test_the_preview_lists_the_first_20_rows_with_their_values_openly_before_the_confirm_button(client, clerk):
    unit, household = UnitFactory(), HouseholdFactory()

    response = upload(client, rows(30, unit, household))

    page = response.content.decode()
    assert "<details" not in page
    sample = page[page.index('class="import-sample"') : page.index("Xác nhận và nhập")]
    assert "PV-001" in sample and "PV-020" in sample and "PV-021" not in sample
    assert "Số chứng từ" in sample and "20.000" in sample and "10/05/2020" in sample and "tạo mới" in sample
    assert "20 dòng đầu trong 30 dòng" in text_of(sample)
    assert not Donation.objects.filter(reference__startswith="PV-").exists()


def test_every_error_is_listed_in_vietnamese_with_row_and_column_and_nothing_hides_them(client, clerk):
    unit, household = UnitFactory(), HouseholdFactory()
    bad = set(range(5, 31))  # 26 bad rows: more than the sample shows

    response = upload(client, rows(30, unit, household, bad=bad))

    page = response.content.decode()
    errors = page[page.index('class="problem-errors"') : page.index("</table>", page.index('class="problem-errors"'))]
    listed = re.findall(r'<td class="num">(\d+)</td>\s*<td>Số tiền \(đồng\)</td>', errors)
    assert sorted(int(row) for row in listed) == [number + 1 for number in sorted(bad)]  # row 1 is the header
    assert "Lỗi (26)" in text_of(errors)
    with translation.override("vi"):
        assert "đồng" in text_of(errors)  # the reason, in Vietnamese
    assert "Trang tính" not in errors  # one sheet: no empty sheet column
    assert "Xác nhận và nhập" not in page
    assert "<details" not in page
