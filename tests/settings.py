"""The settings the tests run under: the project's, plus a test-only app that plugs a
capability into the registries (tests/extension)."""

from ventanilla.config.settings import *  # noqa: F403
from ventanilla.config.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.extension"]
