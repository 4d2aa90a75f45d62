"""The administrative order an issuing body sets for its communes (issue 12: "Vietnamese alphabetical order, or
the administrative order the body sets"), in the report's table by commune, kept by an approved report."""

import datetime

import pytest
from django.urls import reverse

from apps.bodies.selectors import issuer_for
from apps.communes.models import Commune
from apps.reports.models import CommuneOrder

REVIEW = {"from": "2014-02-14", "to": "2018-10-24"}
START, END = datetime.date(2014, 2, 14), datetime.date(2018, 10, 24)
SUMMARY = reverse("reports:summary")


@pytest.fixture
def body(db):
    return issuer_for(start=START, end=END, commune=None).body


def communes_in_table(client, query=REVIEW) -> list[str]:
    tables = client.get(SUMMARY, query).context["tables"]
    return [str(row[0]) for row in next(t for t in tables if t["key"] == "communes")["rows"] if row[0] != "Tổng cộng"]


def test_the_body_s_order_comes_first_then_the_rest_in_vietnamese_order_and_approval_keeps_it(client, leader, body):
    client.force_login(leader)
    alphabetical = communes_in_table(client)
    assert alphabetical.index("Thị trấn Phú Thứ") > alphabetical.index("Xã Hòa Bình 1")  # "Thị" after "Hòa"
    town = Commune.objects.get(name="Phú Thứ")
    last = Commune.objects.get(name="Sơn Thành Tây")
    CommuneOrder.objects.create(issuer=body, commune=town, position=1)
    CommuneOrder.objects.create(issuer=body, commune=last, position=2)

    ordered = communes_in_table(client)

    assert ordered[:2] == ["Thị trấn Phú Thứ", "Xã Sơn Thành Tây"]
    assert ordered[2:] == [name for name in alphabetical if name not in ordered[:2]]

    client.post(reverse("reports:approve"), {**REVIEW, "date": "24/10/2018"})
    CommuneOrder.objects.all().delete()
    assert communes_in_table(client) == ordered  # as approved
    assert communes_in_table(client, {"from": "2014-02-14", "to": "2016-12-31"})[0] != "Thị trấn Phú Thứ"


def test_another_body_s_order_changes_nothing(client, leader, body):
    client.force_login(leader)
    alphabetical = communes_in_table(client)
    other = issuer_for(
        start=datetime.date(2025, 7, 1), end=datetime.date(2025, 12, 31), commune=Commune.objects.get(name="Tây Hòa")
    ).body
    CommuneOrder.objects.create(issuer=other, commune=Commune.objects.get(name="Sơn Thành Tây"), position=1)

    assert communes_in_table(client) == alphabetical
