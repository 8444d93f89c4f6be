"""Every service of the demo catalogue: its definition validates, its form accepts any answer
set built from its own schema, and refuses broken answers field by field, keeping the rest."""

from __future__ import annotations

import random
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from django.http import QueryDict
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.catalog.fixtures import DEMO_CATALOG
from ventanilla.catalog import formkit
from ventanilla.catalog.fields import field_kind
from ventanilla.catalog.schema import FieldType, FormField, FormSchema, ServiceDefinition
from ventanilla.catalog.services import definition_errors

FILES = sorted(p for p in DEMO_CATALOG.glob("*.yaml") if p.name != "_taxonomy.yaml")


def published_definition(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text())
    version = next(v for v in data["versions"] if v["status"] == "published")
    definition: dict[str, Any] = version["definition"]
    return definition


def test_the_demo_catalogue_has_enough_services() -> None:
    assert len(FILES) >= 50


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_every_demo_service_is_valid(path: Path) -> None:
    definition = published_definition(path)
    assert definition_errors(definition) == []
    parsed = ServiceDefinition.model_validate(definition)
    beyond_identity = [f for f in parsed.form.fields if f.type != FieldType.FILE]
    assert len(beyond_identity) >= 3, "a form asks at least three questions"
    stages = {s.key for s in parsed.workflow.stages}
    assert len(stages) >= 4, "received → review → decision → closed at least"


def answers_for(schema: FormSchema) -> st.SearchStrategy[dict[str, Any]]:
    """Each question's answer from its type's strategy (`catalog.fields`)."""
    return st.fixed_dictionaries({f.key: field_kind(f.type).strategy(f) for f in schema.fields})


@pytest.mark.django_db
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_generated_answers_are_accepted_and_broken_ones_refused_field_by_field(
    path: Path, organisation_localities: None
) -> None:
    schema = ServiceDefinition.model_validate(published_definition(path)).form

    @settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck))
    @given(answers_for(schema))
    def check(answers: dict[str, Any]) -> None:
        result = formkit.validate_answers(schema, answers)
        assert result.errors == {}, (path.stem, answers, result.errors)

    check()
    # Render every section, then break each visible question in turn.
    for section in schema.sections:
        assert "<form" not in str(formkit.section_form(section))  # fields only, no nested forms
    good = {f.key: _plain_answer(f) for f in schema.fields}
    baseline = formkit.validate_answers(schema, good)
    assert baseline.errors == {}, baseline.errors
    for field in schema.fields:
        if not formkit.is_visible(field, good) or field.type == FieldType.FILE:
            continue
        broken = {**good, field.key: _broken(field)}
        result = formkit.validate_answers(schema, broken)
        assert any(p.split(".")[0] == field.key for p in result.errors), (path.stem, field.key)
        kept = {k for k in baseline.answers if k != field.key}
        assert kept <= set(result.answers) | _dependents(schema, field.key), (path.stem, field.key)
    # A posted section with one bad answer shows the error and keeps the other values.
    section = schema.sections[0]
    data = QueryDict(mutable=True)
    form = formkit.section_form(section, answers=good)
    for name in form.fields:
        initial = form.initial.get(name)
        if isinstance(initial, list):
            data.setlist(name, initial)
        elif initial is not None:
            data[name] = str(initial)
    posted = formkit.section_form(section, data=data)
    assert formkit.validate_answers(
        schema, {**good, **posted.raw_answers()}, sections=[section.key]
    ).ok


def _dependents(schema: FormSchema, key: str) -> set[str]:
    return {f.key for f in schema.fields if f.visible_if and f.visible_if.field == key}


def _plain_answer(field: FormField) -> Any:
    """One ordinary valid answer, written out (no randomness)."""
    match field.type:
        case FieldType.SHORT_TEXT | FieldType.LONG_TEXT:
            if field.pattern:
                candidates = ["1234567890", "123456", "2026", "ABC123", "Respuesta de prueba"]
                return next(c for c in candidates if re.fullmatch(field.pattern, c))
            low, high = int(field.min or 1), int(field.max or 200)
            return ("Respuesta de prueba " * 20)[: max(low, min(high, 19))].strip().ljust(low, "x")
        case FieldType.NUMBER:
            return int(field.min if field.min is not None else 1)
        case FieldType.DATE:
            return "2015-04-03"
        case FieldType.EMAIL:
            return "ana@example.co"
        case FieldType.PHONE:
            return "3001234567"
        case FieldType.CHOICE:
            return (field.choices or [])[0].value
        case FieldType.MULTI_CHOICE:
            return [c.value for c in (field.choices or [])[: int(field.min or 1)]]
        case FieldType.YES_NO:
            return True
        case FieldType.ID_DOCUMENT:
            return {"type": "CC", "number": "52123456"}
        case FieldType.ADDRESS:
            return {"line": "Calle 38 Sur No. 72-15", "locality": "08"}
        case FieldType.FILE:
            return field.document
    # A type another app registered: its own example answer.
    return field_kind(field.type).example(field, random.Random(0))


def _broken(field: FormField) -> Any:
    match field.type:
        case FieldType.NUMBER:
            return "no es un número"
        case FieldType.DATE:
            return "2026-02-30"
        case FieldType.EMAIL:
            return "sin-arroba"
        case FieldType.PHONE:
            return "12"
        case FieldType.CHOICE | FieldType.MULTI_CHOICE:
            return "opcion_que_no_existe"
        case FieldType.YES_NO:
            return "quizás"
        case FieldType.ID_DOCUMENT:
            return {"type": "CC", "number": "12ab"}
        case FieldType.ADDRESS:
            return {"line": "x", "locality": "99"}
    return 12345 if not field.required else ""
