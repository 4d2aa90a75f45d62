"""One way of reading a written date, for the importer, the reports and the open data."""

import datetime

import pytest

from apps.core.dates import BadDate, NoSuchDay, parse_date


@pytest.mark.parametrize("text", ["24/10/2018", "2018-10-24", " 2018-10-24 "])
def test_a_date_is_read_as_day_month_year_or_iso(text):
    assert parse_date(text) == datetime.date(2018, 10, 24)


def test_the_open_data_reads_only_iso_dates():
    assert parse_date("2018-10-24", strict_iso=True) == datetime.date(2018, 10, 24)
    with pytest.raises(BadDate):
        parse_date("24/10/2018", strict_iso=True)


@pytest.mark.parametrize("text", ["20181024", "2018-W43-3", "24.10.2018", "yesterday", ""])
def test_text_not_written_as_a_date_is_refused(text):
    with pytest.raises(BadDate):
        parse_date(text)


@pytest.mark.parametrize("text", ["31/02/2021", "2018-13-01"])
def test_a_day_that_does_not_exist_is_told_apart(text):
    with pytest.raises(NoSuchDay):
        parse_date(text)
