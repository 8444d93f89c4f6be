from tests.appointments.conftest import now, schedule, school  # noqa: F401
from tests.catalog.fixtures import organisation, reference_service  # noqa: F401
