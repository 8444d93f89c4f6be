"""A service definition that does not make sense is refused, with words that say why."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from tests.catalog.fixtures import reference_definition
from ventanilla.catalog.services import definition_errors


def errors_after(change: Any) -> list[str]:
    definition = copy.deepcopy(reference_definition())
    change(definition)
    return definition_errors(definition)


def test_the_reference_service_is_valid() -> None:
    assert definition_errors(reference_definition()) == []


def _stages(d: dict[str, Any]) -> list[dict[str, Any]]:
    stages: list[dict[str, Any]] = d["workflow"]["stages"]
    return stages


def _actions(d: dict[str, Any]) -> list[dict[str, Any]]:
    actions: list[dict[str, Any]] = d["workflow"]["actions"]
    return actions


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: _stages(d).append(
                {
                    "key": "limbo",
                    "label": {"es": "Limbo", "en": "Limbo"},
                    "citizen_label": {"es": "Limbo", "en": "Limbo"},
                    "terminal": True,
                }
            ),
            "ninguna acción lleva desde `recibida` a estas etapas: limbo",
        ),
        (
            lambda d: [s.update(terminal=False) for s in _stages(d)],
            "el flujo no tiene etapa final",
        ),
        (
            lambda d: _actions(d)[0].update(to_stage="nowhere"),
            "la acción `iniciar_revision` nombra etapas que no existen: nowhere",
        ),
        (
            lambda d: _actions(d).pop(2),  # the citizen's answer to an information request
            "no `provide_information` action leaves `esperando_ciudadano`",
        ),
        (
            lambda d: _actions(d)[7].update(to_stage="revision"),  # close without ending
            "debe llevar a una etapa final",
        ),
        (
            lambda d: _actions(d)[10].update(effect="advance"),  # leave closed without reopen
            "solo una acción que reabre (`reopen`) puede",
        ),
        (
            lambda d: d["form"]["sections"][0]["fields"].append(
                {"key": "grado", "type": "short_text", "label": {"es": "x", "en": "x"}}
            ),
            "dos preguntas tienen la misma clave: grado",
        ),
        (
            lambda d: d["form"]["sections"][0]["fields"][0].update(
                visible_if={"field": "procedencia", "equals": "otro_pais"}
            ),
            "que no es una pregunta hecha antes que ella",
        ),
        (
            lambda d: d["form"]["sections"][2]["fields"][2].update(document="nope"),
            "nombra el documento `nope`, que no está entre los documentos",
        ),
        (
            lambda d: d["form"]["sections"][0]["fields"][3].pop("choices"),
            "a choice field needs `choices`",
        ),
        (lambda d: d["term"].update(amount=0), "term.amount"),
        (lambda d: d["title"].pop("en"), "title.en"),
        (lambda d: d.update(filers=["everyone"]), "filers.0"),
    ],
)
def test_broken_definitions_are_explained(change: Any, expected: str) -> None:
    errors = errors_after(change)
    assert errors, "the broken definition was accepted"
    assert any(expected in error for error in errors), errors
