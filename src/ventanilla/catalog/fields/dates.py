"""A calendar date, written year-month-day as the date input sends it."""

from __future__ import annotations

import random
import re
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ventanilla.catalog.fields.base import FieldKind, Problems
from ventanilla.catalog.schema import FieldType

if TYPE_CHECKING:
    from collections.abc import Mapping

    from hypothesis.strategies import SearchStrategy

    from ventanilla.catalog.schema import FormField

# RFC 3339's full-date, which JSON Schema's `date` format names.
ISO_DATE = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"


def date_from_text(text: str) -> date | None:
    """The date `text` writes as YYYY-MM-DD, or None."""
    if not re.fullmatch(ISO_DATE, text):
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


class CalendarDate(FieldKind):
    name = FieldType.DATE

    def form_fields(self, field: FormField) -> dict[str, forms.Field]:
        widget = forms.DateInput(attrs={"type": "date"})
        return {field.key: forms.CharField(widget=widget, **self.common(field))}

    def from_form(self, field: FormField, data: Mapping[str, Any]) -> Any:
        text = data.get(field.key, "")
        return text.strip() if isinstance(text, str) else text

    def clean(self, field: FormField, answer: Any, problems: Problems) -> Any:
        day = date_from_text(answer) if isinstance(answer, str) else None
        if day is None:
            problems.add(_("Escriba una fecha válida (año-mes-día)."))
            return None
        return day.isoformat()

    def json_schema(self, field: FormField) -> dict[str, Any]:
        return {"type": "string", "format": "date", "pattern": f"^{ISO_DATE}$"}

    def display(self, field: FormField, answer: Any) -> str:
        """In words, in the reader's language: "3 de abril de 2015", "April 3, 2015"."""
        day = date_from_text(answer) if isinstance(answer, str) else None
        return date_format(day, "DATE_FORMAT") if day is not None else str(answer)

    def example(self, field: FormField, rng: random.Random) -> Any:
        return (date(2015, 1, 1) + timedelta(days=rng.randint(0, 1500))).isoformat()

    def strategy(self, field: FormField) -> SearchStrategy[Any]:
        from hypothesis import strategies as st

        return st.dates().map(date.isoformat)
