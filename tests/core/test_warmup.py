"""A web process imports its views and loads its catalogues and base template when it starts,
so that its first visitor does not pay for them (about a second on 2 cores)."""

from __future__ import annotations

import subprocess
import sys

from django.conf import settings


def test_starting_the_wsgi_application_loads_every_view() -> None:
    probe = (
        "import sys, ventanilla.config.wsgi; "
        "print(all(m in sys.modules for m in ("
        "'ventanilla.portal.verify_views', 'ventanilla.workspace.views', 'ventanilla.api.main')))"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        env={"DJANGO_SETTINGS_MODULE": "ventanilla.config.settings", "PATH": "/usr/bin:/bin"},
        cwd=settings.BASE_DIR,
    )
    assert result.stdout.strip().splitlines()[-1] == "True", result.stderr
