"""Case endpoints: file for a citizen or a channel, track with number and code, list one's own.

No `from __future__ import annotations` here: django-ninja reads the annotations at import.
"""

import base64
import binascii
from datetime import date, datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema, Status
from ninja.security import HttpBearer

from ventanilla.accounts.selectors import consent_text_current
from ventanilla.api.models import ApiClient
from ventanilla.api.services import api_client_authenticate
from ventanilla.cases import selectors
from ventanilla.cases.citizen_text import event_text
from ventanilla.cases.documents import Upload
from ventanilla.cases.filing import Contact, FilingError, case_file
from ventanilla.cases.models import Case, FilerKind
from ventanilla.cases.tracking import case_track
from ventanilla.catalog.models import Service, VersionStatus
from ventanilla.core.ratelimit import client_ip

router = Router(tags=["cases"])


class BearerToken(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiClient | None:
        return api_client_authenticate(token)


bearer = BearerToken()


class ApplicantIn(Schema):
    name: str = ""
    email: str = ""
    phone: str = ""
    id_type: str = ""
    id_number: str = ""


class DocumentIn(Schema):
    key: str
    name: str
    content_type: str = "application/octet-stream"
    content_base64: str


class CaseIn(Schema):
    service: str
    answers: dict[str, Any]
    applicant: ApplicantIn | None = None
    anonymous: bool = False
    consent_given: bool = False
    documents: list[DocumentIn] = []
    idempotency_key: str = ""
    language: str = "es"


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


class ErrorsOut(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


# Error paths that are not answers keep their name; answers are prefixed, like the request.
TOP_LEVEL_PATHS = ("documents", "consent", "filer", "contact", "service", "dependency")


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


@router.post(
    "/cases",
    auth=bearer,
    response={201: FiledOut, 404: ErrorsOut, 422: ErrorsOut},
    summary="File a case",
)
def file_case(request: HttpRequest, payload: CaseIn) -> Any:
    """File a request for a service, as the citizen who owns the token or as a channel (a call
    centre, a chatbot) acting for a guest or an anonymous person. The answers must satisfy the
    service's JSON Schema (`GET /services/{slug}`); errors come back keyed by field path."""
    client: ApiClient = request.auth  # type: ignore[attr-defined]
    service = Service.objects.filter(slug=payload.service, is_published=True).first()
    version = service.versions.filter(status=VersionStatus.PUBLISHED).first() if service else None
    if version is None:
        return Status(404, {"detail": "No published service with that slug."})
    uploads = []
    for index, document in enumerate(payload.documents):
        try:
            content = base64.b64decode(document.content_base64, validate=True)
        except (binascii.Error, ValueError):
            return Status(
                422,
                {
                    "detail": "Invalid document.",
                    "errors": {f"documents.{index}.content_base64": ["Not valid base64."]},
                },
            )
        uploads.append(Upload(document.key, document.name, content, document.content_type))
    if client.user is not None:
        filer, applicant, contact = FilerKind.CITIZEN, client.user, None
    elif payload.anonymous:
        filer, applicant, contact = FilerKind.ANONYMOUS, None, None
    else:
        given = payload.applicant or ApplicantIn()
        filer, applicant = FilerKind.GUEST, None
        contact = Contact(
            name=given.name,
            email=given.email,
            phone=given.phone,
            id_type=given.id_type,
            id_number=given.id_number,
        )
    try:
        filing = case_file(
            service_version=version,
            answers=payload.answers,
            channel=client.channel if client.user is None else "api",
            filer_kind=filer,
            applicant=applicant,
            contact=contact,
            documents=uploads,
            idempotency_key=f"api:{client.pk}:{payload.idempotency_key}"
            if payload.idempotency_key
            else "",
            language="en" if payload.language == "en" else "es",
            consent_text=consent_text_current() if payload.consent_given else None,
            consent_method="verbal_phone" if client.channel == "phone" else "online",
        )
    except FilingError as error:
        return Status(
            422,
            {
                "detail": "The filing has errors.",
                "errors": {
                    (
                        path
                        if path.startswith(
                            ("documents", "consent", "filer", "contact", "service", "dependency")
                        )
                        else f"answers.{path}"
                    ): messages
                    for path, messages in error.errors.items()
                },
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
    response={200: TrackingOut, 404: ErrorsOut, 429: ErrorsOut},
    summary="Track a case with its verification code",
)
def track_case(request: HttpRequest, response: HttpResponse, filing_number: str, code: str) -> Any:
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


@router.get("/me/cases", auth=bearer, response={200: list[TrackingOut], 403: ErrorsOut})
def my_cases(request: HttpRequest) -> Any:
    """The citizen's own cases (a citizen's personal token only)."""
    client: ApiClient = request.auth  # type: ignore[attr-defined]
    if client.user is None:
        return Status(403, {"detail": "Only a citizen's personal token lists its cases."})
    return [_tracking(case) for case in selectors.cases_of(client.user)]


@router.get(
    "/me/cases/{filing_number}",
    auth=bearer,
    response={200: TrackingOut, 403: ErrorsOut, 404: ErrorsOut},
)
def my_case(request: HttpRequest, filing_number: str) -> Any:
    """One of the citizen's own cases; anybody else's is a 404."""
    client: ApiClient = request.auth  # type: ignore[attr-defined]
    if client.user is None:
        return Status(403, {"detail": "Only a citizen's personal token reads its cases."})
    case = selectors.own_case(client.user, filing_number)
    if case is None:
        return Status(404, {"detail": "No case of yours with that number."})
    return _tracking(case)
