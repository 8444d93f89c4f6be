"""An identity document: its type (cédula, tarjeta de identidad, NIT…) and its number."""

from __future__ import annotations

import functools
import random
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ventanilla.accounts.id_documents import (
    IdType,
    id_number_pattern,
    nit_check_digit,
    validate_id_number,
)
from ventanilla.catalog.fields.base import FieldKind, Problems, localized
from ventanilla.catalog.schema import FieldType

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

    from ventanilla.catalog.schema import FormField

PARTS = ("type", "number")
_TOKEN = re.compile(r"\[[^\]]*\]|\\d|\{\d+(?:,\d+)?\}|.")


@functools.cache
def typed_number_pattern(id_type: str) -> str:
    """The numbers of `id_type` as people type them: the separators they put between digits
    (which `accounts` drops before checking the number) and lower-case letters."""
    separators = r"[\s.]*" if id_type == IdType.NIT else r"[\s.-]*"
    pattern = []
    for token in _TOKEN.findall(id_number_pattern(id_type)):
        if token.startswith("{") or token in {"?", "*", "+", "|"}:
            pattern.append(token)  # a quantifier or an alternative: of the groups around it
        else:
            pattern.append(f"(?:{token.replace('A-Z', 'A-Za-z')}{separators})")
    return f"{separators}(?:{''.join(pattern)})"


def id_types_of(field: FormField) -> list[str]:
    """The kinds of document the question accepts, in the order offered."""
    return list(field.id_types or IdType.values)


class IdDocument(FieldKind):
    name = FieldType.ID_DOCUMENT
    unstated = (gettext_lazy("El dígito de verificación del NIT no corresponde."),)

    def check(self, field: FormField) -> None:
        unknown = sorted(set(field.id_types or []) - set(IdType.values))
        if unknown:
            known = ", ".join(IdType.values)
            raise ValueError(
                f"field `{field.key}`: unknown `id_types` {', '.join(unknown)}; known: {known}"
            )
        if field.id_types is not None and len(set(field.id_types)) != len(field.id_types):
            raise ValueError(f"field `{field.key}`: `id_types` names a kind twice")
        super().check(field.model_copy(update={"id_types": None}))

    def form_fields(self, field: FormField) -> dict[str, forms.Field]:
        label = localized(field.label)
        return {
            f"{field.key}__type": forms.ChoiceField(
                label=_("%(label)s: tipo de documento") % {"label": label},
                choices=[("", "—"), *((t, IdType(t).label) for t in id_types_of(field))],
                required=False,
                help_text=localized(field.help),
            ),
            f"{field.key}__number": forms.CharField(
                label=_("%(label)s: número") % {"label": label}, required=False
            ),
        }

    def from_form(self, field: FormField, data: Mapping[str, Any]) -> Any:
        return {part: data.get(f"{field.key}__{part}", "") for part in PARTS}

    def initial(self, field: FormField, answer: Any) -> dict[str, Any]:
        if not isinstance(answer, Mapping):
            return {}
        return {f"{field.key}__{part}": value for part, value in answer.items()}

    def clean(self, field: FormField, answer: Any, problems: Problems) -> Any:
        if not isinstance(answer, Mapping) or set(answer) - set(PARTS):
            problems.add(_("Indique el tipo y el número del documento."))
            return None
        id_type, number = answer.get("type"), answer.get("number")
        if not isinstance(id_type, str) or id_type not in id_types_of(field):
            problems.add(_("Elija el tipo de documento de la lista."), part="type")
            return None
        typed = number if isinstance(number, str) else ""
        if not re.fullmatch(typed_number_pattern(id_type), typed):
            typed = ""  # what no number looks like: the type's hint says what it should
        try:
            return {"type": id_type, "number": validate_id_number(id_type, typed)}
        except ValidationError as error:
            problems.add(error.messages[0], part="number")
            return None

    def json_schema(self, field: FormField) -> dict[str, Any]:
        return {
            "type": "object",
            "properties": {
                "type": {"type": "string", "enum": id_types_of(field)},
                "number": {"type": "string"},
            },
            "required": list(PARTS),
            "additionalProperties": False,
            "allOf": [
                {
                    "if": {"properties": {"type": {"const": id_type}}},
                    "then": {
                        "properties": {"number": {"pattern": f"^{typed_number_pattern(id_type)}$"}}
                    },
                }
                for id_type in id_types_of(field)
            ],
        }

    def display(self, field: FormField, answer: Any) -> str:
        if isinstance(answer, Mapping):
            id_type = str(answer.get("type") or "")
            kind = IdType(id_type).label if id_type in IdType.values else id_type
            return " ".join(str(part) for part in (kind, answer.get("number")) if part)
        return str(answer)

    def example(self, field: FormField, rng: random.Random) -> Any:
        types = id_types_of(field)
        if IdType.CC in types:
            return {"type": "CC", "number": str(rng.randint(10_000_000, 99_999_999))}
        if types == [IdType.NIT]:
            base = str(rng.randint(800_000_000, 999_999_999))
            return {"type": "NIT", "number": f"{base}-{nit_check_digit(base)}"}
        # Ten digits fit every other kind (TI, RC, CE, PA, PPT).
        id_type = next(t for t in types if t != IdType.NIT)
        return {"type": id_type, "number": str(rng.randint(1_000_000_000, 9_999_999_999))}

    def strategy(self, field: FormField) -> SearchStrategy[Any]:
        from hypothesis import strategies as st

        def numbers(id_type: str) -> SearchStrategy[dict[str, str]]:
            if id_type == IdType.NIT:
                canonical = st.from_regex(r"[0-9]{9}", fullmatch=True).map(
                    lambda base: f"{base}{'-' if int(base[0]) % 2 else ''}{nit_check_digit(base)}"
                )
                marks = ["", "", ".", " "]
            else:
                canonical = st.from_regex(
                    id_number_pattern(id_type),
                    fullmatch=True,
                    alphabet=st.characters(codec="ascii"),
                )
                marks = ["", "", ".", " ", "-"]
            typed = canonical.flatmap(
                lambda number: st.lists(
                    st.sampled_from(marks), min_size=len(number), max_size=len(number)
                ).map(lambda seps: "".join(c + s for c, s in zip(number, seps, strict=True)))
            )
            lower = st.booleans()
            return st.builds(
                lambda text, low: {"type": id_type, "number": text.lower() if low else text},
                typed,
                lower,
            )

        return st.sampled_from(id_types_of(field)).flatmap(numbers)

    def options(self) -> SearchStrategy[dict[str, Any]]:
        from hypothesis import strategies as st

        kinds = st.lists(st.sampled_from(list(IdType.values)), min_size=1, unique=True)
        return st.one_of(st.just({}), kinds.map(lambda types: {"id_types": types}))
