"""Case endpoints: file for a citizen or a channel, track with number and code, list one's own.

No `from __future__ import annotations` here: django-ninja reads the annotations at import.
"""

import base64
import binascii
from datetime import date, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema, Status
from ninja.security import HttpBearer

from ventanilla.accounts.models import User
from ventanilla.accounts.selectors import consent_text_current
from ventanilla.api.models import ApiClient
from ventanilla.api.schemas import FilingNumber, Line, VerificationCode, error_responses
from ventanilla.api.services import api_client_authenticate
from ventanilla.cases import selectors
from ventanilla.cases.citizen_text import event_text
from ventanilla.cases.filing import Caller, Contact, FilingError, IdempotencyConflict, case_file
from ventanilla.cases.models import Case, FilerKind
from ventanilla.cases.tracking import case_track
from ventanilla.cases.uploads import Upload, upload_max_bytes
from ventanilla.catalog.models import Service
from ventanilla.catalog.selectors import (
    dependencies_to_choose_for,
    published_service,
    service_points_for,
)
from ventanilla.core.ratelimit import client_ip
from ventanilla.organization.models import Dependency, ServicePoint

router = Router(tags=["cases"])


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiClient | None:
        return api_client_authenticate(token)


bearer = BearerToken()

# Each text goes to a column of that length (cases.Case, cases.CaseDocument).


class ApplicantIn(Schema):
    name: Line = Field(default="", max_length=200)
    email: Line = Field(default="", max_length=254)
    phone: Line = Field(default="", max_length=20)
    id_type: Line = Field(default="", max_length=3)
    id_number: Line = Field(default="", max_length=20)


class DocumentIn(Schema):
    key: Line = Field(..., max_length=50)
    name: Line = Field(..., max_length=200)
    content_type: Line = Field(
        default="application/octet-stream",
        max_length=100,
        description="Ignored: the type is read from the content (PDF, JPEG or PNG).",
    )
    content_base64: str


class CaseIn(Schema):
    service: Line = Field(..., max_length=80)
    answers: dict[str, Any]
    applicant: ApplicantIn | None = None
    anonymous: bool = False
    consent_given: bool = False
    documents: list[DocumentIn] = Field(default=[], max_length=20)
    service_point: Line = Field(
        default="",
        max_length=20,
        description="Code of the school, centre or office chosen "
        "(`GET /services/{slug}/service-points`).",
    )
    chosen_dependency: Line = Field(
        default="",
        max_length=20,
        description="Code of the dependency chosen (`choices.dependencies` of the service).",
    )
    idempotency_key: Line = Field(
        default="",
        max_length=255,
        description="Any string of yours: sending it again with the same request returns the "
        "first case; with a different request, a 409.",
    )
    language: Line = Field(default="es", max_length=10)


class StatusOut(Schema):
    stage: str
    label_es: str
    label_en: str
    closed: bool
    waiting_for_citizen: bool


class FiledOut(Schema):
    filing_number: str
    verification_code: str
    received_on: date
    due_date: date
    status: StatusOut


class RouteStepOut(Schema):
    at: datetime
    text: str


class TrackingOut(Schema):
    filing_number: str
    service: str
    filed_at: datetime
    due_date: date
    status: StatusOut
    route: list[RouteStepOut]
    chain_head: str


# Error paths that are not answers keep their name; answers are prefixed, like the request.
TOP_LEVEL_PATHS = (
    "documents",
    "consent",
    "filer",
    "contact",
    "service",
    "dependency",
    "chosen_dependency",
    "idempotency_key",
)


def _api_path(path: str) -> str:
    return path if path.startswith(TOP_LEVEL_PATHS) else f"answers.{path}"


def _status(case: Case) -> dict[str, Any]:
    stage = case.service_version.parsed.workflow.stage(case.stage)
    return {
        "stage": case.stage,
        "label_es": stage.citizen_label.es,
        "label_en": stage.citizen_label.en,
        "closed": case.is_closed,
        "waiting_for_citizen": case.is_paused,
    }


def _tracking(case: Case) -> dict[str, Any]:
    return {
        "filing_number": case.filing_number,
        "service": case.service.slug,
        "filed_at": case.filed_at,
        "due_date": case.due_date,
        "status": _status(case),
        "route": [
            {"at": event.at, "text": event_text(event, case)}
            for event in selectors.citizen_route(case)
        ],
        "chain_head": selectors.last_hash(case),
    }


def _uploads(payload: CaseIn, errors: dict[str, list[str]]) -> list[Upload]:
    """The documents as uploads; what cannot be one goes to `errors` by its path."""
    uploads = []
    largest = upload_max_bytes()
    for index, document in enumerate(payload.documents):
        # Measured before decoding: base64 is four characters for three bytes.
        if len(document.content_base64) // 4 * 3 > largest + 3:
            errors[f"documents.{index}.content_base64"] = [
                f"Larger than any document accepts ({largest // (1024 * 1024)} MB)."
            ]
            continue
        try:
            content = base64.b64decode(document.content_base64, validate=True)
        except (binascii.Error, ValueError):
            errors[f"documents.{index}.content_base64"] = ["Not valid base64."]
            continue
        # The type comes from the content: `content_type` is accepted and ignored.
        uploads.append(Upload(document.key, document.name, content))
    return uploads


def _places(
    service: Service, payload: CaseIn, errors: dict[str, list[str]]
) -> tuple[ServicePoint | None, Dependency | None]:
    """The service point and the dependency chosen, each checked against the service."""
    point = (
        service_points_for(service).filter(code=payload.service_point).first()
        if payload.service_point
        else None
    )
    if payload.service_point and point is None:
        errors["service_point"] = ["No service point with that code offers this service."]
    chosen = (
        dependencies_to_choose_for(service).filter(code=payload.chosen_dependency).first()
        if payload.chosen_dependency
        else None
    )
    if payload.chosen_dependency and chosen is None:
        errors["chosen_dependency"] = ["Not a dependency to choose for this service."]
    return point, chosen


def _filer(client: ApiClient, payload: CaseIn) -> tuple[str, User | None, Contact | None]:
    """Who files: the token's citizen, an anonymous person, or a guest with contact details."""
    if client.user is not None:
        return FilerKind.CITIZEN, client.user, None
    if payload.anonymous:
        return FilerKind.ANONYMOUS, None, None
    given = payload.applicant or ApplicantIn()
    contact = Contact(
        name=given.name,
        email=given.email,
        phone=given.phone,
        id_type=given.id_type,
        id_number=given.id_number,
    )
    return FilerKind.GUEST, None, contact


@router.post(
    "/cases",
    auth=bearer,
    response={201: FiledOut, **error_responses(401, 404, 409, 413)},
    summary="File a case",
)
def file_case(request: HttpRequest, payload: CaseIn) -> Any:
    """File a request for a service, as the citizen who owns the token or as a channel (a call
    centre, a chatbot) acting for a guest or an anonymous person. The answers must satisfy the
    service's JSON Schema (`GET /services/{slug}`); errors come back keyed by field path."""
    client: ApiClient = request.auth  # type: ignore[attr-defined]
    published = published_service(payload.service)
    if published is None:
        return Status(404, {"detail": "No published service with that slug."})
    service, version = published
    errors: dict[str, list[str]] = {}
    uploads = _uploads(payload, errors)
    point, chosen = _places(service, payload, errors)
    if errors:
        return Status(422, {"detail": "The filing has errors.", "errors": errors})
    filer, applicant, contact = _filer(client, payload)
    try:
        filing = case_file(
            service_version=version,
            answers=payload.answers,
            channel=client.channel if client.user is None else "api",
            filer_kind=filer,
            applicant=applicant,
            contact=contact,
            documents=uploads,
            service_point=point,
            chosen_dependency=chosen,
            idempotency_key=payload.idempotency_key,
            caller=Caller.api_client(client.pk),
            language="en" if payload.language == "en" else "es",
            consent_text=consent_text_current() if payload.consent_given else None,
            consent_method="verbal_phone" if client.channel == "phone" else "online",
        )
    except IdempotencyConflict:
        return Status(
            409,
            {
                "detail": "This idempotency key was already used for a different request. "
                "Send the same request to get its case back, or a new key to file another."
            },
        )
    except FilingError as error:
        return Status(
            422,
            {
                "detail": "The filing has errors.",
                "errors": {_api_path(path): messages for path, messages in error.errors.items()},
            },
        )
    case = filing.case
    return Status(
        201,
        {
            "filing_number": case.filing_number,
            "verification_code": filing.verification_code,
            "received_on": case.received_on,
            "due_date": case.due_date,
            "status": _status(case),
        },
    )


@router.get(
    "/cases/{filing_number}",
    response={200: TrackingOut, **error_responses(404, 429)},
    summary="Track a case with its verification code",
)
def track_case(
    request: HttpRequest,
    response: HttpResponse,
    filing_number: FilingNumber,
    code: VerificationCode,
) -> Any:
    """The public tracking view: status, due date and route in plain language, nothing about
    the person. The same 404 for an unknown number and a wrong code. Wrong codes are limited
    per client address and number (429 with `Retry-After`); right ones never count."""
    found = case_track(filing_number=filing_number, code=code, client=client_ip(request))
    if found.retry_after:
        response["Retry-After"] = str(found.retry_after)
        return Status(
            429, {"detail": f"Too many wrong codes; try again in {found.retry_after} seconds."}
        )
    case = found.case
    if case is None:
        return Status(404, {"detail": "No case with that number and code."})
    return _tracking(case)


@router.get(
    "/me/cases",
    auth=bearer,
    response={200: list[TrackingOut], **error_responses(401, 403)},
    summary="The citizen's own cases",
)
def my_cases(request: HttpRequest) -> Any:
    """The citizen's own cases (a citizen's personal token only)."""
    client: ApiClient = request.auth  # type: ignore[attr-defined]
    if client.user is None:
        return Status(403, {"detail": "Only a citizen's personal token lists its cases."})
    return [_tracking(case) for case in selectors.cases_of(client.user)]


@router.get(
    "/me/cases/{filing_number}",
    auth=bearer,
    response={200: TrackingOut, **error_responses(401, 403, 404)},
    summary="One of the citizen's own cases",
)
def my_case(request: HttpRequest, filing_number: FilingNumber) -> Any:
    """One of the citizen's own cases; anybody else's is a 404."""
    client: ApiClient = request.auth  # type: ignore[attr-defined]
    if client.user is None:
        return Status(403, {"detail": "Only a citizen's personal token reads its cases."})
    case = selectors.own_case(client.user, filing_number)
    if case is None:
        return Status(404, {"detail": "No case of yours with that number."})
    return _tracking(case)
