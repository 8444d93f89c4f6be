"""Texts: a short one on one line, a long one with line breaks."""

from __future__ import annotations

import math
import random
import re
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.utils.translation import gettext as _

from ventanilla.catalog.fields.base import (
    FieldKind,
    Problems,
    localized,
    trimmed_length_pattern,
    trimmed_pattern,
)
from ventanilla.catalog.schema import FieldType
from ventanilla.core.text import text_problem

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

    from ventanilla.catalog.schema import FormField

# Where a service sets no `max`, texts still fit what a person writes (and a page shows).
SHORT_TEXT_MAX = 500
LONG_TEXT_MAX = 10_000
# Formats a generated definition may ask for (tests).
SAMPLE_PATTERNS = [r"[0-9]{4,10}", r"[A-Z]{2}-[0-9]{3}", r"[a-zñ]+( [a-zñ]+)*"]


class ShortText(FieldKind):
    name = FieldType.SHORT_TEXT
    default_max: ClassVar[int] = SHORT_TEXT_MAX
    demo_text: ClassVar[str] = "Texto de demostración"
    demo_max: ClassVar[int] = 150

    def least(self, field: FormField) -> int:
        """The fewest characters an answer may have (one: a blank answer is no answer)."""
        return max(math.ceil(field.min), 1) if field.min is not None else 1

    def most(self, field: FormField) -> int:
        """The most characters an answer may have: the service's `max`, else a default."""
        return int(field.max) if field.max is not None else self.default_max

    def clean(self, field: FormField, answer: Any, problems: Problems) -> Any:
        if not isinstance(answer, str):
            problems.add(_("Escriba un texto."))
            return None
        text = answer.strip()
        if field.min is not None and len(text) < field.min:
            problems.add(_("Escriba al menos %(n)s caracteres.") % {"n": int(field.min)})
        if len(text) > self.most(field):
            problems.add(_("Escriba como máximo %(n)s caracteres.") % {"n": self.most(field)})
        if field.pattern and not re.fullmatch(field.pattern, text):
            problems.add(localized(field.pattern_message) or _("El formato no es válido."))
        return text

    def json_schema(self, field: FormField) -> dict[str, Any]:
        low, high = self.least(field), self.most(field)
        schema: dict[str, Any] = {
            "type": "string",
            "$comment": f"Trimmed of surrounding spaces, {low} to {high} characters.",
            "pattern": trimmed_length_pattern(low, high),
        }
        if field.pattern:
            schema["allOf"] = [{"pattern": trimmed_pattern(field.pattern)}]
        return schema

    def example(self, field: FormField, rng: random.Random) -> Any:
        return self.demo_text[: int(field.max or self.demo_max)]

    def strategy(self, field: FormField) -> SearchStrategy[Any]:
        from hypothesis import strategies as st

        low, high = self.least(field), self.most(field)
        extra = "\n\t" if self.multiline else ""
        if field.pattern:
            text = st.from_regex(field.pattern, fullmatch=True)
        else:
            letters = st.characters(categories=["L", "M", "N", "P", "S", "Zs"])
            text = st.text(letters | st.sampled_from(f" {extra}"), max_size=min(high, low + 30))
        padding = st.sampled_from(["", " ", "\u00a0", f" {extra} "])

        def fits(value: str) -> bool:
            stripped = value.strip()
            return (
                low <= len(stripped) <= high
                and text_problem(value, multiline=self.multiline) is None
                and (not field.pattern or re.fullmatch(field.pattern, stripped) is not None)
            )

        return st.builds(lambda a, b, c: a + b + c, padding, text, padding).filter(fits)

    def options(self) -> SearchStrategy[dict[str, Any]]:
        from hypothesis import strategies as st

        lengths = st.tuples(st.integers(1, 4), st.integers(4, 40)).map(
            lambda b: {"min": Decimal(b[0]), "max": Decimal(b[1])}
        )
        return st.one_of(
            st.just({}),
            lengths,
            st.fixed_dictionaries({"max": st.integers(1, 60).map(Decimal)}),
            st.fixed_dictionaries({"pattern": st.sampled_from(SAMPLE_PATTERNS)}),
        )


class LongText(ShortText):
    name = FieldType.LONG_TEXT
    multiline = True
    default_max = LONG_TEXT_MAX
    demo_text = "Solicitud de demostración generada para mostrar el flujo del trámite."
    demo_max = 2000

    def form_fields(self, field: FormField) -> dict[str, forms.Field]:
        # `portal/js/count.js` counts the characters left against the limit.
        widget = forms.Textarea(attrs={"rows": 5, "data-count": str(self.most(field))})
        return {field.key: forms.CharField(widget=widget, **self.common(field))}
