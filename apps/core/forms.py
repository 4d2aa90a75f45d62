"""Form fields that read numbers as staff type them, with the importer's rules (:mod:`apps.core.numbers`).

Every admin form of the programme uses them for its amounts in VND and its decimal quantities
(:class:`apps.core.admin_base.TypedAsWrittenMixin`): "1.500.000", "1500000" and "1.500.000 đ" are one
and a half million; "12,5" is twelve and a half; "12.5" is refused with the reason.
"""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from apps.core import numbers


class _TypedNumberMixin:
    """A text box (a browser's number box would turn "1.500.000" into "1.500000"), grouped when shown."""

    parse = staticmethod(numbers.parse_money)

    def widget_attrs(self, widget):
        # No min/max/step: they belong to <input type="number">, which cannot hold "1.500.000".
        attrs = forms.Field.widget_attrs(self, widget)  # type: ignore[arg-type]
        if isinstance(widget, forms.TextInput):
            attrs.setdefault("inputmode", self.input_mode)
            attrs.setdefault("autocomplete", "off")
        return attrs

    def to_python(self, value):
        if value in self.empty_values or (isinstance(value, str) and not value.strip()):
            return None
        try:
            return self.parse(value)
        except numbers.BadNumber as exc:
            raise ValidationError(exc.message, code="invalid") from exc

    def prepare_value(self, value):
        if isinstance(value, (int, Decimal)) and not isinstance(value, bool):
            return numbers.grouped(value)
        return value


class MoneyField(_TypedNumberMixin, forms.IntegerField):
    """An amount in whole VND, typed as on a receipt."""

    widget = forms.TextInput
    input_mode = "numeric"

    def __init__(self, **kwargs):
        kwargs.pop("max_digits", None)
        super().__init__(**kwargs)


class QuantityField(_TypedNumberMixin, forms.DecimalField):
    """A quantity or a number of labour days: "1.009" and "12,5" as Vietnamese write them."""

    widget = forms.TextInput
    input_mode = "decimal"
    parse = staticmethod(numbers.parse_quantity)
