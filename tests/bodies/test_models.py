"""Rules of an issuing body: its term, its area, its audit trail, how it reads."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation

from apps.bodies.models import (
    AREA_BOTH,
    AREA_MISSING,
    WHOLE_INSTALLATION_TAKEN,
    IssuingBody,
    IssuingBodyCommuneEvent,
    IssuingBodyEvent,
)
from apps.bodies.services import save_issuing_body
from apps.core.models import PERIOD_ENDS_BEFORE_START
from tests.bodies.factories import DistrictCommitteeFactory, IssuingBodyFactory
from tests.factories import CommuneFactory

pytestmark = pytest.mark.django_db


def messages(error: ValidationError, field: str) -> list[str]:
    with translation.override("vi"):
        return [str(message) for message in error.message_dict[field]]


def vietnamese(text) -> str:
    with translation.override("vi"):
        return str(text)


def unsaved_body(**fields) -> IssuingBody:
    return IssuingBodyFactory.build(**fields)


def test_a_term_ending_before_it_starts_is_refused_with_a_message():
    body = unsaved_body(start=datetime.date(2025, 7, 1), end=datetime.date(2025, 6, 30))

    with pytest.raises(ValidationError) as error:
        body.full_clean()

    assert messages(error.value, "end") == [vietnamese(PERIOD_ENDS_BEFORE_START)]


def test_the_database_refuses_a_term_ending_before_it_starts_by_name():
    with pytest.raises(IntegrityError, match="bodies_issuingbody_ends_after_start"), transaction.atomic():
        IssuingBodyFactory(start=datetime.date(2025, 7, 1), end=datetime.date(2025, 6, 30))


def test_two_bodies_cannot_cover_the_whole_installation_on_the_same_day():
    DistrictCommitteeFactory()
    province = unsaved_body(whole_installation=True, start=datetime.date(2025, 6, 1))

    with pytest.raises(ValidationError) as error:
        province.full_clean()

    assert vietnamese(WHOLE_INSTALLATION_TAKEN) in messages(error.value, "__all__")
    with pytest.raises(IntegrityError, match="bodies_one_whole_installation_body_at_a_time"), transaction.atomic():
        province.save()


def test_a_whole_installation_body_may_follow_another_on_the_next_day():
    DistrictCommitteeFactory()
    province = unsaved_body(whole_installation=True, start=datetime.date(2025, 7, 1))

    province.full_clean()


def test_a_body_covers_the_whole_installation_or_communes_but_not_both():
    body = unsaved_body(whole_installation=True)

    with pytest.raises(ValidationError) as error:
        body.clean_area([CommuneFactory()])

    assert messages(error.value, "communes") == [vietnamese(AREA_BOTH)]


def test_a_body_must_cover_something():
    with pytest.raises(ValidationError) as error:
        unsaved_body(whole_installation=False).clean_area([])

    assert messages(error.value, "communes") == [vietnamese(AREA_MISSING)]


def test_a_commune_cannot_have_two_bodies_on_the_same_day():
    commune = CommuneFactory(name="Tây Hòa Thử")
    IssuingBodyFactory(name="Đảng ủy xã Tây Hòa", communes=[commune])
    second = unsaved_body(start=datetime.date(2026, 1, 1))

    with pytest.raises(ValidationError) as error:
        second.clean_area([commune, CommuneFactory()])

    assert messages(error.value, "communes") == [
        "Xã Tây Hòa Thử đã có cơ quan ban hành trong giai đoạn này: Đảng ủy xã Tây Hòa (01/07/2025 – …)."
    ]


def test_a_commune_may_change_body_from_one_day_to_the_next():
    commune = CommuneFactory()
    IssuingBodyFactory(communes=[commune], end=datetime.date(2025, 12, 31))

    unsaved_body(start=datetime.date(2026, 1, 1)).clean_area([commune])


def test_the_service_saves_a_body_with_its_communes():
    commune = CommuneFactory()

    body = save_issuing_body(unsaved_body(), communes=[commune])

    assert list(IssuingBody.objects.get(pk=body.pk).communes.all()) == [commune]


def test_the_service_writes_nothing_when_the_area_is_wrong():
    with pytest.raises(ValidationError):
        save_issuing_body(unsaved_body(code="TCQ-SAI"), communes=[])

    assert not IssuingBody.objects.filter(code="TCQ-SAI").exists()


def test_a_body_reads_as_its_name_and_term_so_namesakes_are_told_apart():
    old = IssuingBodyFactory.build(
        name="Đảng ủy xã Hòa Thịnh", start=datetime.date(2014, 2, 14), end=datetime.date(2025, 6, 30)
    )
    new = IssuingBodyFactory.build(name="Đảng ủy xã Hòa Thịnh", start=datetime.date(2025, 7, 1))

    assert str(old) == "Đảng ủy xã Hòa Thịnh (14/02/2014 – 30/06/2025)"
    assert str(new) == "Đảng ủy xã Hòa Thịnh (01/07/2025 – …)"


def test_the_heading_prints_names_in_capitals_and_the_recipients_one_per_item():
    body = IssuingBodyFactory.build(
        name="Đảng ủy xã Tây Hòa",
        superior_body="Đảng bộ tỉnh Đắk Lắk",
        recipients="- Ban Thường vụ Tỉnh ủy (b/c),\n\n  Các chi bộ trực thuộc;\nLưu Văn phòng Đảng ủy.",
    )

    assert (body.heading_superior_body, body.heading_name) == ("ĐẢNG BỘ TỈNH ĐẮK LẮK", "ĐẢNG ỦY XÃ TÂY HÒA")
    assert body.recipient_lines == ["Ban Thường vụ Tỉnh ủy (b/c)", "Các chi bộ trực thuộc", "Lưu Văn phòng Đảng ủy"]


def test_changes_to_a_body_and_its_area_are_recorded_in_the_history():
    body = save_issuing_body(unsaved_body(), communes=[CommuneFactory()])
    body.signer_name = "Lê Văn Mới"
    save_issuing_body(body, communes=[CommuneFactory()])

    assert list(
        IssuingBodyEvent.objects.filter(pgh_obj=body).order_by("pgh_id").values_list("pgh_label", "signer_name")
    ) == [("insert", "Nguyễn Văn Thử"), ("update", "Lê Văn Mới")]
    assert sorted(IssuingBodyCommuneEvent.objects.filter(issuingbody=body).values_list("pgh_label", flat=True)) == [
        "delete",
        "insert",
        "insert",
    ]
