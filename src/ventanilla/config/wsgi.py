"""WSGI entry point: `gunicorn ventanilla.config.wsgi`."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ventanilla.config.settings")
application = get_wsgi_application()

from ventanilla.core.warmup import process_warm  # noqa: E402 - needs the settings above

process_warm()
