"""Factories for issuing bodies. Codes start with T so they never clash with the reference bodies."""

import datetime

import factory
from factory.django import DjangoModelFactory

from apps.bodies.models import IssuingBody


class IssuingBodyFactory(DjangoModelFactory):
    """A commune party committee from the 2025 reform, covering the communes passed as ``communes=[…]``."""

    class Meta:
        model = IssuingBody
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"TCQ{n:04d}")
    name = factory.Sequence(lambda n: f"Đảng ủy xã Thử {n}")
    superior_body = "Đảng bộ tỉnh Đắk Lắk"
    symbol = "ĐU"
    place_name = factory.Sequence(lambda n: f"Thử {n}")
    signer_name = "Nguyễn Văn Thử"
    recipients = "Ban Thường vụ Tỉnh ủy (b/c)\nCác chi bộ trực thuộc\nLưu Văn phòng Đảng ủy"
    plan_number = "05-KH/ĐU"
    plan_date = datetime.date(2025, 8, 15)
    plan_title = "Tiếp tục giúp đỡ hộ nghèo"
    start = datetime.date(2025, 7, 1)
    end = None

    @factory.post_generation
    def communes(self, create, extracted, **kwargs):
        if create and extracted:
            self.communes.set(extracted)


class DistrictCommitteeFactory(IssuingBodyFactory):
    """A district party committee of before the reform, over the whole installation."""

    name = "Huyện ủy Thử"
    superior_body = "Đảng bộ tỉnh Phú Yên"
    symbol = "HU"
    signer_role = "PHÓ BÍ THƯ"
    plan_number = "68-KH/HU"
    plan_date = datetime.date(2014, 2, 14)
    start = datetime.date(2014, 2, 14)
    end = datetime.date(2025, 6, 30)
    whole_installation = True
    district_units_label = "Các nhóm cơ quan, đơn vị huyện"
    commune_committees_label = "Đảng ủy các xã, thị trấn"
