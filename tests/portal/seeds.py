"""Records for the portal's tests, created with the shared factories."""

import datetime

from apps.units.models import GroupMembership
from tests.factories import (
    AssignmentFactory,
    CommuneFactory,
    DonationFactory,
    GroupMembershipFactory,
    HouseholdFactory,
    StudentFactory,
    UnitGroupFactory,
    VillageFactory,
)

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0 Safari/537.36"


def seed_programme(size: int, *, commune=None) -> dict:
    """``size`` units in one group, each giving money, goods and a student's help in its own village."""
    commune = commune or CommuneFactory()
    group = UnitGroupFactory()
    AssignmentFactory(group=group, commune=commune, start=datetime.date(2018, 11, 1))
    units = []
    for index in range(size):
        membership = GroupMembershipFactory(group=group, start=datetime.date(2018, 11, 1))
        unit = membership.unit
        village = VillageFactory(commune=commune)
        household = HouseholdFactory(village=village)
        day = datetime.date(2019 + index % 5, 3, 1 + index % 20)
        DonationFactory(unit=unit, household=household, date=day, amount_vnd=1_000_000)
        DonationFactory(unit=unit, household=household, date=day, goods=True)
        DonationFactory(
            unit=unit, beneficiary_kind="student", household=None, student=StudentFactory(household=household), date=day
        )
        units.append(unit)
    assert GroupMembership.objects.filter(group=group).count() == size
    return {"commune": commune, "group": group, "units": units}
