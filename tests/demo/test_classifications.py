"""The demo's households as communes review them: standards by year, deprivations, causes (issue 15)."""

import pytest
from django.db.models import Count, Exists, OuterRef, Q

from apps.donations.models import Donation
from apps.households.changes import Change, with_change
from apps.households.models import Household, HouseholdStatus, PovertyStandard

pytestmark = pytest.mark.django_db


def test_every_years_classifications_are_under_the_standard_in_force_that_year():
    standards = dict(HouseholdStatus.objects.values_list("year", "standard__code").distinct())

    assert standards[2015] == "CN_2011_2015"
    assert standards[2018] == "CN_2016_2020"
    assert standards[2021] == "CN_2016_2020_NAM_2021"
    assert standards[2023] == "CN_2022_2025"
    assert standards[2026] == "CN_2022_2025_NAM_2026"
    assert not HouseholdStatus.objects.filter(standard__isnull=True).exists()


def test_deprivations_follow_the_standards_change_in_2022():
    found = HouseholdStatus.deprivations.through.objects
    before = set(found.filter(householdstatus__year__lte=2021).values_list("deprivationindicator__code", flat=True))
    after = set(found.filter(householdstatus__year__gte=2022).values_list("deprivationindicator__code", flat=True))

    assert before and all(code.startswith("2016_") for code in before)
    assert after and all(code.startswith("2022_") for code in after)
    assert "2022_viec_lam" in after  # employment is measured from 2022 only
    assert not found.filter(householdstatus__year__lte=2015).exists()  # 2011-2015: income alone
    # A deprivation found is an indicator of its classification's standard.
    of_standard = PovertyStandard.indicators.through.objects.filter(
        povertystandard=OuterRef("householdstatus__standard"), deprivationindicator=OuterRef("deprivationindicator")
    )
    assert not found.filter(~Exists(of_standard)).exists()


def test_what_poor_households_lack_differs_between_communes():
    poor_2019 = HouseholdStatus.objects.filter(year=2019, status="poor")

    def share_lacking(commune_code: str, indicator: str) -> float:
        in_commune = poor_2019.filter(household__village__commune__code=commune_code)
        lacking = in_commune.filter(deprivations__code=indicator).count()
        return lacking / in_commune.count()

    assert share_lacking("SON_THANH_2025", "2016_nuoc_sinh_hoat") > share_lacking("TAY_HOA_2025", "2016_nuoc_sinh_hoat")
    assert share_lacking("TAY_HOA_2025", "2016_tre_em_di_hoc") > share_lacking("SON_THANH_2025", "2016_tre_em_di_hoc")


def test_poor_households_carry_causes_decisions_and_flags():
    poor = HouseholdStatus.objects.filter(status="poor")

    assert not poor.annotate(n=Count("causes")).filter(n=0).exists()
    assert not poor.filter(Q(decision_number="") | Q(decided_on__isnull=True)).exists()
    assert poor.filter(ethnic_minority=True).exists() and poor.filter(no_labour_capacity=True).exists()
    assert HouseholdStatus.objects.filter(year__gte=2022, status="average").exists()
    assert not HouseholdStatus.objects.filter(year__lt=2022, status="average").exists()


def test_every_household_the_old_escaped_rule_counted_is_still_counted():
    """The old rule: poor in one year and "escaped" or "none" in a later one; both became lists "none"/"average"
    without the at-risk flag. The derived rule adds the households that left the poor list for the near-poor
    list (or for "at risk") and were never later on no list: that is the whole change in the figure."""
    helped = Household.objects.filter(Exists(Donation.objects.filter(household=OuterRef("pk"))))
    poor_year = HouseholdStatus.objects.filter(
        household=OuterRef("household"), status="poor", year__lt=OuterRef("year")
    )
    out_later = HouseholdStatus.objects.filter(status__in=["none", "average"], at_risk=False).filter(Exists(poor_year))
    old = set(helped.filter(pk__in=out_later.values("household")).values_list("pk", flat=True))
    new = set(helped.filter(with_change(Change.ESCAPED_POVERTY)).values_list("pk", flat=True))

    assert old < new
    left_for_near_poor_or_at_risk = HouseholdStatus.objects.filter(
        Q(status="near_poor") | Q(at_risk=True), household__in=new - old, year__gt=2000
    ).filter(Exists(poor_year))
    assert set(left_for_near_poor_or_at_risk.values_list("household", flat=True)) == new - old
