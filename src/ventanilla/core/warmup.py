"""Work every web process does once at start instead of in its first request: importing every
view (the URL configuration), loading both languages' catalogues and compiling the base
template. Without it the first visitor of each new process waits about a second longer."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import get_template
from django.urls import get_resolver
from django.utils import translation


def process_warm() -> None:
    get_resolver().url_patterns  # noqa: B018 - imports every view module
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Ventanilla")
    get_template("base.html")
