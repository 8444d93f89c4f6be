"""What a service version says, as validated data.

A `ServiceDefinition` is everything a citizen reads about a service and everything the platform
needs to run it: texts in Spanish and English, fee, legal term, who may file, required documents,
the form, the workflow and the response templates. Administrators edit it in a form generated
from these models (`catalog.editor`) or as YAML; Pydantic rejects what does not make sense, with
messages that say where and why.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal, Self

from django.utils.translation import gettext
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
    model_validator,
)

from ventanilla.catalog.effects import effect_for, effect_keys
from ventanilla.catalog.fields.registry import UnknownFieldType, field_kind, field_kinds

Key = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,49}$")]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Text(Strict):
    """A text in both languages of the site."""

    es: Annotated[str, StringConstraints(min_length=1)]
    en: Annotated[str, StringConstraints(min_length=1)]

    def get(self, language: str) -> str:
        return self.en if language == "en" else self.es


class Question(Strict):
    question: Text
    answer: Text


class TermUnit(StrEnum):
    BUSINESS_DAYS = "business_days"
    CALENDAR_DAYS = "calendar_days"
    MONTHS = "months"


class Term(Strict):
    """The legal term to answer (Ley 1755 de 2015, art. 14, or the procedure's own norm)."""

    amount: Annotated[int, Field(ge=1, le=365)]
    unit: TermUnit = TermUnit.BUSINESS_DAYS
    legal_basis: Text


class Fee(Strict):
    """What the citizen pays, in pesos; zero means free."""

    amount: Annotated[Decimal, Field(ge=0, max_digits=12, decimal_places=2)] = Decimal(0)
    currency: Literal["COP"] = "COP"
    note: Text | None = None

    @property
    def is_free(self) -> bool:
        return self.amount == 0


class Filer(StrEnum):
    """Who may file: a signed-in citizen, a guest with a verified email, or anyone anonymously
    (Ley 962 de 2005, art. 81, for complaints and reports where the service allows)."""

    CITIZEN = "citizen"
    GUEST = "guest"
    ANONYMOUS = "anonymous"


FileType = Literal["pdf", "jpg", "png"]


def _all_file_types() -> list[FileType]:
    return ["pdf", "jpg", "png"]


class RequiredDocument(Strict):
    key: Key
    name: Text
    description: Text
    kind: Key = Field(
        description="Reusable kind, e.g. identity_document: the citizen's folder reuses it."
    )
    accepted_types: list[FileType] = Field(default_factory=_all_file_types, min_length=1)
    max_size_mb: Annotated[int, Field(ge=1, le=50)] = 10
    max_files: Annotated[int, Field(ge=1, le=10)] = Field(
        default=1,
        description="How many files it may take (a document of several pages, as photos).",
    )
    mandatory: bool = True


class FieldType(StrEnum):
    """The built-in field types (`catalog.fields`); other apps may register more."""

    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"
    NUMBER = "number"
    DATE = "date"
    EMAIL = "email"
    PHONE = "phone"
    CHOICE = "choice"
    MULTI_CHOICE = "multi_choice"
    YES_NO = "yes_no"
    ID_DOCUMENT = "id_document"
    ADDRESS = "address"
    FILE = "file"


class Choice(Strict):
    value: Annotated[str, StringConstraints(pattern=r"^[a-z0-9_]{1,50}$")]
    label: Text


class VisibleIf(Strict):
    """Show a field only when another field has a given answer."""

    field: Key
    equals: str | bool | None = None
    one_of: list[str] | None = None

    @model_validator(mode="after")
    def _one_condition(self) -> Self:
        if (self.equals is None) == (self.one_of is None):
            raise ValueError(gettext("dé solo una de las dos: `equals` o `one_of`"))
        return self

    def holds(self, answer: Any) -> bool:
        values = answer if isinstance(answer, list) else [answer]
        if self.one_of is not None:
            return any(isinstance(v, str) and v in self.one_of for v in values)
        # `True == 1` in Python, not in JSON: an answer of 1 is not "yes".
        return any(type(v) is type(self.equals) and v == self.equals for v in values)


def _registered(name: str) -> str:
    try:
        field_kind(name)
    except UnknownFieldType:
        known = ", ".join(sorted(field_kinds()))
        raise ValueError(
            gettext("no hay un tipo de pregunta `%(name)s`; los tipos son: %(known)s")
            % {"name": name, "known": known}
        ) from None
    return name


class FormField(Strict):
    key: Key
    type: Annotated[str, AfterValidator(_registered)] = Field(
        description="A registered field type: the built-in ones are those of `FieldType`."
    )
    label: Text
    help: Text | None = None
    required: bool = True
    min: Decimal | None = Field(default=None, description="Least number, or least length.")
    max: Decimal | None = Field(default=None, description="Greatest number, or greatest length.")
    pattern: str | None = None
    pattern_message: Text | None = None
    choices: list[Choice] | None = None
    visible_if: VisibleIf | None = None
    document: Key | None = Field(default=None, description="For file fields: the document.")
    id_types: list[Annotated[str, StringConstraints(pattern=r"^[A-Z]{2,4}$")]] | None = Field(
        default=None,
        description=(
            "For ID document fields: the kinds of document this person may have (CC, TI, RC, "
            "CE, PA, PPT, NIT), in the order offered; every kind when not given."
        ),
    )

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        field_kind(self.type).check(self)  # choices, the document: what the type needs
        if self.pattern is not None:
            try:
                re.compile(self.pattern)
            except re.error as error:
                raise ValueError(
                    gettext("pregunta `%(key)s`: el patrón no es válido: %(error)s")
                    % {"key": self.key, "error": error}
                ) from error
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError(
                gettext("pregunta `%(key)s`: el mínimo es mayor que el máximo") % {"key": self.key}
            )
        return self


class FormSection(Strict):
    key: Key
    title: Text
    description: Text | None = None
    fields: list[FormField] = Field(min_length=1)


class FormSchema(Strict):
    """The questions of a service, in sections (one page each when filing)."""

    sections: list[FormSection] = Field(min_length=1)

    @property
    def fields(self) -> list[FormField]:
        return [field for section in self.sections for field in section.fields]

    def asked(self, answers: Mapping[str, Any]) -> dict[str, Any]:
        """`answers` without those to questions an earlier answer hides, in the form's order: a
        question whose condition names a hidden question is hidden too."""
        kept: dict[str, Any] = {}
        for field in self.fields:
            condition = field.visible_if
            if condition is not None and not condition.holds(kept.get(condition.field)):
                continue
            if field.key in answers:
                kept[field.key] = answers[field.key]
        return kept

    def shown(self, field: FormField, answers: Mapping[str, Any]) -> bool:
        """Whether `field` is asked, given `answers` (pruned by `asked`)."""
        condition = field.visible_if
        return condition is None or condition.holds(answers.get(condition.field))

    def field(self, key: str) -> FormField:
        for candidate in self.fields:
            if candidate.key == key:
                return candidate
        raise KeyError(key)

    @model_validator(mode="after")
    def _references(self) -> Self:
        keys: list[str] = [f.key for f in self.fields]
        duplicates = sorted({k for k in keys if keys.count(k) > 1})
        if duplicates:
            raise ValueError(
                gettext("dos preguntas tienen la misma clave: %(keys)s")
                % {"keys": ", ".join(duplicates)}
            )
        sections = [s.key for s in self.sections]
        if len(set(sections)) != len(sections):
            raise ValueError(gettext("dos secciones tienen la misma clave"))
        seen: set[str] = set()
        for field in self.fields:
            condition = field.visible_if
            if condition is not None and condition.field not in seen:
                raise ValueError(
                    gettext(
                        "pregunta `%(key)s`: su condición nombra `%(other)s`, que no es una "
                        "pregunta hecha antes que ella"
                    )
                    % {"key": field.key, "other": condition.field}
                )
            seen.add(field.key)
        return self


class OwnerKind(StrEnum):
    FIXED = "fixed"
    SERVICE_POINT = "service_point"
    CHOSEN_AT_FILING = "chosen_at_filing"
    SERVICE = "service"


class StageOwner(Strict):
    """Which dependency handles a stage: a fixed one (by code), the dependency of the service
    point chosen at filing, one chosen at filing, or the service's owning dependency."""

    kind: OwnerKind = OwnerKind.SERVICE
    dependency: str | None = None

    @model_validator(mode="after")
    def _code_when_fixed(self) -> Self:
        if (self.kind == OwnerKind.FIXED) != (self.dependency is not None):
            raise ValueError(
                gettext(
                    "una dependencia fija lleva su código (`dependency`), y solo una fija lo lleva"
                )
            )
        return self


class Stage(Strict):
    key: Key
    label: Text
    citizen_label: Text = Field(description="What the citizen reads, in plain language.")
    owner: StageOwner = Field(default_factory=StageOwner)
    term_days: Annotated[int, Field(ge=1, le=365)] | None = None
    terminal: bool = False


class Effect(StrEnum):
    """The keys of the built-in effects (`catalog.effects`): what an action does besides moving
    the case; the legal clock and the citizen depend on it (Ley 1755 de 2015: art. 17
    information requests, art. 14 extension, art. 21 transfer). Apps register more."""

    ADVANCE = "advance"
    DRAFT_ANSWER = "draft_answer"
    REQUEST_INFORMATION = "request_information"
    PROVIDE_INFORMATION = "provide_information"
    EXTEND_TERM = "extend_term"
    TRANSFER = "transfer"
    CLOSE_WITH_RESPONSE = "close_with_response"
    REJECT = "reject"
    WITHDRAW = "withdraw"
    REOPEN = "reopen"


class RoleName(StrEnum):
    """Mirrors organization.Role; `citizen` is the applicant themself, `system` the platform
    (e.g. a tacit withdrawal when an information request lapses)."""

    VIEWER = "viewer"
    HANDLER = "handler"
    APPROVER = "approver"
    SUPERVISOR = "supervisor"
    ADMINISTRATOR = "administrator"
    CITIZEN = "citizen"
    SYSTEM = "system"


class Action(Strict):
    key: Key
    label: Text
    from_stages: list[Key] = Field(min_length=1)
    to_stage: Key
    roles: list[RoleName] = Field(min_length=1)
    effect: str = Field(default=Effect.ADVANCE.value, description="A registered effect's key.")
    comment_required: bool = False

    @field_validator("effect")
    @classmethod
    def _known_effect(cls, value: str) -> str:
        try:
            effect_for(value)
        except KeyError:
            raise ValueError(
                gettext("no hay un efecto `%(effect)s`; los efectos son: %(known)s")
                % {"effect": value, "known": ", ".join(effect_keys())}
            ) from None
        return value

    @model_validator(mode="after")
    def _roles_fit_the_effect(self) -> Self:
        effect = effect_for(self.effect)
        refused = sorted(r.value for r in self.roles if r.value not in effect.roles)
        if refused:
            raise ValueError(
                gettext("la acción `%(key)s` (%(effect)s) no la pueden hacer: %(roles)s")
                % {"key": self.key, "effect": self.effect, "roles": ", ".join(refused)}
            )
        return self


class Workflow(Strict):
    """Stages and the actions that move a case between them; the first stage is where a case
    starts."""

    stages: list[Stage] = Field(min_length=2)
    actions: list[Action] = Field(min_length=1)
    drafter_may_approve: bool = Field(
        default=False,
        description=(
            "Where only an approver may answer, whoever drafted the answer may also sign it. "
            "Off by default: four eyes see every answer."
        ),
    )

    @property
    def initial(self) -> Stage:
        return self.stages[0]

    def stage(self, key: str) -> Stage:
        for stage in self.stages:
            if stage.key == key:
                return stage
        raise KeyError(key)

    def routes_by(self, kind: OwnerKind) -> bool:
        """True when some stage is handled by an owner of `kind` (a place chosen at filing)."""
        return any(stage.owner.kind == kind for stage in self.stages)

    @model_validator(mode="after")
    def _sound(self) -> Self:
        keys = [s.key for s in self.stages]
        if len(set(keys)) != len(keys):
            raise ValueError(gettext("dos etapas tienen la misma clave"))
        action_keys = [a.key for a in self.actions]
        if len(set(action_keys)) != len(action_keys):
            raise ValueError(gettext("dos acciones tienen la misma clave"))
        terminal = {s.key for s in self.stages if s.terminal}
        if not terminal:
            raise ValueError(
                gettext("el flujo no tiene etapa final: marque al menos una como final")
            )
        if self.stages[0].terminal:
            raise ValueError(
                gettext("la primera etapa, donde empiezan los casos, no puede ser final")
            )
        known = set(keys)
        for action in self.actions:
            unknown = [s for s in [*action.from_stages, action.to_stage] if s not in known]
            if unknown:
                raise ValueError(
                    gettext("la acción `%(key)s` nombra etapas que no existen: %(stages)s")
                    % {"key": action.key, "stages": ", ".join(unknown)}
                )
            leaving_terminal = [s for s in action.from_stages if s in terminal]
            ends = self.stage(action.to_stage).terminal
            effect = effect_for(action.effect)
            if effect.reopens:
                if len(leaving_terminal) != len(action.from_stages) or ends:
                    raise ValueError(
                        gettext(
                            "la acción `%(key)s` reabre: va de etapas finales a una que no lo es"
                        )
                        % {"key": action.key}
                    )
            elif leaving_terminal:
                raise ValueError(
                    gettext(
                        "la acción `%(key)s` sale de etapas finales (%(stages)s); solo una "
                        "acción que reabre (`reopen`) puede"
                    )
                    % {"key": action.key, "stages": ", ".join(leaving_terminal)}
                )
            if effect.ends_case and not ends:
                raise ValueError(
                    gettext("la acción `%(key)s` (%(effect)s) debe llevar a una etapa final")
                    % {"key": action.key, "effect": action.effect}
                )
        for action in self.actions:
            problems = effect_for(action.effect).definition_problems(action, self)
            if problems:
                raise ValueError("; ".join(problems))
        reachable = {keys[0]}
        changed = True
        while changed:
            changed = False
            for action in self.actions:
                if action.to_stage not in reachable and reachable & set(action.from_stages):
                    reachable.add(action.to_stage)
                    changed = True
        unreachable = [k for k in keys if k not in reachable]
        if unreachable:
            raise ValueError(
                gettext("ninguna acción lleva desde `%(first)s` a estas etapas: %(stages)s")
                % {"first": keys[0], "stages": ", ".join(unreachable)}
            )
        stuck = [
            s.key
            for s in self.stages
            if not s.terminal and not any(s.key in a.from_stages for a in self.actions)
        ]
        if stuck:
            raise ValueError(
                gettext("etapas que no son finales y de las que ninguna acción sale: %(stages)s")
                % {"stages": ", ".join(stuck)}
            )
        return self


class ResponseTemplate(Strict):
    key: Key
    name: Text
    body: Text = Field(description="Django template text; the case is in `case`.")


class Certificate(Strict):
    """What a service issues when it grants the request, when that is a certificate the citizen
    may show elsewhere: its title, the kind of document it is (the citizen's folder offers it
    where a service asks for that kind) and how long it is valid."""

    kind: Key = Field(description="Reusable kind, e.g. academic_certificate.")
    title: Text
    valid_days: Annotated[int, Field(ge=1, le=3650)] | None = Field(
        default=None, description="Days it stays valid from its date; none: it does not expire."
    )


class ServiceDefinition(Strict):
    """Everything one version of a service says."""

    title: Text
    summary: Text
    description: Text
    who_may_ask: Text
    steps: list[Text] = Field(min_length=1)
    legal_basis: Text
    faq: list[Question] = Field(default_factory=list)
    keywords: Text | None = Field(
        default=None, description="Other words people use for it, comma-separated (search)."
    )
    fee: Fee = Field(default_factory=Fee)
    term: Term
    filers: list[Filer] = Field(default_factory=lambda: [Filer.CITIZEN], min_length=1)
    documents: list[RequiredDocument] = Field(default_factory=list)
    form: FormSchema
    workflow: Workflow
    templates: list[ResponseTemplate] = Field(default_factory=list)
    certificate: Certificate | None = Field(
        default=None,
        description="Set when granting the request issues a certificate (not a letter).",
    )

    def documents_asked(self, answers: Mapping[str, Any]) -> list[RequiredDocument]:
        """The documents a filing with `answers` is asked for: those no question names, and
        those a question asks that an earlier answer does not hide."""
        kept = self.form.asked(answers)
        named: dict[str, bool] = {}
        for field in self.form.fields:
            if field.document is not None:
                shown = self.form.shown(field, kept)
                named[field.document] = named.get(field.document, False) or shown
        return [d for d in self.documents if named.get(d.key, True)]

    def question_for(self, document: str) -> FormField | None:
        """The first question answered by uploading `document`, if a question asks for it."""
        return next((f for f in self.form.fields if f.document == document), None)

    @model_validator(mode="after")
    def _documents_bound(self) -> Self:
        documents = {d.key for d in self.documents}
        if len(documents) != len(self.documents):
            raise ValueError(gettext("dos documentos tienen la misma clave"))
        for field in self.form.fields:
            if field.document is not None and field.document not in documents:
                raise ValueError(
                    gettext(
                        "la pregunta `%(key)s` nombra el documento `%(document)s`, que no está "
                        "entre los documentos"
                    )
                    % {"key": field.key, "document": field.document}
                )
        return self
