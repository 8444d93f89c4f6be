"""The settings the tests run under: the project's, plus a test-only app that plugs a
capability into the registries (tests/extension)."""

from ventanilla.config.settings import *  # noqa: F403
from ventanilla.config.settings import INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "tests.extension"]

# Issued documents are signed with demo certificates made on first use, in a folder of this
# process (each test worker its own).
import tempfile  # noqa: E402

SIGNING_KEYS_DIR = tempfile.mkdtemp(prefix="ventanilla-signing-")
SIGNING_DEMO_CERTIFICATES = True
