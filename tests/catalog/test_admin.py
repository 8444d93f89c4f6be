"""Administrators edit versions as YAML (the expert view), see errors in words, publish, clone,
retire, diff."""

from __future__ import annotations

import pytest
import yaml
from django.test import Client

from tests import factories
from ventanilla.catalog.models import Service, ServiceVersion, VersionStatus
from ventanilla.catalog.services import service_version_clone


@pytest.fixture
def admin_client(client: Client, reference_service: Service) -> Client:
    staff = factories.user(staff=True, is_superuser=True)
    factories.enrol_totp(staff)
    client.force_login(staff)
    return client


def change_url(version: ServiceVersion) -> str:
    return f"/admin/catalog/serviceversion/{version.pk}/change/"


def yaml_url(version: ServiceVersion) -> str:
    return f"/admin/catalog/serviceversion/{version.pk}/yaml/"


def test_a_published_version_shows_read_only_with_its_workflow(
    admin_client: Client, reference_service: Service
) -> None:
    html = admin_client.get(change_url(reference_service.versions.get())).content.decode()
    assert 'name="definition_yaml"' not in html  # nothing to edit
    assert "Etapas (la primera es donde empieza el caso)" in html
    # In words an administrator reads, not the YAML's keys.
    assert "<td>Asignar cupo y responder</td>" in html
    assert "<td>aprobación</td><td>cierra con respuesta</td>" in html
    assert "pide información (detiene el término)" in html
    assert "la que se elige al radicar" in html or "la dependencia dueña del servicio" in html
    assert ">approver<" not in html and ">close_with_response<" not in html


def test_a_draft_with_errors_is_refused_in_words_and_nothing_is_lost(
    admin_client: Client, reference_service: Service
) -> None:
    draft = service_version_clone(version=reference_service.versions.get())
    definition = dict(draft.definition)
    definition["term"] = {**definition["term"], "amount": 0}
    text = yaml.safe_dump(definition, allow_unicode=True, sort_keys=False)
    response = admin_client.post(yaml_url(draft), {"definition_yaml": text, "notes": "x"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "term.amount" in html
    assert "amount: 0" in html  # what was typed is still there
    draft.refresh_from_db()
    assert draft.definition["term"]["amount"] == 15

    broken = admin_client.post(yaml_url(draft), {"definition_yaml": "title: [", "notes": ""})
    assert "No es YAML válido" in broken.content.decode()


def test_publish_clone_retire_and_diff_from_the_change_page(
    admin_client: Client, reference_service: Service
) -> None:
    first = reference_service.versions.get()
    admin_client.post(f"/admin/catalog/serviceversion/{first.pk}/clone/")
    draft = reference_service.versions.get(number=2)
    definition = dict(draft.definition)
    definition["title"] = {"es": "Cupo escolar (nueva versión)", "en": "School place (new)"}
    text = yaml.safe_dump(definition, allow_unicode=True, sort_keys=False)
    admin_client.post(yaml_url(draft), {"definition_yaml": text, "notes": "Nuevo título"})
    diff = admin_client.get(f"/admin/catalog/serviceversion/{draft.pk}/diff/{first.pk}/")
    html = diff.content.decode()
    assert "catalog-diff__added" in html and "Cupo escolar (nueva versión)" in html
    admin_client.post(f"/admin/catalog/serviceversion/{draft.pk}/publish/")
    first.refresh_from_db()
    draft.refresh_from_db()
    assert (first.status, draft.status) == (VersionStatus.RETIRED, VersionStatus.PUBLISHED)
    reference_service.refresh_from_db()
    assert reference_service.title_es == "Cupo escolar (nueva versión)"
    admin_client.post(f"/admin/catalog/serviceversion/{draft.pk}/retire/")
    reference_service.refresh_from_db()
    assert not reference_service.is_published


def test_only_a_get_is_harmless(admin_client: Client, reference_service: Service) -> None:
    version = reference_service.versions.get()
    admin_client.get(f"/admin/catalog/serviceversion/{version.pk}/retire/")
    version.refresh_from_db()
    assert version.status == VersionStatus.PUBLISHED


def test_a_new_version_starts_from_a_valid_example_and_opens_in_the_editor(
    admin_client: Client, reference_service: Service
) -> None:
    from ventanilla.catalog.services import STARTER, definition_errors

    starter = STARTER.read_text(encoding="utf-8")
    assert definition_errors(yaml.safe_load(starter)) == []
    html = admin_client.get("/admin/catalog/serviceversion/add/").content.decode()
    assert 'name="definition_yaml"' not in html  # the editor comes next, not a YAML box
    response = admin_client.post(
        "/admin/catalog/serviceversion/add/",
        {"service": reference_service.pk, "notes": "Primer borrador"},
    )
    draft = reference_service.versions.order_by("-number").first()
    assert draft is not None and draft.status == VersionStatus.DRAFT
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == change_url(draft)
    assert draft.definition["title"]["es"] == "Nombre del trámite"
    assert draft.notes == "Primer borrador"
    page = admin_client.get(response["Location"]).content.decode()
    assert 'value="Nombre del trámite"' in page
    # The message links to the draft it speaks of.
    assert f'href="{change_url(draft)}"' in page
