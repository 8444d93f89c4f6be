"""One module for a service's form: validate answers, render a section, export JSON Schema, show
answers to people.

What every question shares lives here: a hidden question (its `visible_if` does not hold) is
ignored, an empty answer is refused only when required, no answer carries control characters,
and no answer is given to a question the form does not ask. The rest belongs to the question's
type (`catalog.fields`): its inputs, its rule, its JSON Schema, how its answer reads. The rules
live in `validate_answers`, which the portal, the API and the assisted channel all call; the
Django form built by `section_form` only renders the inputs and turns what was posted into
answers. Answers are JSON:

    short_text, long_text, email, phone, date ("YYYY-MM-DD"), choice  → string
    number → number; yes_no → boolean; multi_choice → list of strings
    id_document → {"type": "CC", "number": "52123456"}
    address → {"line": "Calle 1 # 2-3", "locality": "08"}
    file → the key of an uploaded document (filled in by the filing step)

`json_schema` publishes exactly the rule of `validate_answers` for the API (with the `date`
and `email` formats asserted), except for what a type declares JSON Schema cannot say (the
check digit of a NIT).
"""

from __future__ import annotations

import copy
import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.utils.translation import gettext as _

from ventanilla.catalog.fields import FieldContext, FieldKind, Problems, field_kind
from ventanilla.catalog.schema import FormField, FormSchema, FormSection, VisibleIf
from ventanilla.core.forms import Form
from ventanilla.core.text import (
    MULTI_LINE_FORBIDDEN,
    SINGLE_LINE_FORBIDDEN,
    strings_in,
    text_problem,
)


@dataclass
class Validation:
    answers: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def fail(self, path: str, message: str) -> None:
        self.errors.setdefault(path, []).append(message)


def kind_of(form_field: FormField) -> FieldKind:
    """The type of `form_field`, which knows its inputs, its rule and how it reads."""
    return field_kind(form_field.type)


def is_visible(form_field: FormField, answers: Mapping[str, Any]) -> bool:
    condition = form_field.visible_if
    return condition is None or condition.holds(answers.get(condition.field))


def shown_values(condition: VisibleIf) -> list[str]:
    """The values a browser posts for the answer that shows a conditional question (a yes/no
    question posts `yes` or `no`)."""
    if condition.one_of is not None:
        return list(condition.one_of)
    if isinstance(condition.equals, bool):
        return ["yes" if condition.equals else "no"]
    return [str(condition.equals)]


def is_asked_on_page(form_field: FormField) -> bool:
    """False for a question answered by uploading a document: a file input asks it (on its
    page where the channel takes files there, else with the documents), not a text input."""
    return not kind_of(form_field).uploaded


def _empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, list | dict):
        return not any(
            not _empty(v) for v in (value.values() if isinstance(value, dict) else value)
        )
    return False


def _text_problem(kind: FieldKind, value: Any) -> str | None:
    """The plain-text rule of `core.text` for every string of an answer."""
    for text in strings_in(value):
        problem = text_problem(text, multiline=kind.multiline)
        if problem is not None:
            return problem
    return None


def validate_answers(
    schema: FormSchema, raw: Mapping[str, Any], *, sections: list[str] | None = None
) -> Validation:
    """Check `raw` answers against `schema` (only the named `sections`, when given).

    Hidden fields (their `visible_if` does not hold for the answers given) are dropped, never
    required. Errors are keyed by field path (`key`, or `key.number` inside a compound answer).
    """
    result = Validation()
    unknown = set(raw) - {f.key for f in schema.fields}
    for key in sorted(unknown):
        result.fail(key, _("Esta pregunta no existe en el formulario."))
    for section in schema.sections:
        if sections is not None and section.key not in sections:
            continue
        for f in section.fields:
            value = raw.get(f.key)
            if not is_visible(f, raw):
                continue
            kind = kind_of(f)
            if _empty(value):
                if f.required:
                    result.fail(f.key, kind.missing())
                continue
            problem = _text_problem(kind, value)
            if problem is not None:
                result.fail(f.key, problem)
                continue
            problems = Problems()
            cleaned = kind.clean(f, value, problems)
            for part, messages in problems.by_part.items():
                for message in messages:
                    result.fail(f"{f.key}.{part}" if part else f.key, message)
            if not problems:
                result.answers[f.key] = cleaned
    return result


# --- People ---------------------------------------------------------------------------------


def answer_text(form_field: FormField, value: Any) -> str:
    """An answer as a person reads it: on the review page, on the official's case page."""
    if _empty(value):
        return "—"
    return kind_of(form_field).display(form_field, value)


@dataclass(frozen=True)
class AnswerRow:
    label: str
    value: str


def answer_rows(schema: FormSchema, answers: Mapping[str, Any], language: str) -> list[AnswerRow]:
    """The answers given, in the form's order, as a person reads them: on the official's and
    on the citizen's case page. A file question says its file is with the documents."""
    return [
        AnswerRow(f.label.get(language), answer_text(f, answers[f.key]))
        for f in schema.fields
        if f.key in answers
    ]


# --- Rendering ------------------------------------------------------------------------------


class SectionForm(Form):
    """Renders one section; `validate_answers` decides what is right."""

    section: FormSection

    def raw_answers(self) -> dict[str, Any]:
        """Posted strings → raw answers keyed by schema field."""
        return {
            f.key: kind_of(f).from_form(f, self.data)
            for f in self.section.fields
            if is_asked_on_page(f)
        }

    def show_errors(self, errors: Mapping[str, list[str]]) -> None:
        """Attach `validate_answers` errors to the rendered fields."""
        for path, messages in errors.items():
            key, _dot, part = path.partition(".")
            name = f"{key}__{part}" if part else key
            if name not in self.fields:
                name = next((n for n in self.fields if n.startswith(f"{key}__")), key)
            for message in messages:
                self.add_error(name if name in self.fields else None, message)


def section_form(
    section: FormSection,
    *,
    data: Mapping[str, Any] | None = None,
    answers: Mapping[str, Any] | None = None,
    prefix: str | None = None,
    context: FieldContext | None = None,
) -> SectionForm:
    """A form for one section, filled with `data` (a POST) or with earlier `answers`; `context`
    lets a question narrow its inputs by what was answered before."""
    fields: dict[str, forms.Field] = {}
    initial: dict[str, Any] = {}
    context = context or FieldContext(answers=answers or {})
    on_page = {f.key for f in section.fields}
    for f in section.fields:
        kind = kind_of(f)
        condition = f.visible_if
        if condition is not None and condition.field not in on_page:
            if not condition.holds(context.answers.get(condition.field)):
                continue  # an answer on an earlier page hides it: it is not asked
            condition = None
        made = kind.form_fields_for(f, context)
        if not f.required:
            for name, made_field in made.items():
                if not name.endswith("__quitar"):  # files to take off: not a question
                    made_field.label = _("%(label)s (opcional)") % {"label": made_field.label}
        if condition is not None:
            # The page shows it only while the answer above holds (`conditional.js`); without
            # JavaScript it is shown, and an answer to it is dropped if the condition fails.
            values = json.dumps(shown_values(condition))
            for made_field in made.values():
                made_field.shown_when = (condition.field, values)  # type: ignore[attr-defined]
        fields.update(made)
        value = (answers or {}).get(f.key)
        if value is not None:
            initial.update(kind.initial(f, value))
    form_class = type("ServiceSectionForm", (SectionForm,), {**fields, "section": section})
    return form_class(data=data, initial=initial, prefix=prefix)  # type: ignore[no-any-return]


# --- JSON Schema ----------------------------------------------------------------------------


def _no_control_characters(forbidden: str) -> dict[str, Any]:
    """Every string inside the value, keys included, lacks the `forbidden` characters."""
    no_string_with = {"not": {"type": "string", "pattern": forbidden}}
    return {"propertyNames": {"not": {"pattern": forbidden}}, **no_string_with}


# Shared definitions: the answers the form kit treats as not given, and the plain-text rule.
DEFINITIONS: dict[str, Any] = {
    "empty": {
        "$comment": "No answer: null, blank text, or a list or object of such.",
        "anyOf": [
            {"type": "null"},
            {"type": "string", "pattern": r"^\s*$"},
            {"type": "array", "items": {"$ref": "#/$defs/empty"}},
            {"type": "object", "additionalProperties": {"$ref": "#/$defs/empty"}},
        ],
    },
    "one_line": {
        "$comment": "No control characters, tab or line break in any text.",
        **_no_control_characters(SINGLE_LINE_FORBIDDEN.pattern),
        "items": {"$ref": "#/$defs/one_line"},
        "additionalProperties": {"$ref": "#/$defs/one_line"},
    },
    "lines": {
        "$comment": "No control characters in any text; tab and line breaks are text.",
        **_no_control_characters(MULTI_LINE_FORBIDDEN.pattern),
        "items": {"$ref": "#/$defs/lines"},
        "additionalProperties": {"$ref": "#/$defs/lines"},
    },
}


def _field_schema(f: FormField, language: str) -> dict[str, Any]:
    """One question's answer, when the question is asked (visible)."""
    kind = kind_of(f)
    plain = {"$ref": "#/$defs/lines" if kind.multiline else "#/$defs/one_line"}
    given = {"allOf": [plain, kind.json_schema(f)]}
    prop: dict[str, Any] = {"title": f.label.get(language)}
    if f.help:
        prop["description"] = f.help.get(language)
    if f.required:
        return {**prop, **given, "not": {"$ref": "#/$defs/empty"}}
    return {**prop, "anyOf": [given, {"$ref": "#/$defs/empty"}]}


def _condition(condition: VisibleIf) -> dict[str, Any]:
    """When a question is asked: the answer its `visible_if` names, as `VisibleIf.holds` reads
    it (one of the values, or a list holding one)."""
    match: dict[str, Any] = (
        {"type": "string", "enum": condition.one_of}
        if condition.one_of is not None
        else {"const": condition.equals}
    )
    expected = {"anyOf": [match, {"type": "array", "contains": match}]}
    return {"properties": {condition.field: expected}, "required": [condition.field]}


def json_schema(schema: FormSchema, *, language: str = "es") -> dict[str, Any]:
    """The answers of `schema` as a JSON Schema (draft 2020-12), for API clients."""
    properties: dict[str, Any] = {}
    conditions = []
    for f in schema.fields:
        asked = _field_schema(f, language)
        condition = f.visible_if
        if condition is None:
            properties[f.key] = asked
            continue
        # A hidden question's answer is ignored, never an error: its rule holds only when it
        # is asked, and the property itself only names it.
        properties[f.key] = {k: v for k, v in asked.items() if k in {"title", "description"}}
        then: dict[str, Any] = {"properties": {f.key: asked}}
        if f.required:
            then["required"] = [f.key]
        conditions.append({"if": _condition(condition), "then": then})
    result: dict[str, Any] = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": properties,
        "required": [f.key for f in schema.fields if f.required and f.visible_if is None],
        "additionalProperties": False,
        "$defs": copy.deepcopy(DEFINITIONS),
    }
    if conditions:
        result["allOf"] = conditions
    return result
