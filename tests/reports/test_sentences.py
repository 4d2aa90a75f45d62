"""The report's sentences leave out every count that is zero ("0 quá hạn", "0 đồng (0 đồng)" never printed)."""

import re

import pytest
from django.utils import translation

from apps.reports.documents import report_sentences


def _figures(*, visits=0, students=0, money=0, statuses=(0, 0, 0, 0), promised=0, given=0, helped=0, escaped=0):
    fulfilled, on_track, behind, overdue = statuses
    return {
        "total": {"household_visits": visits, "students": students, "money_vnd": money},
        "pledges": {
            "count": sum(statuses),
            "fulfilled": fulfilled,
            "on_track": on_track,
            "behind": behind,
            "overdue": overdue,
            "promised_vnd": promised,
            "given_vnd": given,
        },
        "households": {"helped": helped, "escaped": escaped},
    }


@pytest.fixture(autouse=True)
def _vietnamese():
    with translation.override("vi"):
        yield


def test_nothing_at_all_writes_no_sentence():
    assert set(report_sentences(_figures()).values()) == {""}


def test_a_zero_status_is_left_out_of_the_pledge_sentence():
    sentences = report_sentences(_figures(statuses=(3, 0, 2, 0), promised=5_000_000))
    assert sentences["pledges"] == "Trong 5 đăng ký giúp đỡ thực hiện trong kỳ, có 3 đã hoàn thành và 2 chậm tiến độ."
    assert sentences["promised"] == "Tổng số tiền đăng ký: 5.000.000 đồng."


def test_every_status_is_listed_with_commas_and_a_last_and():
    sentences = report_sentences(_figures(statuses=(1, 2, 3, 4)))
    assert sentences["pledges"].endswith("có 1 đã hoàn thành, 2 đạt tiến độ, 3 chậm tiến độ và 4 quá hạn.")


@pytest.mark.parametrize(
    "figures",
    [
        _figures(visits=12),
        _figures(students=4, money=500_000),
        _figures(statuses=(0, 0, 0, 1), helped=3),
        _figures(statuses=(1, 0, 0, 0), promised=1, given=1, helped=2, escaped=1),
    ],
)
def test_no_sentence_prints_a_zero(figures):
    for sentence in report_sentences(figures).values():
        assert not re.search(r"(?<![\d.,])0(?![\d.,])", sentence), sentence


def test_money_in_all_is_said_truly():
    assert report_sentences(_figures(money=500_000))["money"] == "Tổng số tiền ủng hộ: 500 nghìn đồng (500.000 đồng)."
