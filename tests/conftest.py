"""Settings every test runs under: tasks run at once, a private cache, fast password hashing."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.fixture(autouse=True)
def _test_settings(settings: Any) -> None:
    settings.TASKS = {
        "default": {
            "BACKEND": "django.tasks.backends.immediate.ImmediateBackend",
            "QUEUES": ["default", "mail"],
        }
    }
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    # Every LocMemCache of the process shares one store: start each test with no rate-limit
    # counters or cached pages left by the one before.
    from django.core.cache import cache

    cache.clear()
    from ventanilla.core import memo

    memo.forget_here()


@pytest.fixture(autouse=True)
def _default_language() -> Any:
    """Each test starts in the site's default language. A request to an English page leaves
    English active in the thread, and a later test's reverse() would build English URLs."""
    from django.conf import settings
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield


@pytest.fixture(autouse=True)
def _seed_data(request: pytest.FixtureRequest) -> None:
    """Transactional tests flush the database, taking the data migrations' rows with them:
    put the defaults back (the first consent text, the notification templates)."""
    if not {"transactional_db", "live_server"} & set(request.fixturenames):
        marker = request.node.get_closest_marker("django_db")
        if marker is None or not marker.kwargs.get("transaction"):
            return
    request.getfixturevalue("transactional_db")
    from ventanilla.accounts.defaults import ensure_first_consent_text
    from ventanilla.accounts.models import ConsentText
    from ventanilla.notifications.defaults import ensure_default_templates
    from ventanilla.notifications.models import NotificationTemplate

    ensure_first_consent_text(ConsentText)
    ensure_default_templates(NotificationTemplate)
    from ventanilla.appointments.notices import TEMPLATES as APPOINTMENT_TEMPLATES

    ensure_default_templates(NotificationTemplate, APPOINTMENT_TEMPLATES)
    from ventanilla.documents.defaults import ensure_document_kinds
    from ventanilla.documents.models import DocumentKind

    ensure_document_kinds(DocumentKind)
    from ventanilla.turns.defaults import ensure_turn_templates

    ensure_turn_templates(NotificationTemplate)
    from ventanilla.surveys.notices import add_survey_link
    from ventanilla.surveys.notices import ensure_turn_templates as ensure_survey_templates

    ensure_survey_templates(NotificationTemplate)
    add_survey_link(NotificationTemplate)  # the closing notice's link, as migration 0002 adds
