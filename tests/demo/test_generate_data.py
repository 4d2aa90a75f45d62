"""generate_data: an empty database filled with valid, deterministic data and its audit trail; a full one refused."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, Sum

from apps.bodies.models import IssuingBody
from apps.demo.scale import SCALES, WRITE_ORDER, Generator, _insert_triggers
from apps.donations.models import Donation, Item, Repayment
from apps.pledges.models import Pledge
from apps.portal.models import Article
from apps.units.models import Assignment, GroupMembership, Unit, active_on

DISTRICT = SCALES["district"]


@pytest.fixture
def empty_database(db):
    """The test database without its demo records (inside the test's transaction, so they come back)."""
    tables = [model._meta.db_table for model in (*WRITE_ORDER, Article, IssuingBody)]
    tables += [trigger.event_model._meta.db_table for trigger in _insert_triggers().values()]
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")


@pytest.fixture
def district(empty_database):
    call_command("generate_data", "--scale", "district", verbosity=0)


def test_generate_data_refuses_a_database_that_holds_records(db):
    donations = Donation.objects.count()
    assert donations, "the test database starts with the demo"
    with pytest.raises(CommandError, match="only fills an empty database"):
        call_command("generate_data", "--scale", "district", verbosity=0)
    assert Donation.objects.count() == donations


def test_generate_data_refuses_to_run_twice(district):
    with pytest.raises(CommandError, match="only fills an empty database"):
        call_command("generate_data", "--scale", "district", verbosity=0)
    assert Donation.objects.count() == DISTRICT.donations


def test_district_scale_has_the_sizes_it_promises(district):
    from apps.communes.models import Commune, Village
    from apps.households.models import Household, HouseholdStatus, Student
    from apps.units.models import Member, UnitGroup

    assert Commune.objects.count() == DISTRICT.communes
    assert Commune.objects.filter(successor__isnull=False).count() == DISTRICT.merged_away
    assert Village.objects.count() == DISTRICT.villages
    assert UnitGroup.objects.count() == DISTRICT.groups
    assert Unit.objects.count() == DISTRICT.units
    assert Member.objects.count() == DISTRICT.members
    assert Household.objects.count() == DISTRICT.households
    assert HouseholdStatus.objects.count() == DISTRICT.households * 10
    assert Student.objects.count() == DISTRICT.students
    assert Pledge.objects.count() == DISTRICT.pledges
    assert Donation.objects.count() == DISTRICT.donations
    assert set(Donation.objects.values_list("kind", flat=True).distinct()) == set(Donation.Kind.values)
    assert Repayment.objects.exists()
    assert Donation.objects.exclude(previous_loan=None).exists()
    assert set(Item.objects.filter(donation__isnull=False).values_list("code", flat=True)) >= {"gao", "sach", "vo"}


def test_every_generated_table_passes_full_clean_on_a_sample(district):
    for model in WRITE_ORDER:
        count = model.objects.count()
        step = max(1, count // 40)
        sample = model.objects.annotate(sample_slot=F("id") % step).filter(sample_slot=0)[:40]
        assert sample, model
        for row in sample:
            row.full_clean()


def test_help_follows_memberships_pledges_and_stays_within_loans(district):
    donations = Donation.objects.select_related("pledge", "unit")
    # A unit gives only while it belongs to a group, ...
    member_then = GroupMembership.objects.filter(unit=OuterRef("unit"), start__lte=OuterRef("date")).filter(
        Q(end__isnull=True) | Q(end__gte=OuterRef("date"))
    )
    assert not donations.filter(~Exists(member_then)).exists()
    # ... to the commune its group is assigned to that day, or to the beneficiary of its pledge.
    for donation in donations.filter(pledge__isnull=True).order_by("id")[::50]:
        group = member_then.model.objects.filter(active_on(donation.date), unit=donation.unit).get().group
        assigned = Assignment.objects.filter(active_on(donation.date), group=group).get()
        assert _commune_of(donation) == assigned.commune
    for donation in donations.filter(pledge__isnull=False)[:200]:
        assert donation.unit_id == donation.pledge.unit_id
        assert donation.pledge.start <= donation.date <= donation.pledge.end
        assert donation.beneficiary == donation.pledge.beneficiary
    over_repaid = (
        Donation.objects.loans().annotate(repaid=Sum("repayments__amount_vnd")).filter(repaid__gt=F("amount_vnd"))
    )
    assert not over_repaid.exists()
    # Entered in date order: ids grow with the date.
    dates = list(Donation.objects.order_by("id").values_list("date", flat=True))
    assert dates == sorted(dates)


def _commune_of(donation: Donation):
    beneficiary = donation.beneficiary
    for step in {"student": ["household", "village", "commune"], "household": ["village", "commune"]}.get(
        donation.beneficiary_kind, ["commune"] if donation.beneficiary_kind == "village" else []
    ):
        beneficiary = getattr(beneficiary, step)
    return beneficiary


def test_every_tracked_row_has_its_creation_in_the_audit_trail(district):
    for model, trigger in _insert_triggers().items():
        events = trigger.event_model.objects
        assert events.count() == model.objects.count(), model
        assert not events.filter(pgh_context__isnull=True).exists(), model
        assert events.filter(pgh_context__metadata__source="import").count() == events.count()


def test_the_same_seed_builds_the_same_rows():
    items = {code: number for number, code in enumerate(["gao", "duong", "sach", "vo", "quan_ao", "xe_dap"], 1)}
    first, second = Generator(DISTRICT, items).build(), Generator(DISTRICT, items).build()
    assert first.rows == second.rows
    assert Generator(DISTRICT, items, seed=1).build().rows[Donation] != first.rows[Donation]


def test_the_generated_programme_has_the_body_that_issues_its_reports(district, admin_client):
    assert list(IssuingBody.objects.values_list("symbol", "whole_installation")) == [("TU", True)]
    response = admin_client.get("/reports/summary/?from=2014-02-14&to=2018-10-24")
    assert response.status_code == 200
    assert "TỈNH ỦY TỈNH THỬ" in response.content.decode() and "-BC/TU" in response.content.decode()


def test_the_generated_programme_has_its_figures_kept(district):
    """The load skips the figure triggers and rebuilds the figures once: they equal a direct count."""
    from apps.communes.models import Commune
    from apps.donations.models import DailyFigures
    from apps.donations.selectors import totals
    from apps.units.models import UnitGroup
    from tests.donations.test_figures_exact import direct_totals

    assert DailyFigures.objects.exists()
    commune = Commune.objects.order_by("code").last()
    group = UnitGroup.objects.order_by("code").first()
    for scope in ({}, {"commune": commune}, {"group": group}):
        assert totals(**scope) == direct_totals(**scope), scope
