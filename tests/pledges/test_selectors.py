"""The one rule for a pledge's status: its boundaries, as the reports and the portal both rely on them."""

import datetime
from decimal import Decimal

import pytest

from apps.pledges import selectors
from apps.pledges.models import Pledge
from apps.pledges.selectors import PledgeStatus, pledges_by_unit, pledges_with_fulfilment
from tests.factories import DonationFactory, PledgeFactory

# A 100-day pledge of 1.000.000 đ: day 50 is half its time, its end day the whole.
START, END = datetime.date(2030, 1, 1), datetime.date(2030, 4, 10)
DAY_50 = START + datetime.timedelta(days=49)


def status_on(pledge: Pledge, day: datetime.date) -> str:
    return pledges_with_fulfilment(on=day, pledges=Pledge.objects.filter(pk=pledge.pk)).get().status


@pytest.fixture(autouse=True, params=["kept progress", "donations"])
def read_from(request, monkeypatch):
    """Every rule holds whether a pledge's figures come from the kept progress or from its donations."""
    monkeypatch.setattr(selectors, "_reads_kept_progress", lambda on: request.param == "kept progress")
    return request.param


@pytest.fixture
def pledge(db):
    return PledgeFactory(start=START, end=END, money_vnd=1_000_000)


def give(pledge: Pledge, amount: int, day: datetime.date = START, **kwargs):
    return DonationFactory(
        unit=pledge.unit, household=pledge.household, pledge=pledge, date=day, amount_vnd=amount, **kwargs
    )


@pytest.mark.parametrize(
    ("given", "status"),
    [(400_000, PledgeStatus.ON_TRACK), (399_999, PledgeStatus.BEHIND), (1_000_000, PledgeStatus.FULFILLED)],
)
def test_pledge_halfway_is_on_track_down_to_ten_points_below_its_time(pledge, given, status):
    give(pledge, given)
    assert status_on(pledge, DAY_50) == status


@pytest.mark.parametrize(("given", "status"), [(900_000, PledgeStatus.ON_TRACK), (899_999, PledgeStatus.BEHIND)])
def test_pledge_on_its_last_day_needs_ninety_percent_to_be_on_track(pledge, given, status):
    give(pledge, given)
    assert status_on(pledge, END) == status


def test_pledge_is_overdue_the_day_after_its_end_unless_fulfilled(pledge):
    give(pledge, 999_999)
    assert status_on(pledge, END + datetime.timedelta(days=1)) == PledgeStatus.OVERDUE
    give(pledge, 1, day=END + datetime.timedelta(days=1))
    assert status_on(pledge, END + datetime.timedelta(days=1)) == PledgeStatus.FULFILLED


def test_help_given_after_the_day_looked_at_does_not_count(pledge):
    give(pledge, 1_000_000, day=DAY_50)
    assert status_on(pledge, DAY_50 - datetime.timedelta(days=1)) == PledgeStatus.BEHIND
    assert status_on(pledge, DAY_50) == PledgeStatus.FULFILLED


def test_pledge_of_money_and_labour_follows_the_part_furthest_behind(db):
    pledge = PledgeFactory(start=START, end=END, money_vnd=1_000_000, labour_days=Decimal(10))
    give(pledge, 1_000_000)
    assert status_on(pledge, DAY_50) == PledgeStatus.BEHIND
    DonationFactory(unit=pledge.unit, household=pledge.household, pledge=pledge, date=START, labour=True, labour_days=4)
    assert status_on(pledge, DAY_50) == PledgeStatus.ON_TRACK


def test_pledge_of_goods_only_is_fulfilled_once_something_is_handed_over(db):
    pledge = PledgeFactory(start=START, end=END, money_vnd=0)
    assert status_on(pledge, DAY_50) == PledgeStatus.BEHIND
    DonationFactory(unit=pledge.unit, household=pledge.household, pledge=pledge, date=START, goods=True)
    assert status_on(pledge, DAY_50) == PledgeStatus.FULFILLED


def test_each_pledge_reads_its_donations_once_whatever_figures_build_on_them(db):
    """The monitoring list at province scale: one join of the donations, no subquery repeated per reference."""
    sql = str(pledges_with_fulfilment(on=DAY_50).filter(status=PledgeStatus.BEHIND).query)
    assert sql.count("donations_donation") == 1
    assert "SELECT" not in sql.partition("FROM")[2]


def test_pledges_by_unit_count_all_pledges_and_the_started_ones_in_each_status(pledge):
    give(pledge, 1_000_000)
    PledgeFactory(unit=pledge.unit, start=START, end=END, money_vnd=1_000_000)  # nothing given by day 50: behind
    PledgeFactory(unit=pledge.unit, start=END, end=END, money_vnd=500_000)  # not started by day 50
    counts = pledges_by_unit(on=DAY_50, pledges=Pledge.objects.filter(unit=pledge.unit))
    assert counts == {
        pledge.unit_id: {
            "count": 3,
            "money_vnd": 2_500_000,
            "fulfilled": 1,
            "on_track": 0,
            "behind": 1,
            "overdue": 0,
        }
    }
    assert all(type(value) is int for value in counts[pledge.unit_id].values())  # whole đồng, not Decimal
