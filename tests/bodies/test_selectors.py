"""Which body issues a report on a period and scope (issue 9, "issuing bodies over time")."""

import datetime

import pytest
from django.utils import translation

from apps.bodies.selectors import issuer_for, sector_labels_for
from tests.bodies.factories import IssuingBodyFactory
from tests.factories import CommuneFactory

pytestmark = pytest.mark.django_db

REVIEW = {"start": datetime.date(2014, 2, 14), "end": datetime.date(2018, 10, 24)}
AFTER_THE_REFORM = {"start": datetime.date(2025, 7, 1), "end": datetime.date(2026, 10, 31)}
ACROSS_THE_REFORM = {"start": datetime.date(2024, 1, 1), "end": datetime.date(2026, 10, 31)}


def in_vietnamese(issuer) -> str:
    with translation.override("vi"):
        return issuer.message


def test_the_2014_2018_review_is_issued_by_the_district_party_committee(reform):
    issuer = issuer_for(**REVIEW)

    assert issuer.body == reform.district
    assert issuer.message == ""


def test_a_report_on_an_old_commune_before_the_merger_is_issued_by_the_district_party_committee(reform):
    assert issuer_for(**REVIEW, commune=reform.old_phu_thu).body == reform.district


def test_a_report_on_a_new_commune_after_the_reform_is_issued_by_its_own_party_committee(reform):
    issuer = issuer_for(**AFTER_THE_REFORM, commune=reform.new_tay_hoa)

    assert issuer.body == reform.tay_hoa
    assert issuer_for(**AFTER_THE_REFORM, commune=reform.new_son_thanh).body == reform.son_thanh


def test_a_report_on_an_old_commune_after_the_merger_is_issued_by_the_committee_of_the_commune_it_joined(reform):
    assert issuer_for(**AFTER_THE_REFORM, commune=reform.old_hoa_binh).body == reform.tay_hoa


def test_a_report_on_a_new_commune_across_the_reform_is_split_between_the_two_bodies(reform):
    issuer = issuer_for(**ACROSS_THE_REFORM, commune=reform.new_tay_hoa)

    assert issuer.body is None
    assert [(part.body, part.start, part.end) for part in issuer.parts] == [
        (reform.district, datetime.date(2024, 1, 1), datetime.date(2025, 6, 30)),
        (reform.tay_hoa, datetime.date(2025, 7, 1), datetime.date(2026, 10, 31)),
    ]
    assert issuer.uncovered == []
    assert issuer.parts[1].dates_query() == {"from": "2025-07-01", "to": "2026-10-31"}
    assert in_vietnamese(issuer) == (
        "Giai đoạn này thuộc hai cơ quan ban hành: Huyện ủy Tây Hòa (14/02/2014 – 30/06/2025), "
        "Đảng ủy xã Tây Hòa (01/07/2025 – …). Hãy chia báo cáo theo từng giai đoạn."
    )


def test_a_whole_area_report_after_the_reform_has_no_issuer_when_only_communes_have_bodies(reform):
    issuer = issuer_for(**AFTER_THE_REFORM)

    assert issuer.body is None
    assert issuer.parts == []
    assert [(gap.start, gap.end) for gap in issuer.uncovered] == [(AFTER_THE_REFORM["start"], AFTER_THE_REFORM["end"])]
    assert in_vietnamese(issuer) == (
        "Không có cơ quan ban hành nào báo cáo về toàn địa bàn trong giai đoạn 01/07/2025 – 31/10/2026. "
        "Hãy chọn một xã, hoặc thêm cơ quan ban hành phụ trách toàn địa bàn trong trang quản trị."
    )


def test_a_commune_without_a_body_after_the_reform_is_named_in_the_message(reform):
    orphan = CommuneFactory(name="Hòa Mỹ Thử")

    issuer = issuer_for(**AFTER_THE_REFORM, commune=orphan)

    assert issuer.body is None
    assert "báo cáo về xã Hòa Mỹ Thử trong giai đoạn 01/07/2025 – 31/10/2026" in in_vietnamese(issuer)


def test_days_before_the_first_body_are_reported_as_uncovered(reform):
    issuer = issuer_for(start=datetime.date(2013, 1, 1), end=datetime.date(2018, 10, 24))

    assert issuer.body is None
    assert [(part.body, part.start) for part in issuer.parts] == [(reform.district, datetime.date(2014, 2, 14))]
    assert [(gap.start, gap.end) for gap in issuer.uncovered] == [
        (datetime.date(2013, 1, 1), datetime.date(2014, 2, 13))
    ]
    assert in_vietnamese(issuer) == (
        "Chỉ một phần giai đoạn này thuộc Huyện ủy Tây Hòa (14/02/2014 – 30/06/2025). "
        "Không có cơ quan ban hành nào báo cáo về toàn địa bàn trong giai đoạn 01/01/2013 – 13/02/2014. "
        "Hãy chia báo cáo theo từng giai đoạn."
    )


def test_a_commune_body_wins_over_a_province_body_for_its_own_commune(reform):
    province = IssuingBodyFactory(
        name="Tỉnh ủy Đắk Lắk", superior_body="", symbol="TU", whole_installation=True, start=datetime.date(2025, 7, 1)
    )
    elsewhere = CommuneFactory(name="Ea Thử")

    assert issuer_for(**AFTER_THE_REFORM, commune=reform.new_tay_hoa).body == reform.tay_hoa
    assert issuer_for(**AFTER_THE_REFORM, commune=elsewhere).body == province
    assert issuer_for(**AFTER_THE_REFORM).body == province


def test_a_body_naming_the_commune_itself_wins_over_the_body_of_the_commune_it_joined(reform):
    # An old commune whose own committee carried on after the merger, for a while.
    own = IssuingBodyFactory(name="Đảng ủy Hòa Bình 1 (chuyển tiếp)", communes=[reform.old_hoa_binh])

    assert issuer_for(**AFTER_THE_REFORM, commune=reform.old_hoa_binh).body == own
    assert issuer_for(**AFTER_THE_REFORM, commune=reform.new_tay_hoa).body == reform.tay_hoa


def test_an_ended_commune_body_hands_over_to_its_successor_on_the_next_day(reform):
    reform.tay_hoa.end = datetime.date(2025, 12, 31)
    reform.tay_hoa.save()
    successor = IssuingBodyFactory(
        name="Đảng ủy xã Tây Hòa (khóa mới)", start=datetime.date(2026, 1, 1), communes=[reform.new_tay_hoa]
    )

    issuer = issuer_for(**AFTER_THE_REFORM, commune=reform.new_tay_hoa)

    assert [(part.body, part.start, part.end) for part in issuer.segments] == [
        (reform.tay_hoa, datetime.date(2025, 7, 1), datetime.date(2025, 12, 31)),
        (successor, datetime.date(2026, 1, 1), datetime.date(2026, 10, 31)),
    ]


def test_a_period_ending_before_it_starts_is_refused():
    with pytest.raises(ValueError):
        issuer_for(start=datetime.date(2026, 1, 2), end=datetime.date(2026, 1, 1))


@pytest.mark.parametrize("with_commune", [False, True])
def test_choosing_the_issuer_takes_the_same_queries_with_few_or_many_bodies(
    reform, with_commune, django_assert_max_num_queries
):
    def add_bodies(count: int) -> None:
        for _ in range(count):
            IssuingBodyFactory(communes=[CommuneFactory()])
        # Short successive terms of the merged commune's own body: many boundaries in the period.
        for month in range(1, count + 1):
            day = datetime.date(2025 + month // 12, month % 12 + 1, 1)
            IssuingBodyFactory(start=day, end=day + datetime.timedelta(days=20), communes=[reform.old_phu_thu])

    scope = {"commune": reform.old_phu_thu} if with_commune else {}
    add_bodies(3)
    with django_assert_max_num_queries(2):
        few = issuer_for(**ACROSS_THE_REFORM, **scope)
    add_bodies(30)
    with django_assert_max_num_queries(2):
        many = issuer_for(**ACROSS_THE_REFORM, **scope)

    if with_commune:
        assert len(many.segments) > len(few.segments)  # the terms were all taken into account
    else:
        assert many.segments == few.segments  # commune bodies never issue a whole-area report


def test_sector_labels_are_the_issuing_bodys_own(reform):
    with translation.override("vi"):
        district = sector_labels_for(body=reform.district)
        after = sector_labels_for(body=IssuingBodyFactory(commune_committees_label="Đảng ủy các xã, phường"))

    assert district == {
        "district_units": "Các nhóm cơ quan, đơn vị huyện",
        "commune_committees": "Đảng ủy các xã, thị trấn",
        "other": "Các nhà hảo tâm khác",
    }
    assert after["commune_committees"] == "Đảng ủy các xã, phường"
    # Labels the body left empty fall back to neutral wording, with no "huyện" in it.
    assert after["district_units"] == "Các cơ quan, đơn vị"


def test_sector_labels_without_an_issuing_body_are_neutral():
    with translation.override("vi"):
        labels = sector_labels_for(body=None)

    assert labels == {
        "district_units": "Các cơ quan, đơn vị",
        "commune_committees": "Đảng ủy các xã",
        "other": "Các nhà hảo tâm khác",
    }
