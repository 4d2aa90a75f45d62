"""A unit focal point reads only the households their unit helps, and no one's ID number (issue 11, F7)."""

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from apps.accounts.scoping import scope_queryset
from apps.households.models import Household, HouseholdStatus, Student
from tests.factories import (
    DonationFactory,
    HouseholdFactory,
    HouseholdStatusFactory,
    PledgeFactory,
    StudentFactory,
    UnitFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def households(focal_unit):
    other_unit = UnitFactory(name="Đơn vị khác")
    helped = DonationFactory(unit=focal_unit).household
    pledged = PledgeFactory(unit=focal_unit).household
    through_student = StudentFactory()
    DonationFactory(unit=focal_unit, beneficiary_kind="student", household=None, student=through_student)
    others = DonationFactory(unit=other_unit).household
    never = HouseholdFactory()
    for household in (helped, others):
        StudentFactory(household=household)
        HouseholdStatusFactory(household=household)
    return {
        "helped": helped,
        "pledged": pledged,
        "through_student": through_student.household,
        "others": others,
        "never": never,
    }


def test_unit_focal_point_sees_only_the_households_their_unit_helped_or_pledged_to_help(unit_focal_point, households):
    ours = {households["helped"], households["pledged"], households["through_student"]}
    assert set(scope_queryset(unit_focal_point, Household.objects.all())) == ours
    students = scope_queryset(unit_focal_point, Student.objects.all())
    assert {student.household for student in students} == {households["helped"], households["through_student"]}
    statuses = scope_queryset(unit_focal_point, HouseholdStatus.objects.all())
    assert {status.household for status in statuses} == {households["helped"]}
    # One household helped twice is listed once.
    DonationFactory(unit=households["helped"].donations.get().unit, household=households["helped"])
    assert scope_queryset(unit_focal_point, Household.objects.all()).count() == 3


def test_district_staff_and_leadership_still_see_every_household(district_officer, leader, households):
    assert scope_queryset(district_officer, Household.objects.all()).count() == Household.objects.count()
    assert scope_queryset(leader, Household.objects.all()).count() == Household.objects.count()


def test_unit_focal_point_cannot_open_list_or_choose_a_household_their_unit_never_helped(
    client, unit_focal_point, households
):
    client.force_login(unit_focal_point)
    change = "admin:households_household_change"
    assert client.get(reverse(change, args=[households["helped"].pk])).status_code == 200
    assert client.get(reverse(change, args=[households["others"].pk])).status_code == 302  # "not found"
    page = client.get(reverse("admin:households_household_changelist")).content.decode()
    assert households["helped"].code in page and households["pledged"].code in page
    assert households["others"].code not in page and households["never"].code not in page
    student_page = client.get(reverse("admin:households_student_changelist")).content.decode()
    assert households["others"].head_name not in student_page
    found = client.get(
        reverse("admin:autocomplete"),
        {"app_label": "pledges", "model_name": "pledge", "field_name": "household", "term": "Chủ Hộ Thử"},
    ).json()
    assert {row["id"] for row in found["results"]} == {
        str(households[name].pk) for name in ("helped", "pledged", "through_student")
    }


def test_unit_focal_point_never_reads_an_id_number(client, unit_focal_point, households):
    helped = households["helped"]
    client.force_login(unit_focal_point)
    page = client.get(reverse("admin:households_household_change", args=[helped.pk])).content.decode()
    assert helped.head_name in page and helped.id_number not in page
    history = client.get(reverse("admin:households_household_history", args=[helped.pk])).content.decode()
    assert helped.head_name in history and helped.id_number not in history
    search = client.get(reverse("admin:households_household_changelist"), {"q": helped.id_number}).content.decode()
    assert helped.code not in search


def test_unit_focal_point_exports_their_households_without_id_numbers(client, unit_focal_point, households):
    client.force_login(unit_focal_point)
    response = client.get(reverse("admin:export", args=["households", "household"]))
    assert response.status_code == 200
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    header, *body = rows
    assert not {str(title).lower() for title in header} & {"số cccd/cmnd", "id number"}
    codes = {row[0] for row in body}
    assert codes == {households[name].code for name in ("helped", "pledged", "through_student")}
    cells = {str(value) for row in rows for value in row}
    assert not cells & {household.id_number for household in Household.objects.all()}


def test_staff_still_read_id_numbers(client, district_officer, households):
    client.force_login(district_officer)
    helped = households["helped"]
    page = client.get(reverse("admin:households_household_change", args=[helped.pk])).content.decode()
    assert helped.id_number in page
    search = client.get(reverse("admin:households_household_changelist"), {"q": helped.id_number}).content.decode()
    assert helped.code in search


def test_the_focal_points_household_list_costs_the_same_queries_for_3_or_15_households(client, unit_focal_point):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(unit_focal_point)
    counts = []
    for helped in (3, 15):
        for _ in range(helped - Household.objects.count()):
            PledgeFactory(unit=unit_focal_point.focal_point.unit)
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("admin:households_household_changelist")).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1]
