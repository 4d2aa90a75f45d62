"""Numbers and dates as Vietnamese civil servants write them (issue 2, part 2)."""

import datetime

from django import forms
from django.template import Context, Template
from django.utils import formats, translation


def render(source: str, **context) -> str:
    return Template("{% load humanize %}" + source).render(Context(context))


def test_money_groups_thousands_with_dots_in_vietnamese():
    with translation.override("vi"):
        assert render("{{ amount|intcomma }}", amount=745_000_000) == "745.000.000"
        assert formats.number_format(745_000_000, use_l10n=True, force_grouping=True) == "745.000.000"
        assert render("{{ amount }}", amount=745_000_000) == "745.000.000"


def test_quantities_group_thousands_and_mark_decimals_with_a_comma():
    with translation.override("vi"):
        assert render("{{ rice }}", rice=1009) == "1.009"
        assert formats.number_format(12.5, decimal_pos=1) == "12,5"


def test_dates_print_day_first():
    with translation.override("vi"):
        assert render('{{ day|date:"SHORT_DATE_FORMAT" }}', day=datetime.date(2018, 10, 24)) == "24/10/2018"


class DayForm(forms.Form):
    day = forms.DateField()


def test_a_date_typed_day_first_means_that_day():
    with translation.override("vi"):
        form = DayForm({"day": "05/03/2025"})
        assert form.is_valid()
        assert form.cleaned_data["day"] == datetime.date(2025, 3, 5)


def test_a_date_typed_with_dashes_is_accepted_day_first():
    with translation.override("vi"):
        form = DayForm({"day": "05-03-2025"})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["day"] == datetime.date(2025, 3, 5)


def test_a_month_past_twelve_is_refused_rather_than_read_in_us_order():
    with translation.override("vi"):
        assert not DayForm({"day": "03/25/2025"}).is_valid()


def test_weeks_start_on_monday():
    with translation.override("vi"):
        assert formats.get_format("FIRST_DAY_OF_WEEK") == 1
