"""The reference area's issuing bodies (demo data) and the reports they issue."""

import datetime

import pytest

from apps.bodies.models import IssuingBody
from apps.bodies.reference import load_reference_bodies
from apps.bodies.selectors import issuer_for
from apps.communes.models import Commune

pytestmark = pytest.mark.django_db


def test_loading_the_reference_bodies_twice_creates_them_once_and_keeps_edits():
    assert load_reference_bodies() == 5
    IssuingBody.objects.filter(code="DU_TAY_HOA_2025").update(signer_name="Tên đã sửa")

    assert load_reference_bodies() == 0
    assert IssuingBody.objects.count() == 5
    assert IssuingBody.objects.get(code="DU_TAY_HOA_2025").signer_name == "Tên đã sửa"


def test_the_2014_2018_review_is_headed_by_the_huyen_uy_tay_hoa():
    load_reference_bodies()

    body = issuer_for(start=datetime.date(2014, 2, 14), end=datetime.date(2018, 10, 24)).body

    assert (body.heading_superior_body, body.heading_name, body.symbol) == (
        "ĐẢNG BỘ TỈNH PHÚ YÊN",
        "HUYỆN ỦY TÂY HÒA",
        "HU",
    )
    assert (body.plan_number, body.plan_date) == ("68-KH/HU", datetime.date(2014, 2, 14))


def test_a_report_on_xa_tay_hoa_after_the_reform_is_headed_by_its_party_committee_under_dak_lak():
    load_reference_bodies()

    body = issuer_for(
        start=datetime.date(2025, 7, 1),
        end=datetime.date(2026, 10, 31),
        commune=Commune.objects.get(code="TAY_HOA_2025"),
    ).body

    assert (body.heading_superior_body, body.heading_name, body.symbol, body.place_name) == (
        "ĐẢNG BỘ TỈNH ĐẮK LẮK",
        "ĐẢNG ỦY XÃ TÂY HÒA",
        "ĐU",
        "Tây Hòa",
    )
    assert (body.signer_title, body.signer_role) == ("T/M BAN THƯỜNG VỤ", "BÍ THƯ")
    assert body.signer_name
    assert body.commune_committees_label == "Đảng ủy các xã, phường"


def test_each_new_commune_has_its_own_party_committee_from_the_reform():
    load_reference_bodies()

    for code in ("TAY_HOA_2025", "HOA_THINH_2025", "HOA_MY_2025", "SON_THANH_2025"):
        commune = Commune.objects.get(code=code)
        body = issuer_for(start=datetime.date(2025, 7, 1), end=datetime.date(2025, 7, 1), commune=commune).body
        assert body.place_name == commune.name
        assert body.name == f"Đảng ủy xã {commune.name}"
