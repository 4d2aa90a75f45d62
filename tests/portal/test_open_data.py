import csv
import datetime
import io

import pytest
from django.urls import reverse

from apps.donations.selectors import totals
from tests.factories import DonationFactory, GroupMembershipFactory, HouseholdFactory, UnitGroupFactory

pytestmark = pytest.mark.django_db

SUMMARY = reverse("portal:summary_json")
REVIEW = {"from": "2014-02-14", "to": "2018-10-24"}
TOTALS_KEYS = {"money_vnd", "loans_vnd", "labour_days", "goods", "household_visits", "households", "students"}


def test_summary_of_the_review_period_has_the_contracts_shape_and_the_review_figures(client):
    data = client.get(SUMMARY, REVIEW).json()
    assert set(data) == {"from", "to", "scope", "sectors", "total"}
    assert data["from"] == "2014-02-14" and data["to"] == "2018-10-24"
    assert data["scope"] == {"commune": None, "group": None}
    assert set(data["sectors"]) == {"district_units", "commune_committees", "other"}
    for figures in [*data["sectors"].values(), data["total"]]:
        assert set(figures) == TOTALS_KEYS
    units, committees = data["sectors"]["district_units"], data["sectors"]["commune_committees"]
    assert 490_000_000 < units["money_vnd"] < 500_000_000  # "gần 500 triệu đồng"
    assert units["loans_vnd"] == 49_000_000
    assert units["goods"] == {
        "gao": {"name": "Gạo", "measure": "kg", "quantity": 30},
        "duong": {"name": "Đường", "measure": "kg", "quantity": 48},
    }
    assert 745_000_000 < committees["money_vnd"] < 746_000_000  # "trên 745 triệu đồng"
    assert committees["labour_days"] == 40
    assert {code: item["quantity"] for code, item in committees["goods"].items()} == {
        "gao": 1009,
        "sach": 97,
        "vo": 1075,
        "quan_ao": 59,
        "xe_dap": 17,
    }
    assert data["sectors"]["other"]["money_vnd"] == 0 and data["sectors"]["other"]["goods"] == {}
    assert data["total"]["household_visits"] == 1325
    assert data["total"]["students"] == 796
    assert data["total"] == totals(start=datetime.date(2014, 2, 14), end=datetime.date(2018, 10, 24))["total"]


def test_either_date_may_be_left_out(client):
    only_from = client.get(SUMMARY, {"from": "2018-10-25"}).json()
    only_to = client.get(SUMMARY, {"to": "2018-10-24"}).json()
    everything = client.get(SUMMARY).json()
    assert only_from["to"] is None and only_to["from"] is None and everything["from"] is None
    assert only_from["total"] == totals(start=datetime.date(2018, 10, 25))["total"]
    assert only_to["total"] == totals(end=datetime.date(2018, 10, 24))["total"]
    assert everything["total"]["money_vnd"] == only_to["total"]["money_vnd"] + only_from["total"]["money_vnd"]


def test_commune_scope_includes_the_communes_merged_into_it(client, merged_communes):
    old_home = HouseholdFactory(village=merged_communes["old_village"])
    new_home = HouseholdFactory(village=merged_communes["new_village"])
    DonationFactory(household=old_home, amount_vnd=2_000_000, date=datetime.date(2020, 5, 1))
    DonationFactory(household=new_home, amount_vnd=3_000_000, date=datetime.date(2025, 8, 1))
    new = client.get(SUMMARY, {"commune": merged_communes["new"].code}).json()
    old = client.get(SUMMARY, {"commune": merged_communes["old"].code}).json()
    assert new["scope"] == {"commune": merged_communes["new"].code, "group": None}
    assert new["total"]["money_vnd"] == 5_000_000
    assert new["total"]["households"] == 2
    assert old["total"]["money_vnd"] == 2_000_000


def test_group_scope_counts_units_only_while_they_were_in_the_group(client):
    group = UnitGroupFactory()
    membership = GroupMembershipFactory(group=group, start=datetime.date(2016, 1, 1), end=datetime.date(2016, 12, 31))
    DonationFactory(unit=membership.unit, amount_vnd=4_000_000, date=datetime.date(2016, 6, 1))
    DonationFactory(unit=membership.unit, amount_vnd=9_000_000, date=datetime.date(2017, 6, 1))
    data = client.get(SUMMARY, {"group": group.code, "from": "2016-01-01"}).json()
    assert data["scope"] == {"commune": None, "group": group.code}
    assert data["sectors"]["district_units"]["money_vnd"] == 4_000_000
    assert data["total"]["household_visits"] == 1


@pytest.mark.parametrize(
    "params, mentions",
    [
        ({"from": "2018-13-01"}, "from"),
        ({"to": "24/10/2018"}, "to"),
        ({"from": "yesterday"}, "from"),
        ({"from": "20181024"}, "from"),
        ({"from": "2018-10-24", "to": "2014-02-14"}, "from"),
        ({"commune": "NO_SUCH_COMMUNE"}, "NO_SUCH_COMMUNE"),
        ({"group": "NO_SUCH_GROUP"}, "NO_SUCH_GROUP"),
    ],
)
@pytest.mark.parametrize("url", [SUMMARY, reverse("portal:summary_csv")])
def test_a_bad_parameter_answers_400_with_a_message(client, url, params, mentions):
    response = client.get(url, params)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/json")
    assert mentions in response.json()["error"]


def test_csv_has_one_row_per_sector_and_the_total_with_a_column_per_item(client):
    response = client.get(reverse("portal:summary_csv"), REVIEW)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [row["sector"] for row in rows] == ["district_units", "commune_committees", "other", "total"]
    by_sector = {row["sector"]: row for row in rows}
    assert by_sector["total"]["household_visits"] == "1325"
    assert by_sector["total"]["students"] == "796"
    assert by_sector["district_units"]["loans_vnd"] == "49000000"
    assert by_sector["commune_committees"]["goods_vo"] == "1075"
    assert by_sector["district_units"]["goods_duong"] == "48"
    assert by_sector["commune_committees"]["goods_duong"] == "0"
    assert by_sector["total"]["goods_gao"] == "1039"
    assert by_sector["total"]["from"] == "2014-02-14"
