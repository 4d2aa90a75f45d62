"""The period and scope parameters, read the same way by the results page, the open data and the reports."""

import datetime

import pytest
from django.http import QueryDict

from apps.donations.params import BAD_DATE, FROM_AFTER_TO, parse_period_scope


def test_the_open_data_refuses_a_day_month_year_date_that_the_reports_accept():
    query = QueryDict("from=24/10/2018")
    assert parse_period_scope(query).start == datetime.date(2018, 10, 24)
    assert parse_period_scope(query, strict_iso=True).errors == [str(BAD_DATE % {"name": "from"})]


def test_a_missing_or_bad_date_takes_the_callers_default_and_every_problem_is_listed():
    scope = parse_period_scope(QueryDict("from=2019-13-01&to=2018-01-01"), start=datetime.date(2018, 6, 1))
    assert scope.start == datetime.date(2018, 6, 1)
    assert scope.errors == [str(BAD_DATE % {"name": "from"}), str(FROM_AFTER_TO)]


@pytest.mark.django_db
def test_an_unknown_commune_and_group_are_both_named():
    scope = parse_period_scope(QueryDict("commune=NO_SUCH_COMMUNE&group=NO_SUCH_GROUP"))
    assert len(scope.errors) == 2
    assert "NO_SUCH_COMMUNE" in scope.errors[0] and "NO_SUCH_GROUP" in scope.errors[1]
