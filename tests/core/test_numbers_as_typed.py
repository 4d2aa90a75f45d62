"""Numbers as staff type them: one rule for the admin's forms and the importer (issue 13)."""

from decimal import Decimal

import pytest
from django.utils import translation

from apps.core import numbers
from apps.core.forms import MoneyField, QuantityField
from apps.imports import parsing


@pytest.mark.parametrize("text", ["1.500.000", "1500000", "1 500 000", "1.500.000 đ", "1.500.000đ", "1.500.000 VNĐ"])
def test_an_amount_typed_as_on_a_receipt_is_one_and_a_half_million_in_the_form_and_the_import(text):
    assert MoneyField().clean(text) == 1_500_000
    assert parsing.parse_money(text) == 1_500_000


@pytest.mark.parametrize("text", ["1,500,000", "1.500.000,5", "12.5", "1.50.000", "abc", "-5"])
def test_an_amount_that_is_not_whole_dong_is_refused_by_the_form_and_the_import(text):
    with pytest.raises(Exception) as form_error:
        MoneyField().clean(text)
    with pytest.raises(parsing.CellError) as import_error:
        parsing.parse_money(text)
    assert form_error.value.messages == [str(import_error.value)]


@pytest.mark.parametrize(("text", "expected"), [("12,5", Decimal("12.5")), ("1.009", Decimal("1009")), ("40", 40)])
def test_a_quantity_is_read_the_vietnamese_way(text, expected):
    assert QuantityField(max_digits=12, decimal_places=2).clean(text) == expected


def test_an_english_decimal_point_is_refused_with_the_reason():
    with translation.override("vi"), pytest.raises(numbers.BadNumber) as error:
        numbers.parse_quantity("12.5")
    assert "12,5" in error.value.message
    assert "1.009" in error.value.message


def test_an_amount_is_shown_grouped_in_the_form():
    with translation.override("vi"):
        assert MoneyField().prepare_value(1_500_000) == "1.500.000"
        assert QuantityField().prepare_value(Decimal("12.50")) == "12,5"
