"""A season's rules as validated data: when each stage runs, who goes first, how ties are
broken, how long a family has to accept and to formalise.

Like a service version, a season's rules are a versioned definition: an administrator writes
them as YAML, Pydantic refuses what makes no sense, and once a version is published it never
changes (`models.SeasonRules`). The public season page reads them out in plain language.
"""

from __future__ import annotations

import functools
from datetime import date
from typing import Annotated, Literal, Self

import yaml
from pydantic import Field, ValidationError, model_validator

from ventanilla.catalog.schema import Key, Strict, Text

TieBreak = Literal["priority_group", "sibling", "distance", "lottery"]
# The published order of tie-breaks when a season does not say otherwise.
TIE_BREAKS: tuple[TieBreak, ...] = ("priority_group", "sibling", "distance", "lottery")


class Window(Strict):
    """Days on which something is open, both included."""

    opens: date
    closes: date

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.closes < self.opens:
            raise ValueError("`closes` comes before `opens`")
        return self

    def holds(self, day: date) -> bool:
        return self.opens <= day <= self.closes


class Grade(Strict):
    key: Key
    label: Text
    early_childhood: bool = False  # the nearer transfer threshold applies


class Shift(Strict):
    key: Key
    label: Text


class PriorityGroup(Strict):
    """A group served before everyone else in stage 1, in the order the groups are listed, and
    the evidence an official checks before the priority counts."""

    key: Key
    label: Text
    evidence: Text
    document_kind: str = ""  # documents.DocumentKind code the evidence usually is


class Choices(Strict):
    """How many schools a family ranks."""

    min: Annotated[int, Field(ge=1, le=20)] = 3
    max: Annotated[int, Field(ge=1, le=20)] = 10

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if self.max < self.min:
            raise ValueError("`max` is smaller than `min`")
        return self


class TransferDistance(Strict):
    """A student may ask to move to a school nearer home when theirs is farther than this."""

    km: Annotated[float, Field(gt=0, le=50)] = 2.0
    early_childhood_or_disability_km: Annotated[float, Field(gt=0, le=50)] = 1.0


class Answers(Strict):
    """Which questions of the service's form carry what the allocation needs."""

    student_document: Key = "documento_estudiante_numero"
    grade: Key = "grado"
    shift: Key = "jornada"
    home: Key = "direccion"
    priority_group: Key = "grupo_prioritario"
    sibling_school: Key = "colegio_hermanos"
    disability: Key = "discapacidad"
    schools: Key = "colegios"
    current_school: Key = "colegio_actual"  # a transfer's school now


class SeasonDefinition(Strict):
    """Everything a season's allocation runs by."""

    title: Text
    school_year: Annotated[int, Field(ge=2000, le=2100)]
    stage1: Window  # applications with ranked schools
    results_on: date  # the stage 1 allocation is published
    stage2: Window  # the places still free go at once to whoever takes them
    stage1_open_to: Literal["everyone", "priority_groups"] = "everyone"
    grades: Annotated[list[Grade], Field(min_length=1)]
    shifts: Annotated[list[Shift], Field(min_length=1)]
    priority_groups: list[PriorityGroup] = []
    choices: Choices = Choices()
    tie_breaks: Annotated[list[TieBreak], Field(min_length=1)] = list(TIE_BREAKS)
    transfer_distance: TransferDistance = TransferDistance()
    acceptance_days: Annotated[int, Field(ge=1, le=60)] = 5  # business days
    formalisation_days: Annotated[int, Field(ge=1, le=60)] = 10  # business days after accepting
    answers: Answers = Answers()
    # The service (its slug) a family files to contest a rejected evidence: a petition.
    contest_service: Annotated[str, Field(pattern=r"^[a-z0-9-]{1,80}$")] = (
        "derecho-de-peticion-general"
    )

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if not self.stage1.closes < self.results_on <= self.stage2.opens:
            raise ValueError(
                "the stages must follow each other: stage 1 closes, then results, then stage 2"
            )
        for name, keys in (
            ("grades", [g.key for g in self.grades]),
            ("shifts", [s.key for s in self.shifts]),
            ("priority_groups", [g.key for g in self.priority_groups]),
            ("tie_breaks", list(self.tie_breaks)),
        ):
            if len(set(keys)) != len(keys):
                raise ValueError(f"`{name}` repeats an entry")
        if self.stage1_open_to == "priority_groups" and not self.priority_groups:
            raise ValueError("stage 1 is open to priority groups, but none is defined")
        return self

    def grade(self, key: str) -> Grade | None:
        return next((g for g in self.grades if g.key == key), None)

    def shift(self, key: str) -> Shift | None:
        return next((s for s in self.shifts if s.key == key), None)

    def group(self, key: str) -> PriorityGroup | None:
        return next((g for g in self.priority_groups if g.key == key), None)

    def group_rank(self, key: str) -> int | None:
        """0 for the first group listed; None for no group."""
        return next((i for i, g in enumerate(self.priority_groups) if g.key == key), None)

    def stage_on(self, day: date) -> str:
        """`before`, `stage1`, `allocation` (between stage 1 and stage 2), `stage2` or `closed`."""
        if day < self.stage1.opens:
            return "before"
        if self.stage1.holds(day):
            return "stage1"
        if day < self.stage2.opens:
            return "allocation"
        if self.stage2.holds(day):
            return "stage2"
        return "closed"


class RulesProblem(ValueError):
    """The rules do not validate; `lines` say where and why."""

    def __init__(self, lines: list[str]) -> None:
        super().__init__("; ".join(lines))
        self.lines = lines


def parse_rules(text: str) -> SeasonDefinition:
    """The rules in `text` (YAML), or RulesProblem naming each mistake."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise RulesProblem([f"YAML: {error}"]) from error
    try:
        return SeasonDefinition.model_validate(data)
    except ValidationError as error:
        lines = [
            f"{'.'.join(str(p) for p in e['loc']) or 'rules'}: {e['msg']}" for e in error.errors()
        ]
        raise RulesProblem(lines) from error


@functools.lru_cache(maxsize=32)
def parse_rules_cached(text: str) -> SeasonDefinition:
    """`parse_rules`, kept per text in this process: a published version never changes, and
    the worker that tells 100,000 families reads the same rules for each (the definition is
    frozen, so sharing it is safe)."""
    return parse_rules(text)
