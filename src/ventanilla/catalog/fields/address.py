"""A street address in one of the city's localities."""

from __future__ import annotations

import random
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext as _

from ventanilla.catalog.fields.base import (
    FieldKind,
    Problems,
    localized,
    trimmed_length_pattern,
)
from ventanilla.catalog.schema import FieldType
from ventanilla.organization.selectors import locality_names

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

    from ventanilla.catalog.schema import FormField

PARTS = ("line", "locality")
ADDRESS_LINE_MIN = 5
ADDRESS_LINE_MAX = 200


def _localities() -> list[str]:
    return list(locality_names())


class Address(FieldKind):
    name = FieldType.ADDRESS

    def form_fields(self, field: FormField) -> dict[str, forms.Field]:
        label = localized(field.label)
        localities = list(locality_names().items())
        return {
            f"{field.key}__line": forms.CharField(
                label=_("%(label)s: dirección") % {"label": label},
                required=False,
                help_text=localized(field.help),
                widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
            ),
            f"{field.key}__locality": forms.ChoiceField(
                label=_("%(label)s: localidad") % {"label": label},
                choices=[("", "—"), *localities],
                required=False,
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
            problems.add(_("Escriba la dirección y elija la localidad."))
            return None
        given, locality = answer.get("line"), answer.get("locality")
        line = given.strip() if isinstance(given, str) else ""
        if len(line) < ADDRESS_LINE_MIN:
            problems.add(_("Escriba la dirección completa."), part="line")
        elif len(line) > ADDRESS_LINE_MAX:
            message = _("Escriba como máximo %(n)s caracteres.") % {"n": ADDRESS_LINE_MAX}
            problems.add(message, part="line")
        if not isinstance(locality, str) or locality not in locality_names():
            problems.add(_("Elija la localidad."), part="locality")
        return {"line": line, "locality": locality}

    def json_schema(self, field: FormField) -> dict[str, Any]:
        return {
            "type": "object",
            "properties": {
                "line": {
                    "type": "string",
                    "$comment": f"Trimmed of surrounding spaces, {ADDRESS_LINE_MIN} to "
                    f"{ADDRESS_LINE_MAX} characters.",
                    "pattern": trimmed_length_pattern(ADDRESS_LINE_MIN, ADDRESS_LINE_MAX),
                },
                "locality": {"type": "string", "enum": _localities()},
            },
            "required": list(PARTS),
            "additionalProperties": False,
        }

    def display(self, field: FormField, answer: Any) -> str:
        if not isinstance(answer, Mapping):
            return str(answer)
        locality = locality_names().get(answer.get("locality") or "")
        return ", ".join(
            str(part) for part in (answer.get("line"), locality or answer.get("locality")) if part
        )

    def example(self, field: FormField, rng: random.Random) -> Any:
        localities = _localities()
        street, number, plate = rng.randint(1, 200), rng.randint(1, 99), rng.randint(1, 99)
        return {"line": f"Calle {street} No. {number}-{plate}", "locality": rng.choice(localities)}

    def strategy(self, field: FormField) -> SearchStrategy[Any]:
        from hypothesis import strategies as st

        localities = _localities()
        if not localities:
            return st.nothing()
        line = st.builds(
            lambda kind, street, n, plate, pad: f"{pad}{kind} {street} # {n}-{plate}{pad}",
            st.sampled_from(["Calle", "Carrera", "Av.", "Transversal", "Diagonal"]),
            st.integers(1, 250),
            st.integers(1, 99),
            st.integers(1, 99),
            st.sampled_from(["", " "]),
        )
        return st.builds(
            lambda line, locality: {"line": line, "locality": locality},
            line,
            st.sampled_from(localities),
        )
