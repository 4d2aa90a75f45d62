import datetime
from types import SimpleNamespace

import pytest

from apps.bodies.models import IssuingBody
from tests.bodies.factories import DistrictCommitteeFactory, IssuingBodyFactory
from tests.factories import CommuneFactory

MERGER_LAST_DAY = datetime.date(2025, 6, 30)


@pytest.fixture(autouse=True)
def _no_other_bodies(db):
    """Each test sees only the bodies it makes, whether or not the demo loaded the reference ones."""
    IssuingBody.objects.all().delete()


@pytest.fixture
def reform() -> SimpleNamespace:
    """The reference area in small: a district party committee to 30/06/2025, whose old communes then
    merge into new ones, each new commune with its own party committee from 01/07/2025."""
    new_tay_hoa = CommuneFactory(name="Tây Hòa Thử")
    new_son_thanh = CommuneFactory(name="Sơn Thành Thử")
    return SimpleNamespace(
        new_tay_hoa=new_tay_hoa,
        new_son_thanh=new_son_thanh,
        old_phu_thu=CommuneFactory(
            name="Phú Thứ Thử", kind="thi_tran", successor=new_tay_hoa, valid_to=MERGER_LAST_DAY
        ),
        old_hoa_binh=CommuneFactory(name="Hòa Bình 1 Thử", successor=new_tay_hoa, valid_to=MERGER_LAST_DAY),
        district=DistrictCommitteeFactory(name="Huyện ủy Tây Hòa"),
        tay_hoa=IssuingBodyFactory(name="Đảng ủy xã Tây Hòa", communes=[new_tay_hoa]),
        son_thanh=IssuingBodyFactory(name="Đảng ủy xã Sơn Thành", communes=[new_son_thanh]),
    )
