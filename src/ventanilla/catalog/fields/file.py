"""A question answered by uploading one of the service's documents."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext as _

from ventanilla.catalog.fields.base import FieldKind, Problems
from ventanilla.catalog.schema import FieldType

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

    from ventanilla.catalog.schema import FormField


class File(FieldKind):
    """The answer is the key of the document (`document`), which the filing step fills in when
    that document is uploaded; the portal asks for it on its documents page."""

    name = FieldType.FILE
    uploaded = True

    def check(self, field: FormField) -> None:
        if not field.document:
            raise ValueError(f"field `{field.key}`: a file field names its `document`")
        if field.choices:
            raise ValueError(f"field `{field.key}`: only choice fields have `choices`")

    def form_fields(self, field: FormField) -> dict[str, forms.Field]:
        return {}

    def initial(self, field: FormField, answer: Any) -> dict[str, Any]:
        return {}

    def clean(self, field: FormField, answer: Any, problems: Problems) -> Any:
        if answer != field.document:
            problems.add(_("Adjunte el documento que se pide."))
            return None
        return answer

    def json_schema(self, field: FormField) -> dict[str, Any]:
        return {
            "type": "string",
            "const": field.document,
            "$comment": "The key of a document uploaded with the case.",
        }

    def example(self, field: FormField, rng: random.Random) -> Any:
        return field.document

    def strategy(self, field: FormField) -> SearchStrategy[Any]:
        from hypothesis import strategies as st

        return st.just(field.document)

    def options(self) -> SearchStrategy[dict[str, Any]]:
        from hypothesis import strategies as st

        return st.sampled_from(["cedula", "recibo"]).map(lambda key: {"document": key})
