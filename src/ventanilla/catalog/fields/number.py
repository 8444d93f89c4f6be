"""A number, within the service's `min` and `max`."""

from __future__ import annotations

import math
import random
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext as _

from ventanilla.catalog.fields.base import FieldKind, Problems
from ventanilla.catalog.schema import FieldType

if TYPE_CHECKING:
    from collections.abc import Mapping

    from hypothesis.strategies import SearchStrategy

    from ventanilla.catalog.schema import FormField

# Up to fifteen digits before the decimal point: what a person counts, and what a float keeps.
NUMBER_DIGITS_MAX = 15
NUMBER_LIMIT = 10**NUMBER_DIGITS_MAX


def _json_number(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def number_from_text(text: str) -> int | float | None:
    """What a person typed, as a number: a decimal comma or point, spaces around; else None."""
    try:
        number = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        return None
    return _json_number(number) if number.is_finite() else None


class Number(FieldKind):
    name = FieldType.NUMBER

    def form_fields(self, field: FormField) -> dict[str, forms.Field]:
        widget = forms.TextInput(attrs={"inputmode": "decimal"})
        return {field.key: forms.CharField(widget=widget, **self.common(field))}

    def from_form(self, field: FormField, data: Mapping[str, Any]) -> Any:
        text = data.get(field.key, "")
        if not isinstance(text, str) or not text.strip():
            return text
        number = number_from_text(text)
        return text if number is None else number

    def clean(self, field: FormField, answer: Any, problems: Problems) -> Any:
        # A JSON number only: the form turns "12,5" into 12.5 before it gets here.
        number = (
            Decimal(str(answer))
            if isinstance(answer, int | float) and not isinstance(answer, bool)
            else Decimal("NaN")
        )
        if not number.is_finite() or number.adjusted() >= NUMBER_DIGITS_MAX:
            problems.add(_("Escriba un número."))
            return None
        if field.min is not None and number < field.min:
            problems.add(_("El número debe ser al menos %(n)s.") % {"n": field.min})
        if field.max is not None and number > field.max:
            problems.add(_("El número debe ser como máximo %(n)s.") % {"n": field.max})
        return _json_number(number)

    def json_schema(self, field: FormField) -> dict[str, Any]:
        schema: dict[str, Any] = {
            "type": "number",
            "exclusiveMinimum": -NUMBER_LIMIT,
            "exclusiveMaximum": NUMBER_LIMIT,
        }
        if field.min is not None:
            schema["minimum"] = _json_number(field.min)
        if field.max is not None:
            schema["maximum"] = _json_number(field.max)
        return schema

    def example(self, field: FormField, rng: random.Random) -> Any:
        low = int(field.min if field.min is not None else 1)
        high = int(field.max if field.max is not None else low + 10)
        return rng.randint(low, max(low, high))

    def strategy(self, field: FormField) -> SearchStrategy[Any]:
        from hypothesis import strategies as st

        low = field.min if field.min is not None else Decimal(-NUMBER_LIMIT + 1)
        high = field.max if field.max is not None else Decimal(NUMBER_LIMIT - 1)
        low, high = max(low, Decimal(-NUMBER_LIMIT + 1)), min(high, Decimal(NUMBER_LIMIT - 1))

        def fits(x: int | float) -> bool:
            number = Decimal(str(x))
            return (
                number.is_finite()
                and low <= number <= high
                and number.adjusted() < NUMBER_DIGITS_MAX
            )

        numbers = [
            st.decimals(min_value=low, max_value=high, places=2).map(_json_number),
            st.floats(min_value=float(low), max_value=float(high)),
        ]
        if math.ceil(low) <= math.floor(high):
            numbers.append(st.integers(min_value=math.ceil(low), max_value=math.floor(high)))
        return st.one_of(numbers).filter(fits)

    def options(self) -> SearchStrategy[dict[str, Any]]:
        from hypothesis import strategies as st

        bound = st.decimals(min_value=-1000, max_value=100_000, places=1)
        return st.one_of(
            st.just({}),
            st.fixed_dictionaries({"min": bound}),
            st.tuples(bound, bound).map(lambda b: {"min": min(b), "max": max(b)}),
        )
