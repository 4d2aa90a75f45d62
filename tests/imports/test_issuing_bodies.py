"""Importing issuing bodies: through the same service as the admin, all or nothing, every bad row reported."""

import datetime

import pytest

from apps.bodies.models import IssuingBody
from tests.factories import CommuneFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def communes():
    """Communes no body covers yet (the demo's four new communes have their party committees)."""
    return [CommuneFactory(code=f"TIMP_XA_{n}") for n in range(1, 4)]


HEADER = [
    "code",
    "name",
    "superior_body",
    "symbol",
    "place_name",
    "signer_title",
    "signer_role",
    "signer_name",
    "recipients",
    "plan_number",
    "plan_date",
    "plan_title",
    "start",
    "end",
    "whole_installation",
    "commune_codes",
    "commune_committees_label",
]


def body_row(code: str, **cells) -> list[object]:
    values = {
        "code": code,
        "name": f"Đảng ủy {code}",
        "superior_body": "Đảng bộ tỉnh Đắk Lắk",
        "symbol": "ĐU",
        "place_name": "Thử",
        "signer_title": "T/M BAN THƯỜNG VỤ",
        "signer_role": "BÍ THƯ",
        "signer_name": "Nguyễn Văn Thử",
        "recipients": "Ban Thường vụ Tỉnh ủy (b/c); Lưu Văn phòng Đảng ủy",
        "plan_number": "01-KH/ĐU",
        "plan_date": "15/08/2030",
        "plan_title": "Giúp đỡ hộ nghèo",
        "start": "01/07/2030",
        "end": "",
        "whole_installation": "0",
        "commune_codes": "",
        "commune_committees_label": "Đảng ủy các xã, phường",
        **cells,
    }
    return [values[key] for key in HEADER]


GOOD = [
    HEADER,
    body_row("TIMP_DU_1", commune_codes="TIMP_XA_1"),
    body_row("TIMP_DU_2", commune_codes="TIMP_XA_2, TIMP_XA_3"),
    body_row("TIMP_TU", name="Tỉnh ủy Thử", superior_body="", symbol="TU", start="01/01/2031", whole_installation="1"),
]


def test_a_good_file_creates_the_bodies_with_their_areas_and_again_changes_nothing(run_import):
    outcome = run_import("issuing_bodies", GOOD)
    assert outcome.code == 0, outcome.err
    body = IssuingBody.objects.get(code="TIMP_DU_2")
    assert sorted(body.communes.values_list("code", flat=True)) == ["TIMP_XA_2", "TIMP_XA_3"]
    assert body.recipient_lines == ["Ban Thường vụ Tỉnh ủy (b/c)", "Lưu Văn phòng Đảng ủy"]
    assert body.start == datetime.date(2030, 7, 1) and body.end is None
    assert body.commune_committees_label == "Đảng ủy các xã, phường"
    assert IssuingBody.objects.get(code="TIMP_TU").whole_installation

    again = run_import("issuing_bodies", GOOD)
    assert again.code == 0
    assert "0 created, 0 updated, 3 unchanged" in again.out, again.out


def test_a_bad_file_writes_nothing_and_reports_every_bad_row(run_import):
    bad = [
        HEADER,
        body_row("TIMP_OK", commune_codes="TIMP_XA_1"),
        body_row("TIMP_UNKNOWN", commune_codes="NO_SUCH_COMMUNE"),
        # The Huyện ủy Tây Hòa covers the whole installation until 30/06/2025.
        body_row("TIMP_OVERLAP", start="01/01/2020", end="31/12/2020", whole_installation="1"),
        body_row("TIMP_BACKWARDS", start="01/07/2030", end="30/06/2030", commune_codes="TIMP_XA_2"),
        body_row("TIMP_NO_AREA"),
    ]
    outcome = run_import("issuing_bodies", bad)

    assert outcome.code == 1
    assert not IssuingBody.objects.filter(code__startswith="TIMP").exists()
    lines = outcome.lines
    assert any(line.startswith("row 3, column commune_codes") and "NO_SUCH_COMMUNE" in line for line in lines), lines
    assert any(line.startswith("row 4,") and "whole installation" in line for line in lines), lines
    assert any(line.startswith("row 5, column end") for line in lines), lines
    assert any(line.startswith("row 6, column commune_codes") and "whole installation" in line for line in lines), lines
    assert not any(line.startswith("row 2,") for line in lines)


def test_a_commune_already_covered_by_another_body_is_a_row_error(run_import):
    # xã Tây Hòa's party committee covers it from 01/07/2025, open-ended.
    outcome = run_import(
        "issuing_bodies", [HEADER, body_row("TIMP_CLASH", commune_codes="TAY_HOA_2025", start="01/01/2026")]
    )
    assert outcome.code == 1
    assert "already has an issuing body" in outcome.err
