from tests.catalog.fixtures import (  # noqa: F401
    organisation,
    organisation_localities,
    reference_service,
)
