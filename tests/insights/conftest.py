from tests.catalog.fixtures import organisation, reference_service  # noqa: F401
