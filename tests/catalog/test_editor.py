"""The structured editor: generated from the schema, keeps what was typed, publishes what is on
screen."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from pydantic import BaseModel

from tests import factories
from ventanilla.catalog import editor
from ventanilla.catalog.models import Service, ServiceVersion, VersionStatus
from ventanilla.catalog.schema import ServiceDefinition, Text
from ventanilla.catalog.services import service_version_clone


@pytest.fixture
def admin_client(client: Client, reference_service: Service) -> Client:
    staff = factories.user(staff=True, is_superuser=True)
    factories.enrol_totp(staff)
    client.force_login(staff)
    return client


@pytest.fixture
def draft(reference_service: Service) -> ServiceVersion:
    return service_version_clone(version=reference_service.versions.get())


def change_url(version: ServiceVersion) -> str:
    return f"/admin/catalog/serviceversion/{version.pk}/change/"


def form_values(html: str) -> dict[str, Any]:
    """What a browser would post from the editor's form as shown (first button aside)."""
    from html.parser import HTMLParser

    values: dict[str, Any] = {}

    class Reader(HTMLParser):
        field: str | None = None
        text: list[str] = []

        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            a = dict(attrs)
            name = a.get("name")
            if tag == "input" and name and a.get("type") not in ("submit",):
                if a.get("type") == "checkbox":
                    if "checked" in a:
                        values.setdefault(name, []).append(a.get("value") or "on")
                else:
                    values.setdefault(name, []).append(a.get("value") or "")
            elif tag == "textarea" and name:
                self.field, self.text = name, []
            elif tag == "select" and name:
                self.field = name
                values.setdefault(name, [])
            elif tag == "option" and self.field and "selected" in a:
                values[self.field].append(a.get("value") or "")

        def handle_data(self, data: str) -> None:
            if self.field and self.text is not None:
                self.text.append(data)

        def handle_endtag(self, tag: str) -> None:
            if tag == "textarea" and self.field:
                values.setdefault(self.field, []).append("".join(self.text).strip("\n"))
                self.field = None
            if tag == "select":
                self.field = None

    reader = Reader()
    reader.convert_charrefs = True
    reader.feed(html)
    values.pop("csrfmiddlewaretoken", None)
    return values


def test_the_editor_shows_the_draft_and_saving_it_unchanged_changes_nothing(
    admin_client: Client, draft: ServiceVersion
) -> None:
    html = admin_client.get(change_url(draft)).content.decode()
    assert 'name="title.es"' in html and 'name="form.sections.0.fields.0.key"' in html
    values = form_values(html)
    before = dict(draft.definition)
    response = admin_client.post(change_url(draft), {**values, "_save": ""})
    assert response.status_code == 302, response.content.decode()[:3000]
    draft.refresh_from_db()
    assert draft.definition == before
