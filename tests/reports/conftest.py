"""A small programme of our own, scoped by its own group and commune so the demo data never mixes in."""

import datetime
from dataclasses import dataclass

import pytest

from tests.bodies.factories import DistrictCommitteeFactory
from tests.factories import (
    CommuneCommitteeFactory,
    CommuneFactory,
    DonationFactory,
    GroupMembershipFactory,
    HouseholdFactory,
    UnitFactory,
    UnitGroupFactory,
    VillageFactory,
)

# Before the demo district's records begin, and in the past (a report looks at pledges as of its end).
PERIOD = (datetime.date(2008, 1, 1), datetime.date(2008, 12, 31))


@dataclass
class SmallProgramme:
    group: object
    units: list
    committee: object
    commune: object
    households: list

    def add_donations(self, count: int) -> None:
        """``count`` money donations of 100.000 đ, one per household-visit, across the group's units."""
        for n in range(count):
            DonationFactory(
                unit=self.units[n % len(self.units)],
                household=self.households[n % len(self.households)],
                date=PERIOD[0] + datetime.timedelta(days=n),
                amount_vnd=100_000,
            )


@pytest.fixture
def small_programme(db) -> SmallProgramme:
    # Years before the demo district's Huyện ủy took office: a body of our own issues these reports.
    DistrictCommitteeFactory(
        code="TEST_ISSUER",
        name="Huyện ủy Thử",
        superior_body="Đảng bộ tỉnh Thử",
        place_name="Nơi Thử",
        signer_name="Người Ký Thử",
        start=datetime.date(2007, 1, 1),
        end=datetime.date(2013, 12, 31),
    )
    group = UnitGroupFactory(name="Nhóm thử báo cáo")
    units = [UnitFactory(name=f"Đơn vị báo cáo {n}") for n in range(2)]
    for unit in units:
        GroupMembershipFactory(unit=unit, group=group, start=datetime.date(2007, 1, 1))
    commune = CommuneFactory(name="Xã Báo Cáo")
    village = VillageFactory(commune=commune)
    households = [HouseholdFactory(village=village) for _ in range(3)]
    committee = CommuneCommitteeFactory(name="Đảng ủy xã Báo Cáo", commune=commune)
    return SmallProgramme(group=group, units=units, committee=committee, commune=commune, households=households)
