"""The demo district: safe to re-run, valid row by row, and telling the programme's true story."""

import dataclasses
import datetime
import io
import random
from collections import Counter, defaultdict

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, F, OuterRef, Q

from apps.communes.models import Commune, Village, commune_of_village_on
from apps.core.models import ProgrammeSettings
from apps.demo import generator, tables
from apps.donations.models import Donation, Repayment
from apps.donations.selectors import totals
from apps.donations.services import save_donation
from apps.households.changes import Change, with_change
from apps.households.models import Household, HouseholdStatus, Student, Target
from apps.imports.records import RECORDS
from apps.pledges.models import Pledge
from apps.units.models import Assignment, GroupMembership, Member, Unit, UnitGroup, active_on

pytestmark = pytest.mark.django_db

MERGER = {
    "TAY_HOA_2025": {"PHU_THU", "HOA_PHONG", "HOA_TAN_TAY", "HOA_BINH_1"},
    "HOA_THINH_2025": {"HOA_DONG", "HOA_THINH"},
    "HOA_MY_2025": {"HOA_MY_DONG", "HOA_MY_TAY"},
    "SON_THANH_2025": {"HOA_PHU", "SON_THANH_DONG", "SON_THANH_TAY"},
}
OLD_COMMUNES = set().union(*MERGER.values())
DISTRICT_UNITS = [code for code, _name in tables.DISTRICT_UNITS]  # the district's own, ended on 30/06/2025
PROVINCIAL_UNITS = [code for _group, _name, units in tables.PROVINCIAL_GROUPS.values() for code, _name in units]
LAST_DISTRICT_DAY = datetime.date(2025, 6, 30)
DEMO_UNITS = [
    *DISTRICT_UNITS,
    *PROVINCIAL_UNITS,
    *(f"DU_{row[0]}" for row in tables.COMMUNES),
    *(code for code, _commune, _name in tables.NEW_COMMITTEES),
    *(code for code, _name in tables.OTHER_UNITS),
]


def row_counts() -> dict[str, int]:
    return {record.name: record.model.objects.count() for record in RECORDS.values()}


def load_demo(verbosity: int = 1) -> str:
    out = io.StringIO()
    call_command("load_demo", verbosity=verbosity, stdout=out)
    return out.getvalue()


# --- Safe to re-run -------------------------------------------------------------------------


def test_running_load_demo_again_creates_nothing_new():
    before = row_counts()

    load_demo()

    assert row_counts() == before
    assert before["donations"] > 5000 and before["households"] > 500


def test_running_load_demo_again_keeps_what_a_person_edited():
    donation = Donation.objects.filter(kind="money", reference__startswith="UH-2016-").earliest("reference")
    donation.note = "Sửa bởi cán bộ huyện"
    donation.amount_vnd += 100_000
    save_donation(donation)
    Household.objects.filter(code="HO-00001").update(head_name="Tên đã sửa")
    Commune.objects.filter(code="HOA_DONG").update(disadvantaged=False)
    membership = GroupMembership.objects.filter(unit__code="PHONG_GD_DT", start=datetime.date(2018, 11, 1)).get()
    membership.end = datetime.date(2021, 12, 31)  # the unit left its group; re-running must not put it back
    membership.save()
    # The district moved group 3 to help another commune from late 2018.
    Assignment.objects.filter(group__code="NHOM_2018_03", start=datetime.date(2018, 11, 1)).update(
        commune=Commune.objects.get(code="HOA_PHU")
    )

    load_demo()

    edited = Donation.objects.get(pk=donation.pk)
    assert (edited.note, edited.amount_vnd) == ("Sửa bởi cán bộ huyện", donation.amount_vnd)
    assert Household.objects.get(code="HO-00001").head_name == "Tên đã sửa"
    assert Commune.objects.get(code="HOA_DONG").disadvantaged is False
    assert list(GroupMembership.objects.filter(unit__code="PHONG_GD_DT").values_list("end", flat=True)) == [
        datetime.date(2018, 10, 24),
        datetime.date(2021, 12, 31),
    ]
    group_3 = Assignment.objects.filter(group__code="NHOM_2018_03", start=datetime.date(2018, 11, 1))
    assert list(group_3.values_list("commune__code", flat=True)) == ["HOA_PHU"]


def test_running_load_demo_again_recreates_a_deleted_demo_record():
    reference = Donation.objects.filter(kind="money", reference__startswith="UH-2019-").earliest("reference").reference
    Donation.objects.filter(reference=reference).delete()
    assert not Donation.objects.filter(reference=reference).exists()

    load_demo()

    assert Donation.objects.filter(reference=reference).exists()


def test_load_demo_is_silent_at_verbosity_zero_and_reports_otherwise():
    assert load_demo(verbosity=0) == ""
    assert load_demo(verbosity=1).strip() != ""


def test_generated_demo_is_the_same_on_every_run():
    first, second = generator.build(), generator.build()

    assert first.donations == second.donations
    assert first.households == second.households


def test_programme_settings_exist_after_loading():
    assert ProgrammeSettings.objects.filter(pk=1).exists()
    assert ProgrammeSettings.load().area_name == "khu vực Tây Hòa (cũ), tỉnh Đắk Lắk"


# --- Every row is valid -----------------------------------------------------------------------

SMALL_TABLES = [Commune, Village, UnitGroup, Unit, GroupMembership, Assignment, Target, Repayment]
SAMPLED_TABLES = [Member, Household, HouseholdStatus, Student, Pledge, Donation]


@pytest.mark.parametrize("model", SMALL_TABLES, ids=lambda m: m.__name__)
def test_every_row_of_the_small_demo_tables_passes_model_validation(model):
    rows = list(model.objects.all())
    assert rows
    for row in rows:
        row.full_clean()


@pytest.mark.parametrize("model", SAMPLED_TABLES, ids=lambda m: m.__name__)
def test_a_sample_of_the_large_demo_tables_passes_model_validation(model):
    ids = sorted(model.objects.values_list("id", flat=True))
    for pk in random.Random(7).sample(ids, 150):
        model.objects.get(pk=pk).full_clean()


RELATED_FOR_CLEAN = {
    Member: [],
    Household: [],
    HouseholdStatus: [],
    Student: [],
    Pledge: ["member"],
    Donation: ["member", "pledge", "previous_loan"],
}


@pytest.mark.parametrize("model", SAMPLED_TABLES, ids=lambda m: m.__name__)
def test_every_row_of_the_large_demo_tables_passes_field_and_record_validation(model):
    """All rows through clean_fields() and clean(); the database itself has checked constraints and links."""
    links = [f.name for f in model._meta.concrete_fields if f.is_relation]  # one query each: left to the FKs
    rows = model.objects.select_related(*RELATED_FOR_CLEAN[model])
    for row in rows.iterator(chunk_size=2000):
        row.clean_fields(exclude=links)
        row.clean()


def test_every_demo_loan_and_labour_donation_passes_model_validation():
    rows = Donation.objects.filter(kind__in=["loan", "labour"]).select_related("member", "pledge", "previous_loan")
    assert rows.filter(kind="loan").count() >= 8
    for donation in rows:
        donation.full_clean()


def test_rules_across_records_hold_for_every_demo_donation_and_pledge():
    """The cross-record rules of clean(), checked on all rows with one query each."""
    assert not Donation.objects.filter(member__isnull=False).exclude(member__unit=F("unit")).exists()
    assert not Donation.objects.filter(pledge__isnull=False).exclude(pledge__unit=F("unit")).exists()
    assert not Donation.objects.filter(previous_loan__isnull=False).exclude(previous_loan__kind="loan").exists()
    assert not Pledge.objects.filter(member__isnull=False).exclude(member__unit=F("unit")).exists()
    # A village was in the assigned commune when the assignment began (the 2025 merger moved it since).
    assigned = Assignment.objects.filter(village__isnull=False).annotate(
        commune_then=commune_of_village_on(OuterRef("village_id"), OuterRef("start"))
    )
    assert not assigned.exclude(commune_then=F("commune_id")).exists()
    over_repaid = Donation.objects.loans().with_repaid().filter(repaid_vnd__gt=F("amount_vnd"))
    assert not over_repaid.exists()
    assert not Repayment.objects.filter(date__lt=F("loan__date")).exists()


def test_personal_id_numbers_are_invented_and_twelve_digits():
    numbers = Household.objects.exclude(id_number="").values_list("id_number", flat=True)
    assert numbers
    assert all(len(n) == 12 and n.isdigit() and n.startswith("0991") for n in numbers)


# --- The district's shape ---------------------------------------------------------------------


def test_the_2025_merger_maps_eleven_communes_into_four():
    for new_code, old_codes in MERGER.items():
        new = Commune.objects.get(code=new_code)
        assert new.successor is None
        assert set(new.predecessors.values_list("code", flat=True)) == old_codes
        assert set(Commune.objects.with_predecessors_of(new_code).values_list("code", flat=True)) == old_codes | {
            new_code
        }
    assert set(Commune.objects.filter(valid_to=datetime.date(2025, 6, 30)).values_list("code", flat=True)) == (
        OLD_COMMUNES
    )
    # The old and the new Hòa Thịnh share a name, not a code.
    assert Commune.objects.filter(name="Hòa Thịnh").count() == 2


def test_a_new_commune_reports_what_was_given_in_its_old_communes():
    review_in = {
        code: totals(commune=Commune.objects.get(code=code)) for code in MERGER["SON_THANH_2025"] | {"SON_THANH_2025"}
    }
    old_sum = sum(review_in[code]["total"]["money_vnd"] for code in MERGER["SON_THANH_2025"])
    direct = Donation.objects.filter(commune__code="SON_THANH_2025", kind="money")
    direct_sum = sum(direct.values_list("amount_vnd", flat=True))
    # From the merger the villages are the new commune's: what they receive is counted there alone.
    new_commune = Commune.objects.get(code="SON_THANH_2025")
    since_merger = totals(commune=new_commune, start=tables.MERGER_FIRST_DAY)["total"]["money_vnd"]
    assert old_sum > 0
    assert since_merger >= direct_sum > 0
    assert review_in["SON_THANH_2025"]["total"]["money_vnd"] == old_sum + since_merger
    for code in MERGER["SON_THANH_2025"]:
        old_commune = Commune.objects.get(code=code)
        assert totals(commune=old_commune, start=tables.MERGER_FIRST_DAY)["total"]["money_vnd"] == 0


def test_every_commune_had_four_to_eight_villages_with_ethnic_villages_in_the_mountains():
    before_merger = Village.objects.annotate(
        commune_then=commune_of_village_on(OuterRef("pk"), tables.MERGER_LAST_DAY, attribute="code")
    )
    per_commune = Counter(before_merger.values_list("commune_then", flat=True))
    assert set(per_commune) == OLD_COMMUNES
    assert all(4 <= n <= 8 for n in per_commune.values())
    assert set(before_merger.filter(kind="buon").values_list("commune_then", flat=True)) == {
        "SON_THANH_TAY",
        "SON_THANH_DONG",
        "HOA_MY_TAY",
    }
    assert set(before_merger.filter(kind="khu_pho").values_list("commune_then", flat=True)) == {"PHU_THU"}


def test_the_villages_of_the_merged_communes_belong_to_the_new_communes_from_the_merger():
    after_merger = Village.objects.annotate(
        commune_then=commune_of_village_on(OuterRef("pk"), tables.MERGER_FIRST_DAY, attribute="code")
    )
    for new_commune, old_communes in MERGER.items():
        old_villages = Village.objects.annotate(
            commune_then=commune_of_village_on(OuterRef("pk"), tables.MERGER_LAST_DAY, attribute="code")
        ).filter(commune_then__in=old_communes)
        assert set(after_merger.filter(commune_then=new_commune)) == set(old_villages)
        assert set(Village.objects.filter(commune__code=new_commune)) == set(old_villages)
    assert not Village.objects.filter(commune__code__in=OLD_COMMUNES).exists()


def test_two_villages_of_one_name_in_merging_communes_are_numbered_from_the_merger():
    shared = Village.objects.filter(names__name="Mỹ Hòa").order_by("name")
    assert [v.name for v in shared] == ["Mỹ Hòa 1", "Mỹ Hòa 2"]
    assert {v.name_on(tables.MERGER_LAST_DAY) for v in shared} == {"Mỹ Hòa"}
    assert {v.commune.code for v in shared} == {"HOA_THINH_2025"}


def test_the_groups_of_2018_keep_their_names_and_todays_groups_are_named_after_the_commune_they_help():
    group = UnitGroup.objects.get(code="NHOM_2018_01")
    assert group.name == "Nhóm 1 giúp đỡ Phú Thứ (từ 2018)" and not group.names.exists()
    today = Assignment.objects.filter(Q(end__isnull=True) | Q(end__gte=datetime.date(2026, 10, 31)))
    assert today.exists()
    for assignment in today.select_related("group", "commune"):
        assert assignment.commune.name in assignment.group.name


def test_no_demo_unit_is_ever_in_two_groups_at_once():
    periods = defaultdict(list)
    for unit, start, end in GroupMembership.objects.values_list("unit_id", "start", "end"):
        periods[unit].append((start, end or datetime.date.max))
    assert len(periods) >= 45
    for spans in periods.values():
        spans.sort()
        assert all(later_start > end for (_s, end), (later_start, _e) in zip(spans, spans[1:], strict=False))
    with pytest.raises(IntegrityError), transaction.atomic():
        GroupMembership.objects.create(
            unit=Unit.objects.get(code="BAN_DAN_VAN_HU"),
            group=UnitGroup.objects.get(code="NHOM_2014_1"),
            start=datetime.date(2020, 1, 1),
        )


@pytest.mark.parametrize("day", [datetime.date(2019, 1, 1), datetime.date(2025, 6, 30)])
def test_eleven_groups_each_help_one_commune_and_every_district_unit_is_in_one(day):
    groups = UnitGroup.objects.filter(code__startswith="NHOM_2018_")
    assert groups.count() == 11
    assigned = Assignment.objects.filter(active_on(day), group__in=groups, village__isnull=True)
    assert sorted(assigned.values_list("group__code", flat=True)) == sorted(groups.values_list("code", flat=True))
    assert set(assigned.values_list("commune__code", flat=True)) == OLD_COMMUNES
    district_units = Unit.objects.filter(code__in=DISTRICT_UNITS)
    in_groups = GroupMembership.objects.filter(active_on(day), group__in=groups, unit__in=district_units)
    assert in_groups.count() == district_units.count() >= 40
    assert in_groups.values("unit").distinct().count() == district_units.count()


@pytest.mark.parametrize("day", [datetime.date(2025, 7, 1), datetime.date(2026, 10, 31)])
def test_after_the_reform_a_group_of_provincial_bodies_helps_each_new_commune(day):
    assigned = Assignment.objects.filter(active_on(day))
    assert sorted(assigned.values_list("commune__code", flat=True)) == sorted(MERGER)
    assert set(assigned.values_list("group__name", flat=True)) == {
        f"Nhóm cơ quan tỉnh giúp đỡ xã {name}" for name in ("Tây Hòa", "Hòa Thịnh", "Hòa Mỹ", "Sơn Thành")
    }
    members = GroupMembership.objects.filter(active_on(day))
    assert sorted(members.values_list("unit__code", flat=True)) == sorted(PROVINCIAL_UNITS)
    assert all(
        name.endswith("Đắk Lắk") or "Tây Hòa" in name or "Sông Ba" in name
        for name in members.values_list("unit__name", flat=True)
    )


def test_the_eleven_groups_of_2018_end_with_the_district_level():
    groups = UnitGroup.objects.filter(code__startswith="NHOM_2018_")
    ends = Assignment.objects.filter(group__in=groups).values_list("end", flat=True)
    assert set(ends) == {LAST_DISTRICT_DAY}
    assert set(GroupMembership.objects.filter(group__in=groups).values_list("end", flat=True)) == {LAST_DISTRICT_DAY}


def test_no_district_unit_gives_pledges_or_belongs_to_a_group_after_the_district_level_ended():
    district_units = Unit.objects.filter(code__in=DISTRICT_UNITS)
    assert set(district_units.values_list("valid_to", flat=True)) == {LAST_DISTRICT_DAY}
    assert not Donation.objects.filter(unit__in=district_units, date__gt=LAST_DISTRICT_DAY).exists()
    assert not Pledge.objects.filter(unit__in=district_units, end__gt=LAST_DISTRICT_DAY).exists()
    assert (
        not GroupMembership.objects.filter(unit__in=district_units)
        .filter(Q(end__isnull=True) | Q(end__gt=LAST_DISTRICT_DAY))
        .exists()
    )
    assert not Target.objects.filter(unit__in=district_units, target_year__gt=2024).exists()
    # Nor any unit at all after its own last day.
    assert not Donation.objects.filter(date__gt=F("unit__valid_to")).exists()
    assert not Pledge.objects.filter(end__gt=F("unit__valid_to")).exists()
    assert not Unit.objects.existing_on(datetime.date(2025, 7, 1)).filter(code__in=DISTRICT_UNITS).exists()
    assert Unit.objects.existing_on(LAST_DISTRICT_DAY).filter(code__in=DISTRICT_UNITS).count() == len(DISTRICT_UNITS)


def test_after_the_reform_the_new_committees_and_provincial_bodies_carry_the_help_on():
    after = Donation.objects.filter(date__gt=LAST_DISTRICT_DAY)
    by_unit = dict(after.values_list("unit__code").annotate(n=Count("id")))
    committees = {code for code, _commune, _name in tables.NEW_COMMITTEES}
    assert committees <= set(by_unit)
    assert len(set(by_unit) & set(PROVINCIAL_UNITS)) >= 12
    assert set(by_unit) <= committees | set(PROVINCIAL_UNITS) | {code for code, _name in tables.OTHER_UNITS}
    # Roughly as much help after the reform as the district units and committees gave before the change.
    assert after.count() > 1000
    assert set(after.values_list("kind", flat=True)) == {"money", "goods", "labour", "loan"}
    provincial = after.filter(unit__code__in=PROVINCIAL_UNITS)
    assert provincial.filter(member__isnull=False).exists()
    assert Pledge.objects.filter(unit__code__in=PROVINCIAL_UNITS, start__gt=LAST_DISTRICT_DAY).exists()
    assert Pledge.objects.filter(unit__code__in=committees, start__gt=LAST_DISTRICT_DAY).exists()
    assert Repayment.objects.filter(loan__unit__code__in=PROVINCIAL_UNITS + sorted(committees)).exists()


def test_seven_groups_helped_disadvantaged_communes_and_villages_in_2014_2018():
    day = datetime.date(2016, 1, 1)
    assigned = Assignment.objects.filter(active_on(day))
    assert assigned.values("group").distinct().count() == 7
    assert all(assigned.filter(village__isnull=True).values_list("commune__disadvantaged", flat=True))
    assert assigned.filter(village__isnull=False).count() >= 7
    district_units = Unit.objects.filter(code__in=DISTRICT_UNITS)
    assert GroupMembership.objects.filter(active_on(day), unit__in=district_units).count() == district_units.count()


def test_units_of_every_kind_with_their_members():
    assert Unit.objects.filter(kind="district_unit", code__in=DEMO_UNITS).count() == len(DISTRICT_UNITS) + len(
        PROVINCIAL_UNITS
    )
    assert Unit.objects.filter(kind="commune_committee", commune__code__in=OLD_COMMUNES).count() >= 11
    assert Unit.objects.get(code="DU_PHU_THU").name == "Đảng ủy thị trấn Phú Thứ"
    assert Unit.objects.get(code="DU_HOA_BINH_1").name == "Đảng ủy xã Hòa Bình 1"
    members = Unit.objects.filter(code__in=DEMO_UNITS).annotate(n=Count("members")).values_list("n", flat=True)
    assert len(members) == len(DEMO_UNITS)
    assert all(4 <= n <= 12 for n in members)
    others = Donation.objects.filter(unit__kind="other", unit__code__in=DEMO_UNITS)
    assert others.exists()
    assert not others.filter(date__lte=datetime.date(2018, 12, 31)).exists()


def test_helped_households_escape_poverty_year_by_year():
    helped = Household.objects.filter(Exists(Donation.objects.filter(household=OuterRef("pk"))))
    escaped = helped.filter(with_change(Change.ESCAPED_POVERTY))
    assert escaped.count() >= 100
    for year in (2016, 2020, 2024):
        assert helped.filter(with_change(Change.ESCAPED_POVERTY, first_year=year, last_year=year)).exists()
    # Some fall back into poverty after escaping; some leave near-poverty.
    assert helped.filter(with_change(Change.FELL_BACK)).exists()
    assert helped.filter(with_change(Change.ESCAPED_NEAR_POVERTY)).exists()
    # Lists only: the old statuses' events and flag became derived changes and the at-risk flag.
    assert set(HouseholdStatus.objects.values_list("status", flat=True)) == {"poor", "near_poor", "average", "none"}
    assert HouseholdStatus.objects.filter(at_risk=True, status="none").exists()


def test_students_pledges_targets_and_loans_are_all_present():
    assert Student.objects.exclude(school="").exclude(grade="").count() >= 796
    assert Pledge.objects.filter(member__isnull=False, beneficiary_kind="household").exists()
    assert Pledge.objects.filter(beneficiary_kind="village").exists()
    sponsorships = Pledge.objects.filter(beneficiary_kind="student")
    assert sponsorships.count() >= 20
    assert Donation.objects.filter(pledge__in=sponsorships, student=F("pledge__student")).count() >= 20
    for pledge in sponsorships[:10]:
        pledge.full_clean()
    assert Donation.objects.filter(pledge__isnull=False, member__isnull=False).exists()
    assert set(Target.objects.values_list("kind", flat=True)) == {"model_village", "model_garden"}
    assert set(Target.objects.values_list("status", flat=True)) == {"planned", "in_progress", "achieved", "abandoned"}
    assert not Target.objects.filter(target_year__lte=2018).exists()
    assert Donation.objects.filter(kind="loan", previous_loan__isnull=False).exists()
    assert Repayment.objects.exists()
    assert Donation.objects.filter(commune__code__in=MERGER, date__gte=datetime.date(2025, 7, 1)).exists()


def test_demo_records_are_in_the_audit_trail_as_created_by_load_demo():
    from django.apps import apps

    for model, code in (("donations.DonationEvent", "UH-2016-00010"), ("households.HouseholdEvent", "HO-00001")):
        events = apps.get_model(model).objects.filter(pgh_label="insert", pgh_context__metadata__source="load_demo")
        key = "reference" if "Donation" in model else "code"
        assert events.filter(**{key: code}).count() == 1


def test_the_demo_has_rows_for_every_record_kind_of_the_registry_in_its_order():
    data = generator.build()

    # The issuing bodies are reference facts (apps.bodies.reference), not generated rows.
    generated = [name for name in RECORDS if name != "issuing_bodies"]
    assert [f.name for f in dataclasses.fields(data)] == generated
    assert all(getattr(data, name) for name in generated)


def test_the_news_credit_the_2018_review_to_its_author_in_its_own_words_and_tell_of_the_new_communes():
    from apps.demo.portal_content import REFORM_SLUG, REVIEW_SLUG
    from apps.portal.models import Article

    review = Article.objects.get(slug=REVIEW_SLUG)
    assert review.author == "Ngọc Phương – Ban Tuyên giáo Huyện ủy Tây Hòa"
    assert "Huyện ủy Tây Hòa tổ chức Hội nghị" in review.body and "Bí thư Huyện ủy" in review.body
    assert "người lao động" in review.body.replace("lao \n", "lao ").replace("\n", " ")
    for word in ("tiền mặt", "không lãi", "2025", "Đắk Lắk"):
        assert word not in review.body
    reform = Article.objects.get(slug=REFORM_SLUG)
    assert reform.published_on >= datetime.date(2025, 7, 1)
    assert all(name in reform.body for name in ("Tây Hòa", "Hòa Thịnh", "Hòa Mỹ", "Sơn Thành", "Đắk Lắk"))


def test_loading_again_corrects_a_review_still_credited_to_two_boards_but_not_an_edited_one():
    from apps.demo.portal_content import REVIEW_SLUG, load_portal_content
    from apps.portal.models import Article

    Article.objects.filter(slug=REVIEW_SLUG).update(author="Ban Dân vận Huyện ủy", publisher="Ban Tuyên giáo Huyện ủy")
    load_portal_content()
    review = Article.objects.get(slug=REVIEW_SLUG)
    assert (review.author, review.publisher) == (
        "Ngọc Phương – Ban Tuyên giáo Huyện ủy Tây Hòa",
        "Ban Tuyên giáo Huyện ủy Tây Hòa",
    )
    Article.objects.filter(slug=REVIEW_SLUG).update(author="Ban biên tập")
    load_portal_content()
    assert Article.objects.get(slug=REVIEW_SLUG).author == "Ban biên tập"
