"""The REST API, version 1: OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs."""

from ninja import NinjaAPI

from ventanilla.api.cases import router as cases_router
from ventanilla.api.catalog import router as catalog_router

api = NinjaAPI(
    title="Ventanilla API",
    version="1",
    description=(
        "Integrations and open data: the service catalogue, filing and tracking cases. "
        "Authenticated endpoints take `Authorization: Bearer <token>` (created with "
        "`manage.py api_client create NAME`). Texts come in Spanish and English."
    ),
    urls_namespace="api",
)
api.add_router("/", catalog_router)
api.add_router("/", cases_router)
