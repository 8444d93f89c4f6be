"""A question answered by uploading one of the service's documents."""

from __future__ import annotations

import random
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext as _

from ventanilla.catalog.fields.base import FieldContext, FieldKind, Problems, localized
from ventanilla.catalog.schema import FieldType

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

    from ventanilla.catalog.schema import FormField


class FilesInput(forms.FileInput):
    allow_multiple_selected = True


class FilesField(forms.FileField):
    """The file input of a question: what it receives is checked by the filing step (type,
    size, count), which attaches it to the draft; the form only renders it."""

    def clean(self, data: Any, initial: Any = None) -> Any:
        return data


class File(FieldKind):
    """The answer is the key of the document (`document`), which the filing step fills in when
    that document is uploaded. Where the page can take the file (the context offers the
    document), the question is a file input in its place in the form; elsewhere the document
    is asked with the others."""

    name = FieldType.FILE
    uploaded = True

    def check(self, field: FormField) -> None:
        if not field.document:
            raise ValueError(f"field `{field.key}`: a file field names its `document`")
        if field.choices:
            raise ValueError(f"field `{field.key}`: only choice fields have `choices`")

    def form_fields(self, field: FormField) -> dict[str, forms.Field]:
        return {}

    def form_fields_for(self, field: FormField, context: FieldContext) -> dict[str, forms.Field]:
        asked = context.documents.get(field.document or "")
        if asked is None:
            return {}
        document = asked.document
        several = document.max_files > 1
        types = ", ".join(t.upper() for t in document.accepted_types)
        hint = [
            localized(field.help) or localized(document.description),
            _("Formato %(types)s, hasta %(size)s MB.")
            % {"types": types, "size": document.max_size_mb},
        ]
        if several:
            hint.append(
                _("Puede adjuntar hasta %(n)s archivos (por ejemplo, una foto por página).")
                % {"n": document.max_files}
            )
        elif asked.stored:
            hint.append(
                _("Ya adjuntó: %(name)s. Si elige otro archivo, lo reemplaza.")
                % {"name": asked.stored[0][1]}
            )
        accept = ",".join(".jpg,.jpeg" if t == "jpg" else f".{t}" for t in document.accepted_types)
        attrs = {"accept": accept}
        fields: dict[str, forms.Field] = {
            field.key: FilesField(
                label=localized(field.label),
                help_text=" ".join(h for h in hint if h),
                required=False,
                widget=FilesInput(attrs=attrs) if several else forms.FileInput(attrs=attrs),
            )
        }
        if several and asked.stored:
            fields[f"{field.key}__quitar"] = forms.MultipleChoiceField(
                label=_("Archivos que ya adjuntó: marque los que quiera quitar"),
                choices=list(asked.stored),
                widget=forms.CheckboxSelectMultiple,
                required=False,
            )
        return fields

    def display(self, field: FormField, answer: Any) -> str:
        # The answer is a document's key: the file itself is listed with the case's documents.
        return _("Archivo adjunto (está en los documentos)")

    def missing(self) -> str:
        return _("Adjunte este documento.")

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
