"""Catalogue endpoints: the same search and the same data as the portal.

No `from __future__ import annotations` here: django-ninja reads the annotations at import.
"""

from typing import Any

from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import override
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError
from ninja.pagination import PageNumberPagination, paginate

from ventanilla.api.schemas import (
    Line,
    ServiceDetailOut,
    ServicePointOut,
    ServiceSummaryOut,
    ShortCode,
    Slug,
    error_responses,
)
from ventanilla.catalog import formkit, selectors
from ventanilla.catalog.models import Service, ServiceVersion
from ventanilla.catalog.schema import OwnerKind, Workflow
from ventanilla.catalog.selectors import CatalogFilters

router = Router(tags=["catalogue"])


class CatalogQuery(Schema):
    q: Line = Field(default="", max_length=200)
    entity: Line = Field(default="", max_length=20)
    category: Line = Field(default="", max_length=50)
    life_event: Line = Field(default="", max_length=50)
    channel: Line = Field(default="", max_length=20)
    kind: Line = Field(default="", max_length=20)


def _text(es: str, en: str) -> dict[str, str]:
    return {"es": es, "en": en}


def _summary(request: HttpRequest, service: Service) -> dict[str, Any]:
    with override("es"):
        url = request.build_absolute_uri(reverse("portal:service", args=[service.slug]))
    return {
        "slug": service.slug,
        "title": _text(service.title_es, service.title_en),
        "summary": _text(service.summary_es, service.summary_en),
        "kind": service.kind,
        "channels": list(service.channels),
        "entity": {"code": service.entity.code, "name": service.entity.name},
        "category": {
            "slug": service.category.slug,
            "name": _text(service.category.name_es, service.category.name_en),
        },
        "url": url,
    }


@router.get(
    "/services",
    response={200: list[ServiceSummaryOut], **error_responses()},
    summary="Search the catalogue",
)
@paginate(PageNumberPagination, page_size=20)
def list_services(request: HttpRequest, filters: Query[CatalogQuery]) -> list[dict[str, Any]]:
    """Published services, filtered, and ranked by relevance when `q` is given (the portal's
    search: accents, case and plurals do not matter; title matches first)."""
    found = selectors.service_search(CatalogFilters(**filters.dict()))
    return [_summary(request, service) for service in found]


def _detail(
    request: HttpRequest, service: Service, version: ServiceVersion, lang: str
) -> dict[str, Any]:
    definition = version.parsed
    return {
        **_summary(request, service),
        "version": version.number,
        "published_at": version.published_at,
        "dependency": {"code": service.dependency.code, "name": service.dependency.name},
        "life_events": [
            {"slug": e.slug, "name": _text(e.name_es, e.name_en)} for e in service.life_events.all()
        ],
        "description": definition.description.model_dump(),
        "who_may_ask": definition.who_may_ask.model_dump(),
        "steps": [step.model_dump() for step in definition.steps],
        "legal_basis": definition.legal_basis.model_dump(),
        "fee": {
            "amount": definition.fee.amount,
            "currency": definition.fee.currency,
            "free": definition.fee.is_free,
        },
        "term": {
            "amount": definition.term.amount,
            "unit": definition.term.unit.value,
            "legal_basis": definition.term.legal_basis.model_dump(),
        },
        "filers": [filer.value for filer in definition.filers],
        "documents": [document.model_dump(mode="json") for document in definition.documents],
        "form_schema": formkit.json_schema(definition.form, language=lang),
        "choices": _choices(service, definition.workflow),
    }


def _choices(service: Service, workflow: Workflow) -> dict[str, Any]:
    first = workflow.initial.owner.kind
    chosen = workflow.routes_by(OwnerKind.CHOSEN_AT_FILING)
    return {
        "service_point": {
            "asked": workflow.routes_by(OwnerKind.SERVICE_POINT),
            "required": first == OwnerKind.SERVICE_POINT,
        },
        "chosen_dependency": {
            "asked": chosen,
            "required": first == OwnerKind.CHOSEN_AT_FILING,
        },
        "dependencies": [
            {"code": d.code, "name": d.name} for d in selectors.dependencies_to_choose_for(service)
        ]
        if chosen
        else [],
    }


@router.get(
    "/services/{slug}",
    response={200: ServiceDetailOut, **error_responses(404)},
    summary="A service and its published version",
)
def get_service(
    request: HttpRequest,
    slug: Slug,
    lang: ShortCode = "es",
) -> Any:
    """Everything a client needs to show a service and to file it: texts in both languages,
    fee, legal term, documents, the form as JSON Schema (titles in `lang`), and the places
    to choose when filing (`choices`)."""
    try:
        service, version = selectors.service_with_version(slug)
    except Http404:
        return Status(404, {"detail": "No published service with that slug."})
    return _detail(request, service, version, "en" if lang == "en" else "es")


@router.get(
    "/services/{slug}/service-points",
    response={200: list[ServicePointOut], **error_responses(404)},
    summary="The service points that offer a service",
)
@paginate(PageNumberPagination, page_size=50)
def list_service_points(
    request: HttpRequest,
    slug: Slug,
    locality: ShortCode = "",
) -> Any:
    """The active schools, centres and offices that offer the service, by locality and name,
    optionally in one `locality` (its code): the valid values of `service_point` when filing."""
    try:
        service, _version = selectors.service_with_version(slug)
    except Http404:
        raise HttpError(404, "No published service with that slug.") from None
    return [
        {
            "code": point.code,
            "name": point.name,
            "kind": point.kind,
            "address": point.address,
            "locality": {"code": point.locality.code, "name": point.locality.name},
            "dependency": {"code": point.dependency.code, "name": point.dependency.name},
        }
        for point in selectors.service_points_for(service, locality=locality).select_related(
            "dependency"
        )
    ]
