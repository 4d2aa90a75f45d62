"""Shared factories. Codes are sequences prefixed with T so they never clash with the demo data."""

import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from apps.communes.models import Commune, Village
from apps.donations.models import Donation, Item, Repayment
from apps.households.models import Household, HouseholdStatus, Student, Target
from apps.pledges.models import Pledge
from apps.units.models import Assignment, GroupMembership, Member, Unit, UnitGroup


class CommuneFactory(DjangoModelFactory):
    class Meta:
        model = Commune

    code = factory.Sequence(lambda n: f"TXA{n:04d}")
    name = factory.Sequence(lambda n: f"Xã Thử {n}")
    kind = Commune.Kind.COMMUNE


class VillageFactory(DjangoModelFactory):
    class Meta:
        model = Village

    code = factory.Sequence(lambda n: f"TTH{n:05d}")
    commune = factory.SubFactory(CommuneFactory)
    name = factory.Sequence(lambda n: f"Thôn Thử {n}")
    kind = Village.Kind.VILLAGE


class UnitGroupFactory(DjangoModelFactory):
    class Meta:
        model = UnitGroup

    code = factory.Sequence(lambda n: f"TN{n:04d}")
    name = factory.Sequence(lambda n: f"Nhóm thử {n}")


class UnitFactory(DjangoModelFactory):
    class Meta:
        model = Unit

    code = factory.Sequence(lambda n: f"TDV{n:04d}")
    name = factory.Sequence(lambda n: f"Đơn vị thử {n}")
    kind = Unit.Kind.DISTRICT_UNIT


class CommuneCommitteeFactory(UnitFactory):
    kind = Unit.Kind.COMMUNE_COMMITTEE
    commune = factory.SubFactory(CommuneFactory)


class GroupMembershipFactory(DjangoModelFactory):
    class Meta:
        model = GroupMembership

    unit = factory.SubFactory(UnitFactory)
    group = factory.SubFactory(UnitGroupFactory)
    start = datetime.date(2014, 2, 14)
    end = None


class AssignmentFactory(DjangoModelFactory):
    class Meta:
        model = Assignment

    group = factory.SubFactory(UnitGroupFactory)
    commune = factory.SubFactory(CommuneFactory)
    start = datetime.date(2014, 2, 14)


class MemberFactory(DjangoModelFactory):
    class Meta:
        model = Member

    code = factory.Sequence(lambda n: f"TCB{n:05d}")
    name = factory.Sequence(lambda n: f"Cán Bộ Thử {n}")
    unit = factory.SubFactory(UnitFactory)


class HouseholdFactory(DjangoModelFactory):
    class Meta:
        model = Household

    code = factory.Sequence(lambda n: f"THO{n:05d}")
    village = factory.SubFactory(VillageFactory)
    head_name = factory.Sequence(lambda n: f"Chủ Hộ Thử {n}")
    id_number = factory.Sequence(lambda n: f"0992{n:08d}")
    size = 4


class HouseholdStatusFactory(DjangoModelFactory):
    class Meta:
        model = HouseholdStatus

    household = factory.SubFactory(HouseholdFactory)
    year = 2018
    status = HouseholdStatus.Status.POOR


class StudentFactory(DjangoModelFactory):
    class Meta:
        model = Student

    code = factory.Sequence(lambda n: f"THS{n:05d}")
    name = factory.Sequence(lambda n: f"Học Sinh Thử {n}")
    household = factory.SubFactory(HouseholdFactory)


class TargetFactory(DjangoModelFactory):
    class Meta:
        model = Target

    code = factory.Sequence(lambda n: f"TMT{n:04d}")
    kind = Target.Kind.MODEL_VILLAGE
    village = factory.SubFactory(VillageFactory)
    target_year = 2020


def standard_item(code: str) -> Item:
    return Item.objects.get(code=code)


def donation_of_kind(kind: str, amount: int) -> dict:
    """The fields of a donation of ``kind`` whose amount, quantity or days follow from ``amount`` (property tests)."""
    if kind == "goods":
        return {"kind": kind, "amount_vnd": 0, "item": standard_item("gao"), "quantity": Decimal(amount % 50 + 1)}
    if kind == "labour":
        return {"kind": kind, "amount_vnd": 0, "labour_days": Decimal(amount % 7 + 1) / 2}
    return {"kind": kind, "amount_vnd": amount * 1000}


class PledgeFactory(DjangoModelFactory):
    class Meta:
        model = Pledge

    code = factory.Sequence(lambda n: f"TDK{n:05d}")
    unit = factory.SubFactory(UnitFactory)
    beneficiary_kind = "household"
    household = factory.SubFactory(HouseholdFactory)
    start = datetime.date(2019, 1, 1)
    end = datetime.date(2020, 12, 31)
    money_vnd = 1_000_000


class DonationFactory(DjangoModelFactory):
    """A money donation to a household; use the traits for the other kinds."""

    class Meta:
        model = Donation

    reference = factory.Sequence(lambda n: f"TUH{n:06d}")
    date = datetime.date(2016, 5, 10)
    unit = factory.SubFactory(UnitFactory)
    kind = Donation.Kind.MONEY
    amount_vnd = 500_000
    beneficiary_kind = "household"
    household = factory.SubFactory(HouseholdFactory)

    class Params:
        goods = factory.Trait(
            kind=Donation.Kind.GOODS, amount_vnd=0, quantity=10, item=factory.LazyFunction(lambda: standard_item("gao"))
        )
        labour = factory.Trait(kind=Donation.Kind.LABOUR, amount_vnd=0, labour_days=2)
        loan = factory.Trait(kind=Donation.Kind.LOAN, amount_vnd=5_000_000)


class RepaymentFactory(DjangoModelFactory):
    class Meta:
        model = Repayment

    reference = factory.Sequence(lambda n: f"TTN{n:06d}")
    loan = factory.SubFactory(DonationFactory, loan=True)
    date = datetime.date(2017, 5, 10)
    amount_vnd = 1_000_000
