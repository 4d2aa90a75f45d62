"""The issuing bodies' admin pages."""

import datetime

import pytest

from apps.bodies.models import AREA_BOTH, IssuingBody
from tests.admin_helpers import admin_url, assert_admin_pages_bounded, assert_form_error, search_results
from tests.bodies.factories import IssuingBodyFactory
from tests.factories import CommuneFactory

pytestmark = pytest.mark.django_db


def form_data(**changes) -> dict:
    data = {
        "code": "TCQ-MOI",
        "name": "Đảng ủy xã Hòa Mỹ Thử",
        "superior_body": "Đảng bộ tỉnh Đắk Lắk",
        "symbol": "ĐU",
        "place_name": "Hòa Mỹ",
        "signer_title": "T/M BAN THƯỜNG VỤ",
        "signer_role": "BÍ THƯ",
        "signer_name": "Phạm Văn Lộc",
        "recipients": "Ban Thường vụ Tỉnh ủy (b/c)\nLưu Văn phòng Đảng ủy",
        "plan_number": "04-KH/ĐU",
        "plan_date": "12/08/2025",
        "plan_title": "Tiếp tục giúp đỡ hộ nghèo",
        "start": "01/07/2025",
        "end": "",
        "district_units_label": "",
        "commune_committees_label": "",
        "other_label": "",
    }
    data.update(changes)
    return data


def test_issuing_body_pages_answer_with_queries_that_do_not_grow_with_bodies(
    admin_client, django_assert_max_num_queries
):
    def make(n):
        for _ in range(n):
            IssuingBodyFactory(communes=CommuneFactory.create_batch(2))
        return IssuingBodyFactory(communes=CommuneFactory.create_batch(n))

    assert_admin_pages_bounded(admin_client, django_assert_max_num_queries, IssuingBody, make, "TCQ")


def test_adding_a_commune_body_in_the_admin_saves_its_communes(admin_client):
    commune = CommuneFactory()

    response = admin_client.post(admin_url(IssuingBody, "add"), form_data(communes=[commune.pk]))

    assert response.status_code == 302, response.context["adminform"].form.errors
    body = IssuingBody.objects.get(code="TCQ-MOI")
    assert list(body.communes.all()) == [commune]
    assert body.start == datetime.date(2025, 7, 1)


def test_the_admin_refuses_a_body_covering_the_whole_installation_and_communes(admin_client):
    response = admin_client.post(
        admin_url(IssuingBody, "add"), form_data(whole_installation="on", communes=[CommuneFactory().pk])
    )

    assert_form_error(response, AREA_BOTH)
    assert not IssuingBody.objects.filter(code="TCQ-MOI").exists()


def test_the_admin_refuses_a_second_body_for_a_commune_on_the_same_days(admin_client):
    commune = CommuneFactory(name="Hòa Mỹ Thử")
    IssuingBodyFactory(name="Đảng ủy xã Hòa Mỹ", communes=[commune])

    response = admin_client.post(admin_url(IssuingBody, "add"), form_data(communes=[commune.pk]))

    assert_form_error(response, "Xã Hòa Mỹ Thử đã có cơ quan ban hành trong giai đoạn này")


def test_the_list_shows_the_term_and_area_and_finds_bodies_by_commune_without_diacritics(admin_client):
    body = IssuingBodyFactory(name="Đảng ủy xã Sơn Thành Thử", communes=[CommuneFactory(name="Sơn Thành Thử")])

    response = admin_client.get(admin_url(IssuingBody, "changelist"))

    content = response.content.decode()
    assert "01/07/2025 – …" in content
    assert "Xã Sơn Thành Thử" in content
    assert body in search_results(admin_client, IssuingBody, "son thanh thu")


def test_district_staff_manage_issuing_bodies_and_a_commune_focal_point_does_not(
    client, district_officer, commune_focal_point
):
    client.force_login(district_officer)
    assert client.get(admin_url(IssuingBody, "add")).status_code == 200

    client.force_login(commune_focal_point)
    assert client.get(admin_url(IssuingBody, "changelist")).status_code == 403
