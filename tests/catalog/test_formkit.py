"""The form of a service: one validator for every channel, a renderer, and JSON Schema."""

from __future__ import annotations

from typing import Any

import jsonschema
import pytest
from django.http import QueryDict
from django.utils import translation

from ventanilla.catalog.formkit import (
    answer_text,
    json_schema,
    section_form,
    validate_answers,
)
from ventanilla.catalog.models import Service
from ventanilla.catalog.schema import FormSchema

GOOD: dict[str, Any] = {
    "nombres_estudiante": "Sofía Ramírez Díaz",
    "documento_estudiante_numero": {"type": "TI", "number": "1.012.345.678"},
    "fecha_nacimiento": "2015-04-03",
    "grado": "primero",
    "procedencia": "otro_pais",
    "pais_origen": "Venezuela",
    "tiene_hermanos": False,
    "discapacidad": True,
    "apoyos": "Intérprete de lengua de señas.",
    "direccion": {"line": "Calle 38 Sur No. 72-15", "locality": "08"},
    "telefono_contacto": "300 123 4567",
}


def form_of(service: Service) -> FormSchema:
    return service.versions.get().parsed.form


def test_good_answers_are_cleaned(reference_service: Service) -> None:
    result = validate_answers(form_of(reference_service), GOOD)
    assert result.errors == {}
    assert result.answers["documento_estudiante_numero"] == {"type": "TI", "number": "1012345678"}
    assert result.answers["telefono_contacto"] == "3001234567"
    assert "colegio_hermanos" not in result.answers


def test_hidden_questions_are_neither_required_nor_kept(reference_service: Service) -> None:
    answers = {**GOOD, "procedencia": "privado", "pais_origen": "Perú"}
    result = validate_answers(form_of(reference_service), answers)
    assert result.errors == {}
    assert "pais_origen" not in result.answers


def test_a_visible_required_question_must_be_answered(reference_service: Service) -> None:
    answers = {**GOOD, "tiene_hermanos": True}
    result = validate_answers(form_of(reference_service), answers)
    assert list(result.errors) == ["colegio_hermanos"]


@pytest.mark.parametrize(
    ("key", "value", "path"),
    [
        ("fecha_nacimiento", "2015-02-30", "fecha_nacimiento"),
        ("grado", "doctorado", "grado"),
        (
            "documento_estudiante_numero",
            {"type": "TI", "number": "12ab"},
            "documento_estudiante_numero.number",
        ),
        ("direccion", {"line": "Cl", "locality": "99"}, "direccion.line"),
        ("telefono_contacto", "12", "telefono_contacto"),
        ("nombres_estudiante", "x" * 151, "nombres_estudiante"),
        ("discapacidad", "quizás", "discapacidad"),
    ],
)
def test_each_bad_answer_is_reported_where_it_is(
    reference_service: Service, key: str, value: Any, path: str
) -> None:
    result = validate_answers(form_of(reference_service), {**GOOD, key: value})
    assert path in result.errors
    others = dict(result.answers)
    assert key not in others
    assert "nombres_estudiante" in others or key == "nombres_estudiante"


def test_unknown_questions_are_refused(reference_service: Service) -> None:
    result = validate_answers(form_of(reference_service), {**GOOD, "salario": 1})
    assert "salario" in result.errors


def test_a_section_renders_accessibly_and_keeps_what_was_typed(reference_service: Service) -> None:
    schema = form_of(reference_service)
    section = schema.sections[0]
    post = QueryDict(mutable=True)
    post.update(
        {
            "nombres_estudiante": "Sofía",
            "documento_estudiante_numero__type": "TI",
            "documento_estudiante_numero__number": "12ab",
            "fecha_nacimiento": "2015-04-03",
            "grado": "primero",
        }
    )
    form = section_form(section, data=post)
    result = validate_answers(schema, form.raw_answers(), sections=[section.key])
    form.show_errors(result.errors)
    html = str(form)
    assert 'class="error-summary"' in html
    assert 'href="#id_documento_estudiante_numero__number"' in html
    assert 'aria-invalid="true"' in html
    assert 'value="Sofía"' in html
    assert "2015-04-03" in html


def test_json_schema_is_valid_and_accepts_good_answers(reference_service: Service) -> None:
    schema = json_schema(form_of(reference_service))
    jsonschema.Draft202012Validator.check_schema(schema)
    answers = {**GOOD, "documento_estudiante_numero": {"type": "TI", "number": "1012345678"}}
    jsonschema.validate(answers, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**answers, "grado": "doctorado"}, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({**answers, "tiene_hermanos": True}, schema)  # sibling school missing


def test_what_a_browser_posts_becomes_the_json_the_api_takes(db: None) -> None:
    schema = FormSchema.model_validate(
        {
            "sections": [
                {
                    "key": "s",
                    "title": {"es": "S", "en": "S"},
                    "fields": [
                        {"key": "hijos", "type": "number", "label": {"es": "H", "en": "C"}},
                        {"key": "beca", "type": "yes_no", "label": {"es": "B", "en": "G"}},
                        {"key": "desde", "type": "date", "label": {"es": "D", "en": "F"}},
                    ],
                }
            ]
        }
    )
    post = QueryDict(mutable=True)
    post.update({"hijos": " 2,5 ", "beca": "yes", "desde": " 2015-04-03 "})
    raw = section_form(schema.sections[0], data=post).raw_answers()
    assert raw == {"hijos": 2.5, "beca": True, "desde": "2015-04-03"}
    assert validate_answers(schema, raw).ok
    # The API takes the JSON its schema describes, not what a person types into a box.
    typed = validate_answers(schema, {"hijos": "2,5", "beca": "yes", "desde": " 2015-04-03 "})
    assert set(typed.errors) == {"hijos", "beca", "desde"}
    again = section_form(schema.sections[0], answers=raw)
    assert 'value="yes" id="id_beca_0" checked' in str(again)  # and shown again as it was


def test_an_answer_reads_as_a_person_says_it(reference_service: Service) -> None:
    schema = form_of(reference_service)
    answers = validate_answers(schema, GOOD).answers
    shown = {f.key: answer_text(f, answers.get(f.key)) for f in schema.fields}
    assert shown["grado"] == "Primero"
    assert shown["tiene_hermanos"] == "No" and shown["discapacidad"] == "Sí"
    assert shown["documento_estudiante_numero"] == "Tarjeta de identidad 1012345678"
    assert shown["direccion"] == "Calle 38 Sur No. 72-15, Kennedy"
    assert shown["colegio_hermanos"] == "—"
    assert shown["fecha_nacimiento"] == "3 de abril de 2015"  # a date in words
    with translation.override("en"):
        assert answer_text(schema.field("fecha_nacimiento"), "2015-04-03") == "April 3, 2015"


def test_an_id_question_offers_only_the_kinds_a_person_may_have(
    reference_service: Service,
) -> None:
    """A student has no NIT: the question offers the kinds its service names, refuses another
    one in words, and the API's schema says the same."""
    schema = form_of(reference_service)
    field = schema.field("documento_estudiante_numero")
    form = section_form(schema.sections[0])
    offered = [value for value, _label in form.fields[f"{field.key}__type"].choices]  # type: ignore[attr-defined]
    assert offered == ["", "RC", "TI", "CC", "CE", "PA", "PPT"]
    nit = {"type": "NIT", "number": "899999061-9"}
    refused = validate_answers(schema, {**GOOD, field.key: nit}, sections=["estudiante"])
    assert refused.errors[f"{field.key}.type"] == ["Elija el tipo de documento de la lista."]
    published = json_schema(schema)["properties"][field.key]["allOf"][1]["properties"]["type"]
    assert "NIT" not in published["enum"]


def test_a_definition_names_only_known_id_kinds() -> None:
    question = {"key": "doc", "type": "id_document", "label": {"es": "D", "en": "D"}}
    section = {"key": "s", "title": {"es": "S", "en": "S"}}
    with pytest.raises(ValueError, match="unknown `id_types` XX"):
        FormSchema.model_validate(
            {"sections": [{**section, "fields": [{**question, "id_types": ["CC", "XX"]}]}]}
        )
    with pytest.raises(ValueError, match="only ID document fields have `id_types`"):
        FormSchema.model_validate(
            {
                "sections": [
                    {
                        **section,
                        "fields": [{**question, "type": "short_text", "id_types": ["CC"]}],
                    }
                ]
            }
        )
