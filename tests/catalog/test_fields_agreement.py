"""The form and the API's published JSON Schema accept and refuse the same answers.

For generated forms (any mix of the registered field types with their options, some questions
shown only after an earlier answer) and generated answers (valid ones from each type's strategy,
mutations of them, stray JSON, empty answers, unknown questions), `validate_answers` and the
schema `json_schema` publishes agree. The one licence: a rule a type declares JSON Schema cannot
state (`FieldKind.unstated`, the NIT's check digit) may refuse what the schema lets through.
"""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ventanilla.catalog.fields import Problems, field_kind, field_kinds
from ventanilla.catalog.formkit import json_schema, validate_answers
from ventanilla.catalog.schema import FormField, FormSchema

# Characters worth putting into a text: separators people type, letters that change under
# upper-casing (ß, dotless i), whitespace and control characters, an accent, a NUL.
ODD = " .-+@#()\t\n\r\x00\x07\x1c\x85\u00a0\u3000éß\u0131K1A"

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**16), 10**16),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(st.sampled_from(ODD) | st.characters(), max_size=8),
)
JSON = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.sampled_from(["type", "number", "line", "locality", "x"]), inner)
    ),
    max_leaves=6,
)
EMPTY = st.sampled_from([None, "", "  ", "\u3000", [], {}, [""], [None, " "], {"line": ""}])


@st.composite
def mutated(draw: st.DrawFn, value: Any) -> Any:
    """`value` changed a little: near the edge of what its type accepts, or just off it."""
    if isinstance(value, bool):
        return draw(st.sampled_from([not value, int(value), "yes" if value else "no", [value]]))
    if isinstance(value, int | float):
        delta = draw(st.sampled_from([1, -1, 0.01, -0.01, 0.5, 10**15, -(10**15)]))
        return draw(st.sampled_from([value + delta, -value, str(value), value * 1000, [value]]))
    if isinstance(value, str):
        chars = list(value)
        at = draw(st.integers(0, len(chars)))
        edit = draw(st.sampled_from(["insert", "delete", "double", "case", "wrap", "cut"]))
        if edit == "insert":
            chars.insert(at, draw(st.sampled_from(ODD) | st.characters()))
        elif edit == "delete" and chars:
            del chars[min(at, len(chars) - 1)]
        elif edit == "double":
            chars = chars * draw(st.integers(2, 30))
        elif edit == "case":
            chars = list(value.swapcase())
        elif edit == "cut":
            chars = chars[: at // 2]
        else:
            return [value]
        return "".join(chars)
    if isinstance(value, list):
        items = list(value)
        edit = draw(st.sampled_from(["drop", "repeat", "stray", "change"]))
        if edit == "drop" and items:
            items.pop()
        elif edit == "repeat" and items:
            items.append(items[0])
        elif edit == "stray":
            items.append(draw(JSON))
        elif items:
            items[0] = draw(mutated(items[0]))
        return items
    if isinstance(value, dict):
        parts = dict(value)
        edit = draw(st.sampled_from(["drop", "stray", "change", "change"]))
        if edit == "drop" and parts:
            parts.pop(draw(st.sampled_from(sorted(parts))))
        elif edit == "stray":
            parts[draw(st.sampled_from(["x", "number", "\x00"]))] = draw(JSON)
        elif parts:
            key = draw(st.sampled_from(sorted(parts)))
            parts[key] = draw(mutated(parts[key]))
        return parts
    return draw(JSON)


@st.composite
def forms(draw: st.DrawFn) -> FormSchema:
    """A form of one or two sections asking one to six questions of any registered type."""
    names = sorted(field_kinds())
    fields: list[dict[str, Any]] = []
    for index in range(draw(st.integers(1, 6))):
        name = draw(st.sampled_from(names))
        field: dict[str, Any] = {
            "key": f"q{index}",
            "type": name,
            "label": {"es": f"Pregunta {index}", "en": f"Question {index}"},
            "required": draw(st.booleans()),
            **draw(field_kind(name).options()),
        }
        if fields and draw(st.booleans()):
            source = FormField.model_validate(draw(st.sampled_from(fields)))
            answer = draw(field_kind(source.type).strategy(source))
            if isinstance(answer, str | bool):
                field["visible_if"] = {"field": source.key, "equals": answer}
            elif isinstance(answer, list) and answer and all(isinstance(a, str) for a in answer):
                field["visible_if"] = {"field": source.key, "one_of": answer}
        fields.append(field)
    cut = draw(st.integers(1, len(fields)))
    sections = [fields[:cut], fields[cut:]] if cut < len(fields) else [fields]
    return FormSchema.model_validate(
        {
            "sections": [
                {"key": f"s{i}", "title": {"es": "Sección", "en": "Section"}, "fields": chunk}
                for i, chunk in enumerate(sections)
            ]
        }
    )


@st.composite
def answers_for(draw: st.DrawFn, schema: FormSchema) -> dict[str, Any]:
    """Valid answers but for one question (or none), whose answer is off in some way: mutated,
    stray JSON, empty or missing. Sometimes an answer to a question the form does not ask."""
    fields = schema.fields
    odd = draw(st.sampled_from([None, *fields]))
    answers: dict[str, Any] = {}
    for field in fields:
        valid = field_kind(field.type).strategy(field)
        how = "valid" if field is not odd else draw(st.sampled_from(["mutated", "json", "empty"]))
        if how == "valid":
            answers[field.key] = draw(valid)
        elif how == "mutated":
            answers[field.key] = draw(valid.flatmap(mutated))
        elif how == "json":
            answers[field.key] = draw(JSON)
        elif draw(st.booleans()):
            answers[field.key] = draw(EMPTY)
    if draw(st.sampled_from([False] * 9 + [True])):
        answers["pregunta_desconocida"] = draw(JSON)
    return answers


def disagreement(schema: FormSchema, answers: dict[str, Any]) -> str | None:
    """Why the form and the published schema judge `answers` differently, or None."""
    result = validate_answers(schema, answers)
    published = json_schema(schema)
    checker = jsonschema.Draft202012Validator(
        published, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    refusals = [error.message for error in checker.iter_errors(answers)]
    if result.ok and refusals:
        return f"the form accepts, the schema refuses: {refusals}"
    if not result.ok and not refusals:
        allowed = {
            message
            for field in schema.fields
            for message in field_kind(field.type).unstated_messages()
        }
        beyond = {m for messages in result.errors.values() for m in messages} - allowed
        if beyond:
            return f"the schema accepts, the form refuses: {result.errors}"
    return None


def agreement_holds(examples: int, *, check_schema: bool = False) -> None:
    """Generate forms and answers; the first disagreement fails, with the smallest example."""

    @settings(
        max_examples=examples,
        derandomize=True,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(st.data())
    def check(data: st.DataObject) -> None:
        schema = data.draw(forms(), label="form")
        if check_schema:  # against the metaschema: slow, so only when asked
            jsonschema.Draft202012Validator.check_schema(json_schema(schema))
        answers = data.draw(answers_for(schema), label="answers")
        assert disagreement(schema, answers) is None

    check()


@pytest.mark.django_db
def test_the_form_and_its_json_schema_accept_and_refuse_the_same_answers(
    organisation_localities: None,
) -> None:
    agreement_holds(examples=400)


@pytest.mark.django_db
def test_every_generated_form_publishes_a_valid_json_schema(organisation_localities: None) -> None:
    agreement_holds(examples=25, check_schema=True)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(field_kinds()))
def test_every_answer_a_type_generates_as_valid_is_accepted(
    name: str, organisation_localities: None
) -> None:
    kind = field_kind(name)

    @settings(max_examples=40, derandomize=True, deadline=None)
    @given(st.data())
    def check(data: st.DataObject) -> None:
        options = data.draw(kind.options(), label="options")
        field = FormField.model_validate(
            {"key": "q", "type": name, "label": {"es": "P", "en": "Q"}, **options}
        )
        answer = data.draw(kind.strategy(field), label="answer")
        problems = Problems()
        kind.clean(field, answer, problems)
        assert not problems, problems.by_part
        result = validate_answers(FormSchema(sections=[_section(field)]), {"q": answer})
        assert result.ok, result.errors

    check()


def _section(field: FormField) -> Any:
    from ventanilla.catalog.schema import FormSection, Text

    return FormSection(key="s", title=Text(es="S", en="S"), fields=[field])
