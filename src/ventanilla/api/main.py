"""The REST API, version 1: OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import ValidationError

from ventanilla.api.appointments import router as appointments_router
from ventanilla.api.cases import router as cases_router
from ventanilla.api.catalog import router as catalog_router
from ventanilla.api.documents import router as documents_router
from ventanilla.api.places import router as places_router

api = NinjaAPI(
    title="Ventanilla API",
    version="1",
    description=(
        "Integrations and open data: the service catalogue, filing and tracking cases, verifying "
        "issued documents, booking appointments at service points, school places (seasons, "
        "their rules, the places offered, the allocation's hashes). "
        "Authenticated endpoints take `Authorization: Bearer <token>` (created with "
        "`manage.py api_client create NAME`). Texts come in Spanish and English. Errors come "
        "as JSON with a `detail`; a 422 also has `errors`, keyed by field path."
    ),
    urls_namespace="api",
)
api.add_router("/", catalog_router)
api.add_router("/", cases_router)
api.add_router("/", documents_router)
api.add_router("/", appointments_router)
api.add_router("/", places_router)

# Where django-ninja puts a parameter; the rest of `loc` is the field's path.
_SOURCES = {"body", "query", "path", "header", "cookie", "form", "file"}


def _path(loc: list[Any]) -> str:
    parts = [str(part) for part in loc]
    if parts and parts[0] in _SOURCES:
        parts = parts[1:]
    if len(parts) > 1 and parts[0] in {"payload", "filters"}:
        parts = parts[1:]
    return ".".join(parts) or "body"


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """A parameter or field that does not validate: the same shape as the filing's errors."""
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        errors.setdefault(_path(list(error.get("loc", []))), []).append(str(error.get("msg")))
    return api.create_response(
        request, {"detail": "The request has errors.", "errors": errors}, status=422
    )
