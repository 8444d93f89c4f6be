"""What the API says, separate from how the domain stores it."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any

from ninja import Schema
from pydantic import AfterValidator, StringConstraints
from pydantic_core import PydanticCustomError

from ventanilla.core.text import text_problem


def _single_line(value: str) -> str:
    problem = text_problem(value)
    if problem is not None:
        raise PydanticCustomError("control_characters", problem)
    return value


# Every text the API reads: one line, no control characters (`core.text`); the length of the
# column it goes to is given with `Field(max_length=…)` where it is used.
Line = Annotated[str, AfterValidator(_single_line)]

# Path and query parameters, bounded by the columns they are looked up in.
Slug = Annotated[str, StringConstraints(max_length=80), AfterValidator(_single_line)]
FilingNumber = Annotated[str, StringConstraints(max_length=40), AfterValidator(_single_line)]
VerificationCode = Annotated[str, StringConstraints(max_length=20), AfterValidator(_single_line)]
ShortCode = Annotated[str, StringConstraints(max_length=10), AfterValidator(_single_line)]


class TextOut(Schema):
    es: str
    en: str


class NamedOut(Schema):
    code: str
    name: str


class TaxonOut(Schema):
    slug: str
    name: TextOut


class ServiceSummaryOut(Schema):
    slug: str
    title: TextOut
    summary: TextOut
    kind: str
    channels: list[str]
    entity: NamedOut
    category: TaxonOut
    url: str


class FeeOut(Schema):
    amount: Decimal
    currency: str
    free: bool


class TermOut(Schema):
    amount: int
    unit: str
    legal_basis: TextOut


class DocumentOut(Schema):
    key: str
    name: TextOut
    description: TextOut
    kind: str
    accepted_types: list[str]
    max_size_mb: int
    mandatory: bool


class ChoiceOut(Schema):
    asked: bool
    required: bool


class ChoicesOut(Schema):
    """Places the citizen chooses when filing: `asked` when some stage of the workflow is
    handled there, `required` when the first one is (filing fails without it)."""

    service_point: ChoiceOut
    chosen_dependency: ChoiceOut
    dependencies: list[NamedOut]


class ServicePointOut(Schema):
    code: str
    name: str
    kind: str
    address: str
    locality: NamedOut
    dependency: NamedOut


class ServiceDetailOut(ServiceSummaryOut):
    version: int
    published_at: datetime | None
    dependency: NamedOut
    life_events: list[TaxonOut]
    description: TextOut
    who_may_ask: TextOut
    steps: list[TextOut]
    legal_basis: TextOut
    fee: FeeOut
    term: TermOut
    filers: list[str]
    documents: list[DocumentOut]
    form_schema: dict[str, Any]
    choices: ChoicesOut


class ErrorOut(Schema):
    detail: str


class ValidationErrorOut(Schema):
    """A request that cannot be accepted as sent: `errors` maps each field path (`answers.grado`,
    `applicant.email`, `documents.0.name`, a query parameter's name) to what is wrong."""

    detail: str
    errors: dict[str, list[str]]


_ERROR_BODIES: dict[int, type[Schema]] = {
    400: ErrorOut,
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    409: ErrorOut,
    413: ErrorOut,
    422: ValidationErrorOut,
    429: ErrorOut,
}


def error_responses(*codes: int) -> dict[int, type[Schema]]:
    """The error statuses an endpoint answers, with their bodies, for its OpenAPI entry. Every
    endpoint may answer 400 (a control character in the path or the query, a body that is not
    JSON) and 422 (a parameter or field that does not validate)."""
    return {code: _ERROR_BODIES[code] for code in sorted({400, 422, *codes})}
