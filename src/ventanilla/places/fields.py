"""The form questions a school-place application adds to the form kit (`catalog.fields`):

- `home_address`: the home's street and locality, and its position when the family shares it
  (a button fills it from the phone's location; without it the locality's centre stands in);
- `school`: one school of the season (the siblings' school), nearest home first;
- `ranked_schools`: the schools a family ranks, each a school and shift that teaches the grade
  asked before, nearest home first, with the distance.

What a question cannot know alone (that the school teaches the grade, how many the season asks
for) the season's filing check says (`places.applying`).
"""

from __future__ import annotations

import random
import re
from collections.abc import Mapping
from decimal import ROUND_CEILING, Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ventanilla.catalog.fields import FieldContext, FieldKind, Problems, localized, register
from ventanilla.catalog.fields.address import Address
from ventanilla.catalog.fields.base import trimmed_pattern
from ventanilla.places import selectors
from ventanilla.places.rules import Answers, SeasonDefinition

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

    from ventanilla.catalog.schema import FormField
    from ventanilla.places.models import Season

VALUE = re.compile(r"^[A-Z0-9][A-Z0-9_-]{0,19}:[a-z][a-z0-9_]{0,49}$")
VALUE_PATTERN = VALUE.pattern
SCHOOL_CODE = r"[A-Z0-9][A-Z0-9_-]{0,19}"
SCHOOL = re.compile(SCHOOL_CODE)


def _km(metres: int | None) -> str:
    if metres is None:
        return ""
    return _("%(km)s km") % {"km": f"{metres / 1000:.1f}".replace(".", ",")}


class HomeAddress(Address):
    """An address, and where it is when the family shares the phone's location."""

    name = "home_address"  # type: ignore[assignment]

    def form_fields(self, field: FormField) -> dict[str, forms.Field]:
        inputs = super().form_fields(field)
        for part in ("lat", "lon"):
            inputs[f"{field.key}__{part}"] = forms.FloatField(
                required=False, widget=forms.HiddenInput(attrs={"data-home": part})
            )
        return inputs

    def from_form(self, field: FormField, data: Mapping[str, Any]) -> Any:
        answer = super().from_form(field, data)
        for part in ("lat", "lon"):
            text = str(data.get(f"{field.key}__{part}", "") or "").strip()
            try:
                answer[part] = float(text) if text else None
            except ValueError:
                answer[part] = text
        return answer

    def clean(self, field: FormField, answer: Any, problems: Problems) -> Any:
        if not isinstance(answer, Mapping):
            return super().clean(field, answer, problems)
        lat, lon = answer.get("lat"), answer.get("lon")
        cleaned = super().clean(
            field, {k: v for k, v in answer.items() if k in {"line", "locality"}}, problems
        )
        if lat is None and lon is None:
            return cleaned
        if not (
            isinstance(lat, int | float)
            and isinstance(lon, int | float)
            and -90 <= lat <= 90
            and -180 <= lon <= 180
        ):
            problems.add(_("La ubicación no es válida. Vuelva a compartirla u omítala."))
            return cleaned
        return {**(cleaned or {}), "lat": round(float(lat), 6), "lon": round(float(lon), 6)}

    def json_schema(self, field: FormField) -> dict[str, Any]:
        schema = super().json_schema(field)
        coordinate = {"anyOf": [{"type": "number"}, {"type": "null"}]}
        schema["properties"] = {
            **schema["properties"],
            "lat": {**coordinate, "$comment": "Latitude, -90 to 90; with lon, or neither."},
            "lon": {**coordinate, "$comment": "Longitude, -180 to 180."},
        }
        return schema

    # The pair goes together and within range: the schema only says "a number or null".
    unstated = (gettext_lazy("La ubicación no es válida. Vuelva a compartirla u omítala."),)

    def initial(self, field: FormField, answer: Any) -> dict[str, Any]:
        if not isinstance(answer, Mapping):
            return {}
        return {f"{field.key}__{part}": value for part, value in answer.items()}


class School(FieldKind):
    """One school of the season, by its code."""

    name = "school"

    def form_fields_for(self, field: FormField, context: FieldContext) -> dict[str, forms.Field]:
        season, rules = _season_of(context)
        home = selectors.home_of(context.answers.get(_key(rules, "home")))
        points = selectors.schools_near(season, home) if season is not None else []
        return {
            field.key: forms.ChoiceField(
                choices=[("", "—"), *[(p.code, p.name) for p in points]], **self.common(field)
            )
        }

    def clean(self, field: FormField, answer: Any, problems: Problems) -> Any:
        if not isinstance(answer, str) or not SCHOOL.fullmatch(answer.strip()):
            problems.add(_("Elija el colegio de la lista."))
            return None
        return answer.strip()

    def json_schema(self, field: FormField) -> dict[str, Any]:
        return {
            "type": "string",
            "pattern": trimmed_pattern(SCHOOL_CODE),
            "$comment": "A school's code.",
        }

    def display(self, field: FormField, answer: Any) -> str:
        return _school_name(str(answer)) or str(answer)

    def example(self, field: FormField, rng: random.Random) -> Any:
        from ventanilla.organization.models import ServicePoint, ServicePointKind

        codes = list(
            ServicePoint.objects.filter(kind=ServicePointKind.SCHOOL).values_list("code", flat=True)
        )
        return rng.choice(codes) if codes else "IED-0001"

    def strategy(self, field: FormField) -> SearchStrategy[Any]:
        from hypothesis import strategies as st

        return st.from_regex(SCHOOL, fullmatch=True)


class RankedSchools(FieldKind):
    """Schools in the order the family wants them: `["COL-0001:manana", …]`."""

    name = "ranked_schools"
    SLOTS = 10

    def check(self, field: FormField) -> None:
        super().check(field)
        if field.max is not None and field.max > self.SLOTS:
            raise ValueError(f"field `{field.key}`: at most {self.SLOTS} schools are ranked")

    def _slots(self, field: FormField) -> int:
        return int(field.max) if field.max is not None else self.SLOTS

    def form_fields_for(self, field: FormField, context: FieldContext) -> dict[str, forms.Field]:
        season, rules = _season_of(context)
        grade = context.answers.get(_key(rules, "grade"))
        home = selectors.home_of(context.answers.get(_key(rules, "home")))
        near = (
            selectors.offers_near(season, grade=str(grade), home=home)
            if season is not None and grade
            else []
        )
        shifts = {s.key: localized(s.label) for s in rules.shifts} if rules is not None else {}
        choices = [("", "—")] + [
            (
                n.value,
                " · ".join(
                    part
                    for part in (
                        n.offer.point.name,
                        shifts.get(n.offer.shift, n.offer.shift),
                        _km(n.metres),
                    )
                    if part
                ),
            )
            for n in near
        ]
        inputs: dict[str, forms.Field] = {}
        for slot in range(1, self._slots(field) + 1):
            inputs[f"{field.key}__{slot}"] = forms.ChoiceField(
                label=_("%(n)s.ª opción") % {"n": slot},
                choices=choices,
                required=False,
                help_text=localized(field.help) if slot == 1 else "",
            )
        return inputs

    def form_fields(self, field: FormField) -> dict[str, forms.Field]:
        return self.form_fields_for(field, FieldContext())

    def from_form(self, field: FormField, data: Mapping[str, Any]) -> Any:
        picked = [
            str(data.get(f"{field.key}__{slot}", "") or "").strip()
            for slot in range(1, self._slots(field) + 1)
        ]
        return [value for value in picked if value]

    def initial(self, field: FormField, answer: Any) -> dict[str, Any]:
        if not isinstance(answer, list):
            return {}
        return {f"{field.key}__{i}": value for i, value in enumerate(answer, start=1)}

    def clean(self, field: FormField, answer: Any, problems: Problems) -> Any:
        if not isinstance(answer, list) or any(
            not isinstance(v, str) or not VALUE.match(v) for v in answer
        ):
            problems.add(_("Elija los colegios de la lista."))
            return None
        if len(set(answer)) != len(answer):
            problems.add(_("Cada colegio puede ir una sola vez en su lista."))
            return None
        if field.min is not None and len(answer) < field.min:
            problems.add(_("Elija al menos %(n)s colegios, en orden.") % {"n": int(field.min)})
        if len(answer) > self._slots(field):
            problems.add(_("Elija como máximo %(n)s colegios.") % {"n": self._slots(field)})
        return answer

    def json_schema(self, field: FormField) -> dict[str, Any]:
        schema: dict[str, Any] = {
            "type": "array",
            "items": {"type": "string", "pattern": VALUE_PATTERN},
            "uniqueItems": True,
            "maxItems": self._slots(field),
            "$comment": "School code and shift, most wanted first (GET the season's offers).",
        }
        if field.min is not None and field.min > 0:
            schema["minItems"] = int(Decimal(field.min).to_integral_value(ROUND_CEILING))
        return schema

    def display(self, field: FormField, answer: Any) -> str:
        if not isinstance(answer, list):
            return str(answer)
        shifts = selectors.shift_labels()
        names = []
        for rank, value in enumerate(answer, start=1):
            code, _colon, shift = str(value).partition(":")
            school = _school_name(code) or code
            names.append(
                _("%(rank)s. %(school)s, jornada %(shift)s")
                % {"rank": rank, "school": school, "shift": shifts.get(shift, shift).lower()}
            )
        return "; ".join(names)

    def example(self, field: FormField, rng: random.Random) -> Any:
        return []

    def strategy(self, field: FormField) -> SearchStrategy[Any]:
        from hypothesis import strategies as st

        low = int(field.min or 1)
        high = self._slots(field)
        if low > high:
            return st.nothing()
        return st.lists(
            st.from_regex(VALUE, fullmatch=True), min_size=low, max_size=high, unique=True
        )


def _school_name(code: str) -> str:
    from ventanilla.organization.models import ServicePoint

    return ServicePoint.objects.filter(code=code).values_list("name", flat=True).first() or ""


def _season_of(context: FieldContext) -> tuple[Season | None, SeasonDefinition | None]:
    """The season the service's applications go to today, with its rules (None, None for a
    service without one: the question then lists nothing)."""
    found = selectors.season_of_service(context.service_id)
    return (found[0], found[1].parsed) if found else (None, None)


def _key(rules: SeasonDefinition | None, what: str) -> str:
    """The question that carries `what` (`grade`, `home`) in the season's rules."""
    names = rules.answers if rules is not None else Answers()
    return str(getattr(names, what))


def register_all() -> None:
    for kind in (HomeAddress(), School(), RankedSchools()):
        register(kind)
