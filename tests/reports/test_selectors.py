import datetime
from decimal import Decimal

import pytest

from apps.households.models import HouseholdStatus
from apps.pledges.selectors import PledgeStatus
from apps.reports.selectors import idle_units, lapsed_units, open_loans, report_figures
from tests.factories import (
    DonationFactory,
    HouseholdStatusFactory,
    PledgeFactory,
    RepaymentFactory,
    UnitFactory,
    standard_item,
)
from tests.reports.conftest import PERIOD


def test_report_splits_the_totals_by_group_and_by_commune(small_programme):
    small_programme.add_donations(4)
    DonationFactory(
        unit=small_programme.committee, household=small_programme.households[0], date=PERIOD[0], goods=True, quantity=25
    )
    figures = report_figures(start=PERIOD[0], end=PERIOD[1], commune=small_programme.commune)

    assert figures["total"]["money_vnd"] == 400_000
    groups = {row["code"]: row for row in figures["groups"]}
    assert groups[small_programme.group.code]["money_vnd"] == 400_000
    assert groups[small_programme.group.code]["household_visits"] == 4
    assert groups[None]["goods"]["gao"] == {"name": "Gạo", "measure": "kg", "quantity": 25}
    [commune_row] = figures["communes"]
    assert commune_row["name"] == "Xã Báo Cáo"
    assert commune_row["money_vnd"] == 400_000
    assert commune_row["household_visits"] == 5


def test_report_counts_helped_households_that_escaped_poverty_later_in_the_period(small_programme):
    small_programme.add_donations(3)
    escaped, stayed_poor, never_poor = small_programme.households
    HouseholdStatusFactory(household=escaped, year=2007, status=HouseholdStatus.Status.POOR)
    HouseholdStatusFactory(household=escaped, year=2008, status=HouseholdStatus.Status.NEAR_POOR)
    HouseholdStatusFactory(household=stayed_poor, year=2007, status=HouseholdStatus.Status.POOR)
    HouseholdStatusFactory(household=stayed_poor, year=2008, status=HouseholdStatus.Status.POOR)
    HouseholdStatusFactory(household=never_poor, year=2008, status=HouseholdStatus.Status.NONE)

    figures = report_figures(start=PERIOD[0], end=PERIOD[1], commune=small_programme.commune)

    assert figures["households"] == {"helped": 3, "escaped": 1}


def test_units_behind_are_named_and_kept_out_of_the_good_results(small_programme):
    small_programme.add_donations(4)
    slow, good = small_programme.units
    PledgeFactory(
        unit=slow, household=small_programme.households[0], start=PERIOD[0], end=PERIOD[1], money_vnd=50_000_000
    )
    figures = report_figures(start=PERIOD[0], end=PERIOD[1], group=small_programme.group)

    assert [u["code"] for u in figures["units_behind"]] == [slow.code]
    assert figures["units_behind"][0]["shortfall_vnd"] == 50_000_000
    assert [u["code"] for u in figures["good_results"]] == [good.code]
    assert figures["pledges"]["behind"] == 1
    [pledge] = figures["pledge_list"]
    assert (pledge["unit"], pledge["commune"], pledge["given_percent"], pledge["status"]) == (
        slow.name,
        "Xã Báo Cáo",
        0.0,
        PledgeStatus.BEHIND,
    )


@pytest.mark.parametrize("size", [2, 20])
@pytest.mark.parametrize(("listed", "queries"), [(True, 16), (False, 14)])
def test_report_figures_take_the_same_few_queries_whatever_the_data(
    small_programme, size, listed, queries, django_assert_max_num_queries
):
    small_programme.add_donations(size)
    for n in range(size):
        PledgeFactory(
            unit=small_programme.units[n % 2],
            household=small_programme.households[n % 3],
            start=PERIOD[0],
            end=PERIOD[1],
        )
    with django_assert_max_num_queries(queries):
        report_figures(start=PERIOD[0], end=PERIOD[1], group=small_programme.group, listed=listed)


def test_units_without_a_donation_for_months_are_listed_idle(db):
    on = datetime.date(2032, 6, 30)
    recent, lapsed = UnitFactory(), UnitFactory()
    DonationFactory(unit=recent, date=datetime.date(2032, 1, 1))  # within 6 months
    DonationFactory(unit=lapsed, date=datetime.date(2031, 12, 29))  # a day over 6 months
    idle = set(idle_units(on=on, months=6).values_list("code", flat=True))
    assert lapsed.code in idle
    assert recent.code not in idle
    assert recent.code in set(idle_units(on=on, months=5).values_list("code", flat=True))


def test_units_that_gave_last_year_but_not_this_year_are_listed(db):
    stopped, kept_on = UnitFactory(), UnitFactory()
    for unit in (stopped, kept_on):
        DonationFactory(unit=unit, date=datetime.date(2032, 5, 1), amount_vnd=300_000)
    DonationFactory(unit=kept_on, date=datetime.date(2033, 2, 1))
    lapsed = {u.code: u for u in lapsed_units(year=2033)}
    assert stopped.code in lapsed and kept_on.code not in lapsed
    assert lapsed[stopped.code].last_year_vnd == 300_000


def test_open_loans_show_what_is_outstanding_and_whether_it_is_overdue(db):
    on = datetime.date(2032, 6, 30)
    overdue = DonationFactory(loan=True, date=datetime.date(2031, 1, 1), due_date=datetime.date(2032, 1, 1))
    RepaymentFactory(loan=overdue, date=datetime.date(2031, 6, 1), amount_vnd=2_000_000)
    repaid = DonationFactory(loan=True, date=datetime.date(2031, 1, 1), due_date=datetime.date(2032, 1, 1))
    RepaymentFactory(loan=repaid, date=datetime.date(2031, 6, 1), amount_vnd=5_000_000)
    not_due = DonationFactory(loan=True, date=datetime.date(2032, 1, 1), due_date=datetime.date(2033, 1, 1))

    loans = {loan.reference: loan for loan in open_loans(on=on)}

    assert loans[overdue.reference].outstanding_vnd == 3_000_000
    assert loans[overdue.reference].overdue is True
    assert loans[not_due.reference].overdue is False
    assert repaid.reference not in loans


def test_goods_quantities_keep_their_decimals_in_the_tables(small_programme):
    DonationFactory(
        unit=small_programme.units[0],
        household=small_programme.households[0],
        date=PERIOD[0],
        kind="goods",
        amount_vnd=0,
        item=standard_item("duong"),
        quantity=Decimal("12.5"),
    )
    figures = report_figures(start=PERIOD[0], end=PERIOD[1], group=small_programme.group)
    assert figures["groups"][0]["goods"]["duong"]["quantity"] == 12.5


@pytest.mark.django_db
def test_monitoring_forgets_the_party_committee_of_a_commune_that_was_merged_away():
    import datetime as dt

    from apps.reports.selectors import idle_units, lapsed_units
    from tests.factories import CommuneCommitteeFactory, CommuneFactory, DonationFactory

    new = CommuneFactory()
    merged = CommuneFactory(successor=new, valid_to=dt.date(2025, 6, 30))
    gone = CommuneCommitteeFactory(commune=merged)
    alive = CommuneCommitteeFactory(commune=new)
    for unit in (gone, alive):
        DonationFactory(unit=unit, date=dt.date(2025, 3, 1))

    assert alive in lapsed_units(year=2026) and gone not in lapsed_units(year=2026)
    assert alive in idle_units(on=dt.date(2026, 11, 1)) and gone not in idle_units(on=dt.date(2026, 11, 1))
    # Before the merger the old committee is watched like any other unit.
    assert gone in idle_units(on=dt.date(2025, 6, 1), months=1)
