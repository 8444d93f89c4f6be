"""A form field type from outside `catalog`: a Colombian vehicle plate, three letters and three
digits, however people space and case them."""

from __future__ import annotations

import random
import re
from typing import TYPE_CHECKING, Any

from ventanilla.catalog.fields import FieldKind, Problems

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

    from ventanilla.catalog.schema import FormField

PLATE = re.compile(r"[A-Z]{3}[0-9]{3}")


class VehiclePlate(FieldKind):
    name = "vehicle_plate"

    def clean(self, field: FormField, answer: Any, problems: Problems) -> Any:
        plate = answer.replace(" ", "").upper() if isinstance(answer, str) else ""
        if not PLATE.fullmatch(plate):
            problems.add("Escriba la placa como ABC123.")
            return None
        return plate

    def json_schema(self, field: FormField) -> dict[str, Any]:
        return {"type": "string", "pattern": "^ *(?:[A-Za-z] *){3}(?:[0-9] *){3}$"}

    def display(self, field: FormField, answer: Any) -> str:
        plate = str(answer).replace(" ", "").upper()
        return f"{plate[:3]}-{plate[3:]}"

    def example(self, field: FormField, rng: random.Random) -> Any:
        return "ABC123"

    def strategy(self, field: FormField) -> SearchStrategy[Any]:
        from hypothesis import strategies as st

        plate = st.from_regex(PLATE, fullmatch=True, alphabet=st.characters(codec="ascii"))
        return st.builds(
            lambda text, lower, gap: (text.lower() if lower else text)[:3] + gap + text[3:],
            plate,
            st.booleans(),
            st.sampled_from(["", " "]),
        )
