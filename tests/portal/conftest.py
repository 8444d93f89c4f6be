from tests.catalog.fixtures import organisation, reference_service  # noqa: F401
from tests.places.conftest import now, season  # noqa: F401 - the school places pages
