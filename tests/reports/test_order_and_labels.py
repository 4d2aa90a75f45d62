"""The report's tables name the commune party committees' sector and list names in Vietnamese order."""

import datetime

import pytest
from django.utils import translation

from apps.bodies.selectors import issuer_for, sector_labels_for
from apps.core.collation import vietnamese_key
from apps.reports.documents import report_tables
from apps.reports.selectors import report_figures

REVIEW = {"start": datetime.date(2014, 2, 14), "end": datetime.date(2018, 10, 24)}


@pytest.fixture
def review_tables(db):
    figures = report_figures(**REVIEW)
    body = issuer_for(**REVIEW, commune=None).body
    with translation.override("vi"):
        labels = {**sector_labels_for(body=body), "total": "Tổng cộng"}
        tables = {t["key"]: t for t in report_tables(figures, labels)}
        yield figures, tables, labels


def test_commune_committees_are_their_own_row_in_the_group_table(review_tables):
    figures, tables, labels = review_tables
    names = [str(row[0]) for row in tables["groups"]["rows"]]
    assert "Đơn vị không thuộc nhóm" not in names
    committees = names.index(labels["commune_committees"])
    # The committees' row holds exactly the committees' sector: 745.320.000 đồng in the review.
    assert (
        tables["groups"]["rows"][committees][1] == figures["sectors"]["commune_committees"]["money_vnd"] == 745_320_000
    )
    assert committees == len(names) - 1  # after the groups


def test_groups_and_communes_in_vietnamese_alphabetical_order(review_tables):
    figures, tables, _labels = review_tables
    groups = [row["name"] for row in figures["groups"] if row["name"]]
    communes = [row["name"] for row in figures["communes"]]
    assert len(communes) > 3
    assert groups == sorted(groups, key=vietnamese_key)
    assert communes == sorted(communes, key=vietnamese_key)
    if "Hòa Đồng" in communes and "Hòa Tân Tây" in communes:
        assert communes.index("Hòa Đồng") < communes.index("Hòa Tân Tây")
