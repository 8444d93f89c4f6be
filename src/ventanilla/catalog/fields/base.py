"""What a form field type is: one object that owns everything the platform does with its answers.

A type renders its question (Django form fields and widgets), turns what a browser posts into an
answer, checks and cleans an answer (`clean`, the rule every channel shares), publishes the same
rule as JSON Schema, shows an answer to a person, and generates answers: plausible ones for the
demo and, in tests, every valid one (a Hypothesis strategy). The form kit (`catalog.formkit`)
does what is common to every type — visibility, required answers, the plain-text rule, unknown
questions — and asks the type for the rest.
"""

from __future__ import annotations

import random
from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

    from ventanilla.catalog.schema import FormField, RequiredDocument, Text


class Problems:
    """What is wrong with one answer, in words for the person: about the whole answer, or about
    one of its parts (`number` of an ID document), which the form shows next to that input."""

    def __init__(self) -> None:
        self.by_part: dict[str, list[str]] = {}

    def add(self, message: str, *, part: str = "") -> None:
        self.by_part.setdefault(part, []).append(message)

    def __bool__(self) -> bool:
        return bool(self.by_part)


@dataclass(frozen=True)
class DocumentAsked:
    """A document a file question uploads, as its page shows it: what is asked, and the files
    attached so far, as (reference, name) pairs."""

    document: RequiredDocument
    stored: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class FieldContext:
    """What a question may know when it renders: the answers given so far (earlier steps), the
    service being filed, so a long list can be narrowed (schools teaching the grade asked
    before, nearest home first), and the documents a file question may upload on its page (a
    channel that takes documents elsewhere gives none)."""

    answers: Mapping[str, Any] = dataclass_field(default_factory=dict)
    service_id: int | None = None
    documents: Mapping[str, DocumentAsked] = dataclass_field(default_factory=dict)


# A pattern no text matches.
NOTHING = r"[^\s\S]"


def localized(text: Text | None) -> str:
    """`text` in the language of the request."""
    return text.get(get_language() or "es") if text is not None else ""


def trimmed_length_pattern(low: int, high: int) -> str:
    """A JSON Schema pattern: the text without surrounding spaces has `low` to `high` characters
    (at least one). It is written for the raw answer, since the form kit trims it after."""
    low = max(low, 1)
    if low > high:
        return NOTHING
    return rf"^\s*(?=\S)[\s\S]{{{low},{high}}}(?<=\S)\s*$"


def trimmed_pattern(pattern: str) -> str:
    """A JSON Schema pattern: the text without surrounding spaces matches all of `pattern`."""
    return rf"^\s*(?=\S)(?:{pattern})(?<=\S)\s*$"


class FieldKind(ABC):
    """A type of form field. Subclass it, set `name` and override what differs; register an
    instance with `catalog.fields.register`.

    Answers are JSON values. `clean` receives an answer that is not empty, has no control
    characters and belongs to a visible question; `json_schema` states exactly the same rule for
    such an answer (the form kit adds the rest), so the API's published schema and the form
    accept and refuse the same answers.
    """

    name: ClassVar[str]
    # Multi-line answers keep tab and line breaks (`core.text`).
    multiline: ClassVar[bool] = False
    # Answered by a document uploaded with the case (the portal asks on its documents page),
    # not by an input on the section's page.
    uploaded: ClassVar[bool] = False

    # --- The definition -------------------------------------------------------------------

    def check(self, field: FormField) -> None:
        """Refuse options that make no sense for this type (raise ValueError saying why)."""
        if field.choices:
            raise ValueError(f"field `{field.key}`: only choice fields have `choices`")
        if field.document:
            raise ValueError(f"field `{field.key}`: only file fields name a `document`")
        if field.id_types:
            raise ValueError(f"field `{field.key}`: only ID document fields have `id_types`")

    # --- The form -------------------------------------------------------------------------

    def common(self, field: FormField) -> dict[str, Any]:
        """Label, hint and `required=False` (the form kit decides what is required)."""
        label, hint = localized(field.label), localized(field.help)
        return {"label": label, "help_text": hint, "required": False}

    def form_fields(self, field: FormField) -> dict[str, forms.Field]:
        """The inputs that ask the question, by name (`key`, or `key__part` for a compound)."""
        return {field.key: forms.CharField(**self.common(field))}

    def form_fields_for(self, field: FormField, context: FieldContext) -> dict[str, forms.Field]:
        """`form_fields`, for a type whose inputs depend on earlier answers or the service."""
        return self.form_fields(field)

    def from_form(self, field: FormField, data: Mapping[str, Any]) -> Any:
        """The answer in what a browser posted: strings become the JSON the API also takes."""
        return data.get(field.key, "")

    def initial(self, field: FormField, answer: Any) -> dict[str, Any]:
        """What the inputs show for an earlier `answer`."""
        return {field.key: answer}

    # --- The rule -------------------------------------------------------------------------

    def missing(self) -> str:
        """What a required question left unanswered says."""
        return _("Responda esta pregunta.")

    @abstractmethod
    def clean(self, field: FormField, answer: Any, problems: Problems) -> Any:
        """The answer as stored, after adding to `problems` what is wrong with it."""

    @abstractmethod
    def json_schema(self, field: FormField) -> dict[str, Any]:
        """The rule of `clean` as JSON Schema (draft 2020-12), for an answer that is given."""

    # Rules JSON Schema cannot state (a check digit): the messages `clean` gives for them. The
    # published schema is looser exactly there, and the property test knows it.
    unstated: ClassVar[tuple[str | Promise, ...]] = ()

    def unstated_messages(self) -> list[str]:
        return [str(message) for message in self.unstated]

    # --- People ---------------------------------------------------------------------------

    def display(self, field: FormField, answer: Any) -> str:
        """The answer as a person reads it (review page, official's case page)."""
        return str(answer)

    # --- Answers for demos and tests ------------------------------------------------------

    @abstractmethod
    def example(self, field: FormField, rng: random.Random) -> Any:
        """A plausible answer, drawn from `rng` (the demo's generated cases)."""

    @abstractmethod
    def strategy(self, field: FormField) -> SearchStrategy[Any]:
        """Every valid answer, as a Hypothesis strategy (tests only: import it here)."""

    def options(self) -> SearchStrategy[dict[str, Any]]:
        """Options of a field of this type (`min`, `choices`…), for generated definitions."""
        from hypothesis import strategies as st

        return st.just({})
