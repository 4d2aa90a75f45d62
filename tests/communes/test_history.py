"""Names as of a date, and villages that move to another commune at a merger (issue 9)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation

from apps.communes.models import Commune, CommuneName, Village, VillageCommune, mark_namesakes, name_history
from apps.communes.services import move_villages, rename
from apps.donations.selectors import totals
from apps.units.models import Unit, UnitGroup
from tests.factories import (
    CommuneFactory,
    DonationFactory,
    HouseholdFactory,
    StudentFactory,
    UnitFactory,
    UnitGroupFactory,
    VillageFactory,
)

pytestmark = pytest.mark.django_db

LAST_DAY = datetime.date(2025, 6, 30)
MERGER = datetime.date(2025, 7, 1)
BEFORE = datetime.date(2024, 3, 1)
AFTER = datetime.date(2026, 3, 1)


@pytest.fixture
def merger():
    """Old Thạnh An and Thạnh Bình merged into a new Thạnh An on 01/7/2025 (as Hòa Thịnh and Hòa Đồng did)."""
    new = CommuneFactory(code="T_AN_2025", name="Thạnh An")
    old = CommuneFactory(code="T_AN", name="Thạnh An", successor=new, valid_to=LAST_DAY)
    other = CommuneFactory(code="T_BINH", name="Thạnh Bình", successor=new, valid_to=LAST_DAY)
    village = VillageFactory(commune=old, name="Thôn Mỹ Thạnh")
    other_village = VillageFactory(commune=other, name="Thôn Phước Mỹ")
    return {"new": new, "old": old, "other": other, "village": village, "other_village": other_village}


def move_all(merger):
    move_villages(from_commune=merger["old"], to_commune=merger["new"], on=MERGER)
    move_villages(from_commune=merger["other"], to_commune=merger["new"], on=MERGER)


# --- Names as of a date ----------------------------------------------------------------------------


@pytest.mark.parametrize("model_factory", [CommuneFactory, VillageFactory, UnitFactory, UnitGroupFactory])
def test_a_renamed_record_keeps_its_old_name_for_the_days_before_the_rename(model_factory):
    record = model_factory(name="Tên cũ")
    rename(record, name="Tên mới", on=datetime.date(2020, 1, 1))
    record.refresh_from_db()

    assert record.name == "Tên mới"
    assert record.name_on(datetime.date(2019, 12, 31)) == "Tên cũ"
    assert record.name_on(datetime.date(2020, 1, 1)) == "Tên mới"
    assert record.name_on(None) == "Tên mới"


@pytest.mark.parametrize("model", [Commune, Village, Unit, UnitGroup])
def test_lists_read_the_names_of_a_day_in_one_query(model, django_assert_num_queries):
    factory = {Commune: CommuneFactory, Village: VillageFactory, Unit: UnitFactory, UnitGroup: UnitGroupFactory}[model]
    for index in range(3):
        rename(factory(name=f"Cũ {index}"), name=f"Mới {index}", on=datetime.date(2020, 1, 1))
    factory(name="Chưa đổi tên")

    with django_assert_num_queries(1):
        before = set(model.objects.with_name_on(datetime.date(2019, 6, 1)).values_list("name_then", flat=True))
    after = set(model.objects.with_name_on(datetime.date(2020, 6, 1)).values_list("name_then", flat=True))

    assert {"Cũ 0", "Cũ 1", "Cũ 2", "Chưa đổi tên"} <= before
    assert {"Mới 0", "Mới 1", "Mới 2", "Chưa đổi tên"} <= after
    assert not {"Mới 0", "Cũ 0"} <= before


def test_renames_are_recorded_in_order():
    commune = CommuneFactory(name="A")
    rename(commune, name="B", on=datetime.date(2020, 1, 1))
    commune = rename(commune, name="C", on=datetime.date(2022, 1, 1))
    assert [commune.name_on(datetime.date(y, 6, 1)) for y in (2019, 2021, 2023)] == ["A", "B", "C"]

    with pytest.raises(ValidationError):
        rename(commune, name="D", on=datetime.date(2021, 1, 1))


def test_two_names_of_one_record_cannot_overlap():
    commune = CommuneFactory()
    CommuneName.objects.create(
        commune=commune, name="A", start=datetime.date(2010, 1, 1), end=datetime.date(2015, 12, 31)
    )
    overlapping = CommuneName(
        commune=commune, name="B", start=datetime.date(2015, 1, 1), end=datetime.date(2016, 12, 31)
    )

    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        overlapping.full_clean()
    assert "đã mang một tên khác" in str(refused.value)


# --- Two communes of one name -----------------------------------------------------------------------


def test_an_ended_commune_is_told_apart_from_the_current_commune_of_the_same_name(merger):
    with translation.override("vi"):
        assert merger["old"].display_name(on=AFTER) == "Xã Thạnh An (trước 01/7/2025)"
        assert merger["new"].display_name(on=AFTER) == "Xã Thạnh An"
        # A document dated before the merger knows nothing of it.
        assert merger["old"].display_name(on=BEFORE) == "Xã Thạnh An"
        # No namesake: no qualifier needed.
        assert merger["other"].display_name(on=AFTER) == "Xã Thạnh Bình"


def test_pages_about_the_present_say_what_an_old_commune_is_part_of_now(merger):
    with translation.override("vi"):
        assert merger["other"].present_name(AFTER) == "Xã Thạnh Bình (nay thuộc xã Thạnh An)"
        assert merger["old"].present_name(AFTER) == "Xã Thạnh An (trước 01/7/2025) (nay thuộc xã Thạnh An)"
        assert merger["new"].present_name(AFTER) == "Xã Thạnh An"


def test_a_list_of_communes_tells_namesakes_apart_in_two_queries(merger, django_assert_num_queries):
    rename(merger["other"], name="Thạnh Bình Mới", on=datetime.date(2020, 1, 1))
    communes = Commune.objects.filter(code__startswith="T_").with_names_on(AFTER).prefetch_related("names")
    with translation.override("vi"), django_assert_num_queries(2):
        labels = [c.display_name(on=AFTER) for c in communes.order_by("code")]
    assert labels == ["Xã Thạnh An (trước 01/7/2025)", "Xã Thạnh An", "Xã Thạnh Bình Mới"]


@pytest.mark.parametrize("day", [BEFORE, LAST_DAY, MERGER, AFTER])
def test_a_whole_list_named_in_python_tells_namesakes_apart_as_the_database_does(merger, day):
    # A fourth commune is named Thạnh Bình from 2026, and the old Thạnh Bình was renamed after it ended: what
    # counts is an ended commune's last name, against the names the communes existing on the day bear then.
    rename(CommuneFactory(code="T_TRUNG", name="Trung"), name="Thạnh Bình", on=datetime.date(2026, 1, 1))
    rename(merger["other"], name="Thạnh Bình Cũ", on=datetime.date(2026, 1, 1))
    expected = {c.code: c.namesake_then for c in Commune.objects.with_names_on(day)}

    communes = list(Commune.objects.prefetch_related(name_history()))
    mark_namesakes(communes, day)

    assert {c.code: c.namesake_then for c in communes} == expected
    assert expected["T_AN"] is (day > LAST_DAY)  # the new Thạnh An exists on the day
    assert expected["T_BINH"] is (day == AFTER)  # the fourth commune is named Thạnh Bình from 2026


# --- Villages that move ----------------------------------------------------------------------------------


def test_the_new_commune_lists_the_villages_moved_into_it(merger):
    assert merger["new"].villages.count() == 0
    move_all(merger)

    assert set(merger["new"].villages.values_list("name", flat=True)) == {"Thôn Mỹ Thạnh", "Thôn Phước Mỹ"}
    assert merger["old"].villages.count() == 0
    assert list(Village.objects.in_commune_on(merger["old"], BEFORE)) == [merger["village"]]
    assert set(Village.objects.in_commune_on(merger["new"], AFTER)) == {merger["village"], merger["other_village"]}
    assert not Village.objects.in_commune_on(merger["new"], BEFORE).exists()


def test_a_move_closes_the_old_period_the_day_before(merger):
    move_all(merger)
    periods = list(merger["village"].commune_periods.order_by("start").values_list("commune__code", "start", "end"))
    assert periods == [
        ("T_AN", datetime.date(1900, 1, 1), LAST_DAY),
        ("T_AN_2025", MERGER, None),
    ]


def test_a_move_keeps_old_totals_under_the_old_commune_and_new_totals_under_the_new(merger):
    village = merger["village"]
    household = HouseholdFactory(village=village)
    student = StudentFactory(household=household)
    DonationFactory(household=household, date=BEFORE, amount_vnd=1_000_000)
    DonationFactory(beneficiary_kind="village", household=None, village=village, date=BEFORE, amount_vnd=200_000)
    DonationFactory(beneficiary_kind="student", household=None, student=student, date=BEFORE, amount_vnd=30_000)
    move_all(merger)
    DonationFactory(household=household, date=AFTER, amount_vnd=4_000_000)
    DonationFactory(beneficiary_kind="student", household=None, student=student, date=AFTER, amount_vnd=500_000)

    def money(commune, **period):
        return totals(commune=commune, **period)["total"]["money_vnd"]

    assert money(merger["old"]) == 1_230_000
    assert money(merger["old"], start=MERGER) == 0
    # The new commune's scope includes the communes merged into it.
    assert money(merger["new"]) == 5_730_000
    assert money(merger["new"], start=MERGER) == 4_500_000
    assert money(merger["other"]) == 0


def test_a_village_never_moved_counts_under_its_commune_as_before():
    village = VillageFactory()
    assert not VillageCommune.objects.filter(village=village).exists()
    DonationFactory(household=HouseholdFactory(village=village), amount_vnd=700_000)
    assert totals(commune=village.commune)["total"]["money_vnd"] == 700_000


def test_periods_of_one_village_cannot_overlap(merger):
    move_all(merger)
    overlapping = VillageCommune(village=merger["village"], commune=merger["other"], start=datetime.date(2026, 1, 1))

    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        overlapping.full_clean()
    assert "đã thuộc một xã khác" in str(refused.value)


def test_villages_cannot_move_into_their_own_commune_or_back_in_time(merger):
    with pytest.raises(ValidationError):
        move_villages(from_commune=merger["old"], to_commune=merger["old"], on=MERGER)
    move_villages(from_commune=merger["old"], to_commune=merger["new"], on=MERGER)
    with pytest.raises(ValidationError):
        move_villages(from_commune=merger["new"], to_commune=merger["other"], on=datetime.date(2025, 1, 1))
    assert merger["village"].commune_periods.count() == 2


def test_scoped_totals_take_the_same_queries_before_and_after_moves(merger, django_assert_max_num_queries):
    counts = []
    for how_many in (1, 20):
        for _ in range(how_many):
            DonationFactory(household=HouseholdFactory(village=merger["village"]), date=BEFORE)
        with django_assert_max_num_queries(6) as queries:
            totals(commune=Commune.objects.get(pk=merger["new"].pk))  # read again, as by each page
        counts.append(len(queries))
    move_all(merger)
    with django_assert_max_num_queries(6) as queries:
        totals(commune=Commune.objects.get(pk=merger["new"].pk))
    counts.append(len(queries))
    assert counts[0] == counts[1] == counts[2]
