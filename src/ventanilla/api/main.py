"""The REST API, version 1: OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs."""

from ninja import NinjaAPI

from ventanilla.api.catalog import router as catalog_router

api = NinjaAPI(
    title="Ventanilla API",
    version="1",
    description=(
        "Integrations and open data: the service catalogue today; filing and tracking cases, "
        "appointments and documents in later versions. Texts come in Spanish and English."
    ),
    urls_namespace="api",
)
api.add_router("/", catalog_router)
