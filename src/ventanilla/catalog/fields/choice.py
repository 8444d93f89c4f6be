"""Questions answered by picking: one option, several options, yes or no."""

from __future__ import annotations

import random
from decimal import ROUND_CEILING, Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext as _

from ventanilla.catalog.fields.base import FieldKind, Problems, localized
from ventanilla.catalog.schema import FieldType

if TYPE_CHECKING:
    from collections.abc import Mapping

    from hypothesis.strategies import SearchStrategy

    from ventanilla.catalog.schema import FormField

# What a browser (or a person at a counter) may send for yes and no.
YES = frozenset({"yes", "true", "si", "sí"})
NO = frozenset({"no", "false"})


def _values(field: FormField) -> list[str]:
    return [c.value for c in field.choices or []]


def _labels(field: FormField) -> dict[str, str]:
    return {c.value: localized(c.label) for c in field.choices or []}


def _label(field: FormField, value: Any) -> str:
    labels = _labels(field)
    return labels[value] if isinstance(value, str) and value in labels else str(value)


def _ceil(value: Decimal) -> int:
    return int(value.to_integral_value(rounding=ROUND_CEILING))


class Choice(FieldKind):
    name = FieldType.CHOICE

    def check(self, field: FormField) -> None:
        if not field.choices:
            raise ValueError(f"field `{field.key}`: a {field.type} field needs `choices`")
        if field.document:
            raise ValueError(f"field `{field.key}`: only file fields name a `document`")
        if len(set(_values(field))) != len(field.choices):
            raise ValueError(f"field `{field.key}`: two choices have the same value")

    def form_fields(self, field: FormField) -> dict[str, forms.Field]:
        choices = list(_labels(field).items())
        return {
            field.key: forms.ChoiceField(
                choices=choices, widget=forms.RadioSelect, **self.common(field)
            )
        }

    def clean(self, field: FormField, answer: Any, problems: Problems) -> Any:
        if not isinstance(answer, str) or answer not in _values(field):
            problems.add(_("Elija una de las opciones."))
            return None
        return answer

    def json_schema(self, field: FormField) -> dict[str, Any]:
        return {"type": "string", "enum": _values(field)}

    def display(self, field: FormField, answer: Any) -> str:
        return _label(field, answer)

    def example(self, field: FormField, rng: random.Random) -> Any:
        return rng.choice(field.choices or []).value

    def strategy(self, field: FormField) -> SearchStrategy[Any]:
        from hypothesis import strategies as st

        return st.sampled_from(_values(field))

    def options(self) -> SearchStrategy[dict[str, Any]]:
        from hypothesis import strategies as st

        return st.lists(
            st.sampled_from(["a", "b", "otro", "no_sabe", "1", "si"]),
            min_size=1,
            max_size=5,
            unique=True,
        ).map(
            lambda values: {"choices": [{"value": v, "label": {"es": v, "en": v}} for v in values]}
        )


class MultiChoice(Choice):
    name = FieldType.MULTI_CHOICE

    def form_fields(self, field: FormField) -> dict[str, forms.Field]:
        choices = list(_labels(field).items())
        return {
            field.key: forms.MultipleChoiceField(
                choices=choices, widget=forms.CheckboxSelectMultiple, **self.common(field)
            )
        }

    def from_form(self, field: FormField, data: Mapping[str, Any]) -> Any:
        getlist = getattr(data, "getlist", None)
        return getlist(field.key) if getlist is not None else data.get(field.key, [])

    def clean(self, field: FormField, answer: Any, problems: Problems) -> Any:
        allowed = _values(field)
        if not isinstance(answer, list) or any(
            not isinstance(v, str) or v not in allowed for v in answer
        ):
            problems.add(_("Elija entre las opciones dadas."))
            return None
        if len(set(answer)) != len(answer):
            problems.add(_("Elija cada opción una sola vez."))
            return None
        if field.min is not None and len(answer) < field.min:
            problems.add(_("Elija al menos %(n)s opciones.") % {"n": int(field.min)})
        if field.max is not None and len(answer) > field.max:
            problems.add(_("Elija como máximo %(n)s opciones.") % {"n": int(field.max)})
        return [v for v in allowed if v in answer]

    def json_schema(self, field: FormField) -> dict[str, Any]:
        schema: dict[str, Any] = {
            "type": "array",
            "items": {"type": "string", "enum": _values(field)},
            "uniqueItems": True,
        }
        if field.min is not None and field.min > 0:
            schema["minItems"] = _ceil(field.min)
        if field.max is not None:
            schema["maxItems"] = max(int(field.max), 0)
        return schema

    def display(self, field: FormField, answer: Any) -> str:
        values = answer if isinstance(answer, list) else [answer]
        return ", ".join(_label(field, v) for v in values)

    def example(self, field: FormField, rng: random.Random) -> Any:
        minimum = int(field.min or 1)
        return [c.value for c in (field.choices or [])[: max(1, minimum)]]

    def strategy(self, field: FormField) -> SearchStrategy[Any]:
        from hypothesis import strategies as st

        values = _values(field)
        low = _ceil(field.min) if field.min is not None else 1
        high = min(int(field.max), len(values)) if field.max is not None else len(values)
        if max(low, 1) > high:
            return st.nothing()
        return st.lists(st.sampled_from(values), min_size=max(low, 1), max_size=high, unique=True)

    def options(self) -> SearchStrategy[dict[str, Any]]:
        from hypothesis import strategies as st

        def counts(choices: dict[str, Any]) -> SearchStrategy[dict[str, Any]]:
            n = len(choices["choices"])
            return st.one_of(
                st.just(choices),
                st.integers(1, n).map(lambda low: {**choices, "min": Decimal(low)}),
                st.integers(1, n).map(lambda high: {**choices, "max": Decimal(high)}),
            )

        return super().options().flatmap(counts)


class YesNo(FieldKind):
    name = FieldType.YES_NO

    def form_fields(self, field: FormField) -> dict[str, forms.Field]:
        return {
            field.key: forms.ChoiceField(
                choices=[("yes", _("Sí")), ("no", _("No"))],
                widget=forms.RadioSelect,
                **self.common(field),
            )
        }

    def from_form(self, field: FormField, data: Mapping[str, Any]) -> Any:
        text = data.get(field.key, "")
        if text in YES:
            return True
        if text in NO:
            return False
        return text

    def initial(self, field: FormField, answer: Any) -> dict[str, Any]:
        if isinstance(answer, bool):
            return {field.key: "yes" if answer else "no"}
        return {field.key: answer}

    def clean(self, field: FormField, answer: Any, problems: Problems) -> Any:
        if not isinstance(answer, bool):
            problems.add(_("Responda sí o no."))
            return None
        return answer

    def json_schema(self, field: FormField) -> dict[str, Any]:
        return {"type": "boolean"}

    def display(self, field: FormField, answer: Any) -> str:
        if isinstance(answer, bool):
            return _("Sí") if answer else _("No")
        return str(answer)

    def example(self, field: FormField, rng: random.Random) -> Any:
        return False

    def strategy(self, field: FormField) -> SearchStrategy[Any]:
        from hypothesis import strategies as st

        return st.booleans()
