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

SEP = editor.SEPARATOR  # "Formulario, Sección 2" joined by a right-pointing angle quote


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


# --- Generated from the schema ------------------------------------------------------------------


def schema_leaves() -> list[str]:
    """Every input the definition can have, found by walking its JSON schema (lists: row 0)."""
    schema = ServiceDefinition.model_json_schema()
    definitions = schema["$defs"]

    def resolve(node: dict[str, Any]) -> dict[str, Any]:
        if "$ref" in node:
            return resolve(definitions[node["$ref"].split("/")[-1]])
        options = [o for o in node.get("anyOf", []) if o.get("type") != "null"]
        if len(options) == 1:
            return resolve(options[0])
        return node

    def walk(node: dict[str, Any], path: str) -> list[str]:
        node = resolve(node)
        if node.get("type") == "object" and "properties" in node:
            return [
                leaf
                for name, child in node["properties"].items()
                for leaf in walk(child, f"{path}.{name}" if path else name)
            ]
        if node.get("type") == "array":
            items = resolve(node["items"])
            if items.get("type") == "object":
                return walk(items, f"{path}.0")
        return [path]

    return walk(schema, "")


def full_definition() -> dict[str, Any]:
    """A definition with a row in every list and every optional part present (all empty)."""

    def fill(model: type[BaseModel]) -> dict[str, Any]:
        data: dict[str, Any] = {}
        for name, info in model.model_fields.items():
            shape = editor.shape_of(info.annotation)
            if shape.kind == "list_model":
                data[name] = [fill(shape.model)]
            elif shape.kind == "model":
                data[name] = fill(shape.model)
        return data

    return fill(ServiceDefinition)


def test_every_field_of_the_schema_has_an_input_in_the_editor() -> None:
    from django.template.loader import render_to_string

    nodes = editor.editor_nodes(full_definition())
    html = "".join(render_to_string("catalog/editor/node.html", {"node": n}) for n in nodes)
    names = set(re.findall(r'name="([^"]+)"', html))
    leaves = schema_leaves()
    assert len(leaves) > 60
    missing = [leaf for leaf in leaves if leaf not in names]
    assert not missing, f"schema fields without an input in the editor: {missing}"
    for leaf in leaves:  # and each input has a label bound to it
        node_id = editor.html_id(leaf)
        assert f'id="{node_id}"' in html or f'id="{node_id}--1"' in html, leaf


def test_every_field_of_the_schema_has_a_human_label() -> None:
    seen: set[type[BaseModel]] = set()
    unlabelled: list[str] = []

    def visit(model: type[BaseModel]) -> None:
        if model in seen or model is Text:
            return
        seen.add(model)
        for name, info in model.model_fields.items():
            if f"{model.__name__}.{name}" not in editor.LABELS and name not in editor.LABELS:
                unlabelled.append(f"{model.__name__}.{name}")
            shape = editor.shape_of(info.annotation)
            if shape.kind in ("model", "list_model"):
                visit(shape.model)

    visit(ServiceDefinition)
    assert not unlabelled, f"add these to catalog.editor.LABELS: {unlabelled}"
    # Without a label a field still reads as words, never as its key.
    assert editor.field_label(ServiceDefinition, "who_may_ask") == "Quién puede pedirlo"
    assert editor.field_label(Text, "some_new_field") == "Some new field"


def test_a_new_schema_field_appears_without_editing_the_editor() -> None:
    from pydantic import create_model

    extended = create_model(
        "Extended", __base__=ServiceDefinition, office_hours=(Text | None, None)
    )
    nodes = editor._model_children(extended, {}, "", "", {})
    node = next(n for n in nodes if n.path == "office_hours")
    assert node.kind == "bilingual" and node.label == "Office hours"
    assert [c.path for c in node.children] == ["office_hours.es", "office_hours.en"]


# --- Editing ------------------------------------------------------------------------------------


def test_adding_and_removing_rows_keeps_everything_typed_and_saves_nothing(
    admin_client: Client, draft: ServiceVersion
) -> None:
    values = form_values(admin_client.get(change_url(draft)).content.decode())
    values["title.es"] = ["Cupo escolar, título sin guardar"]
    fields = int(values["form.sections.0.fields.__rows"][0])
    added = admin_client.post(
        change_url(draft), {**values, "_add": "form.sections.0.fields"}
    ).content.decode()
    assert 'value="Cupo escolar, título sin guardar"' in added
    assert f'name="form.sections.0.fields.{fields}.key"' in added
    assert f'formaction="#ed-form-sections-0-fields-{fields + 1}"' in added  # the next row's
    again = form_values(added)
    assert again["form.sections.0.fields.__rows"] == [str(fields + 1)]
    removed = admin_client.post(
        change_url(draft), {**again, "_remove": "form.sections.0.fields.0"}
    ).content.decode()
    assert 'value="Cupo escolar, título sin guardar"' in removed
    assert 'name="form.sections.0.fields.0.key" value="documento_estudiante_numero"' in removed
    draft.refresh_from_db()
    assert draft.definition["title"]["es"] != "Cupo escolar, título sin guardar"


def test_a_row_moves_up_and_down_keeping_what_was_typed(
    admin_client: Client, draft: ServiceVersion
) -> None:
    values = form_values(admin_client.get(change_url(draft)).content.decode())
    values["form.sections.0.fields.1.key"] = ["documento_sin_guardar"]
    moved = admin_client.post(
        change_url(draft), {**values, "_move": "form.sections.0.fields.1:up"}
    ).content.decode()
    after = form_values(moved)
    assert after["form.sections.0.fields.0.key"] == ["documento_sin_guardar"]
    assert after["form.sections.0.fields.1.key"] == ["nombres_estudiante"]
    assert after["form.sections.0.fields.0.label.es"] == ["Documento del estudiante"]
    assert "Subir pregunta 2" in moved and "Bajar pregunta 1" in moved
    assert "Subir pregunta 1<" not in moved  # the first row does not go up
    down = form_values(
        admin_client.post(
            change_url(draft), {**after, "_move": "form.sections.0.fields.0:down"}
        ).content.decode()
    )
    assert down["form.sections.0.fields.1.key"] == ["documento_sin_guardar"]


def test_errors_are_shown_next_to_their_input_with_a_human_path_and_nothing_is_lost(
    admin_client: Client, draft: ServiceVersion
) -> None:
    values = form_values(admin_client.get(change_url(draft)).content.decode())
    values["form.sections.0.fields.1.key"] = [""]
    values["term.amount"] = ["quince"]
    values["title.en"] = [""]
    before = dict(draft.definition)
    response = admin_client.post(change_url(draft), {**values, "_save": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert f"Formulario{SEP}Sección 1{SEP}Pregunta 2{SEP}Clave" in html
    assert f"Plazo para responder{SEP}Cantidad" in html
    assert f"Título{SEP}English" in html
    assert 'value="quince"' in html  # as typed
    key = 'id="ed-form-sections-0-fields-1-key"'
    tag = re.search(rf"<input[^>]*{key}[^>]*>", html)
    assert tag and 'aria-invalid="true"' in tag.group()
    assert 'aria-describedby="ed-form-sections-0-fields-1-key--error' in tag.group()
    assert 'id="ed-form-sections-0-fields-1-key--error"' in html
    assert "Escriba un número entero." in html
    assert '<a href="#ed-term-amount">' in html
    draft.refresh_from_db()
    assert draft.definition == before


def test_a_rule_across_fields_is_shown_on_its_fieldset(
    admin_client: Client, draft: ServiceVersion
) -> None:
    values = form_values(admin_client.get(change_url(draft)).content.decode())
    values["workflow.stages.4.terminal"] = []
    values["workflow.stages.5.terminal"] = []
    values["workflow.stages.6.terminal"] = []
    html = admin_client.post(change_url(draft), {**values, "_save": ""}).content.decode()
    assert "Flujo de trabajo" in html and "el flujo no tiene etapa final" in html
    assert 'id="ed-workflow--error"' in html


def test_publish_publishes_what_is_on_screen_not_the_stored_draft(
    admin_client: Client, draft: ServiceVersion, reference_service: Service
) -> None:
    values = form_values(admin_client.get(change_url(draft)).content.decode())
    values["title.es"] = ["Cupo escolar: título nuevo"]
    values["notes"] = ["Título más corto"]
    response = admin_client.post(change_url(draft), {**values, "_publish": ""})  # never saved
    assert response.status_code == 302, response.content.decode()[:3000]
    draft.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED
    assert draft.definition["title"]["es"] == "Cupo escolar: título nuevo"
    assert draft.notes == "Título más corto"
    reference_service.refresh_from_db()
    assert reference_service.title_es == "Cupo escolar: título nuevo"
    page = admin_client.get(response["Location"]).content.decode()
    assert "se publicó" in page


def test_publish_with_errors_on_screen_publishes_nothing(
    admin_client: Client, draft: ServiceVersion, reference_service: Service
) -> None:
    values = form_values(admin_client.get(change_url(draft)).content.decode())
    values["title.es"] = [""]
    response = admin_client.post(change_url(draft), {**values, "_publish": ""})
    assert response.status_code == 200
    assert f"Título{SEP}Español" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == VersionStatus.DRAFT
    assert reference_service.versions.get(number=1).status == VersionStatus.PUBLISHED


def test_the_yaml_view_publishes_what_is_in_its_box(
    admin_client: Client, draft: ServiceVersion
) -> None:
    import yaml

    definition = dict(draft.definition)
    definition["title"] = {"es": "Cupo (desde YAML)", "en": "Place (from YAML)"}
    text = yaml.safe_dump(definition, allow_unicode=True, sort_keys=False)
    page = admin_client.get(f"/admin/catalog/serviceversion/{draft.pk}/yaml/").content.decode()
    assert 'form="serviceversion_form" name="_publish"' in page  # submits the box, not the row
    response = admin_client.post(
        f"/admin/catalog/serviceversion/{draft.pk}/yaml/",
        {"definition_yaml": text, "notes": "", "_publish": ""},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == VersionStatus.PUBLISHED
    assert draft.definition["title"]["es"] == "Cupo (desde YAML)"


def test_a_created_draft_links_to_itself(admin_client: Client, reference_service: Service) -> None:
    published = reference_service.versions.get()
    response = admin_client.post(
        "/admin/catalog/service/",
        {"action": "new_draft", "_selected_action": [reference_service.pk]},
        follow=True,
    )
    new = reference_service.versions.get(number=2)
    assert f'<a href="{change_url(new)}">' in response.content.decode()
    response = admin_client.post(
        f"/admin/catalog/serviceversion/{published.pk}/clone/", follow=True
    )
    newer = reference_service.versions.get(number=3)
    assert f'<a href="{change_url(newer)}">' in response.content.decode()


def press(client: Client, url: str, values: dict[str, Any], button: str, value: str = "") -> Any:
    """Press a button of the editor with `values` typed; the values the page then shows."""
    response = client.post(url, {**values, button: value})
    assert response.status_code == 200, response.status_code
    return form_values(response.content.decode())


def test_a_new_service_is_built_in_the_editor_and_published(
    admin_client: Client, reference_service: Service
) -> None:
    from ventanilla.catalog.models import Category
    from ventanilla.organization.models import Dependency

    coverage = Dependency.objects.get(code="DIR-COBERTURA")
    category = Category.objects.create(slug="becas", name_es="Becas", name_en="Grants")
    created = admin_client.post(
        "/admin/catalog/service/add/",
        {
            "slug": "beca-transporte",
            "entity": coverage.entity_id,
            "dependency": coverage.pk,
            "category": category.pk,
            "kind": "procedure",
            "channels": ["online"],
            "versions-TOTAL_FORMS": "0",
            "versions-INITIAL_FORMS": "0",
        },
    )
    assert created.status_code == 302, re.findall(r"errorlist.{0,300}", created.content.decode())
    service = Service.objects.get(slug="beca-transporte")
    draft = service.versions.get()
    url = created["Location"]
    assert url == change_url(draft)

    values = form_values(admin_client.get(url).content.decode())
    values.update({"title.es": ["Subsidio de transporte escolar"], "title.en": ["School bus"]})
    for _ in range(2):
        values = press(admin_client, url, values, "_add", "documents")
    for i, key in enumerate(["documento_identidad", "certificado_estudio"]):
        values.update(
            {
                f"documents.{i}.key": [key],
                f"documents.{i}.name.es": [f"Documento {i}"],
                f"documents.{i}.name.en": [f"Document {i}"],
                f"documents.{i}.description.es": ["Una copia legible."],
                f"documents.{i}.description.en": ["A readable copy."],
                f"documents.{i}.kind": [key],
            }
        )
    for _ in range(3):
        values = press(admin_client, url, values, "_add", "form.sections.0.fields")
    base = "form.sections.0.fields"
    assert values[f"{base}.__rows"] == ["6"]
    values.update(
        {
            f"{base}.3.key": ["detalle_urgencia"],
            f"{base}.3.type": ["long_text"],
            f"{base}.3.label.es": ["¿Por qué es urgente?"],
            f"{base}.3.label.en": ["Why is it urgent?"],
            f"{base}.3.visible_if.field": ["es_urgente"],
            f"{base}.3.visible_if.equals": ["true"],
            f"{base}.4.key": ["certificado"],
            f"{base}.4.type": ["file"],
            f"{base}.4.label.es": ["Certificado de estudio"],
            f"{base}.4.label.en": ["Certificate of studies"],
            f"{base}.4.document": ["certificado_estudio"],
            f"{base}.5.key": ["jornada"],
            f"{base}.5.type": ["choice"],
            f"{base}.5.label.es": ["Jornada"],
            f"{base}.5.label.en": ["School day"],
        }
    )
    for _ in range(2):
        values = press(admin_client, url, values, "_add", f"{base}.5.choices")
    for i, (value, es, en) in enumerate(
        [("manana", "Mañana", "Morning"), ("tarde", "Tarde", "Afternoon")]
    ):
        values.update(
            {
                f"{base}.5.choices.{i}.value": [value],
                f"{base}.5.choices.{i}.label.es": [es],
                f"{base}.5.choices.{i}.label.en": [en],
            }
        )
    response = admin_client.post(url, {**values, "_publish": ""})
    assert response.status_code == 302, re.findall(
        r'class="ed-error-summary".*?</div>', response.content.decode(), re.S
    )
    draft.refresh_from_db()
    parsed = draft.parsed
    assert draft.status == VersionStatus.PUBLISHED
    assert len(parsed.form.fields) == 6 and len(parsed.documents) == 2
    assert len(parsed.workflow.stages) == 3
    urgent = parsed.form.field("detalle_urgencia")
    assert urgent.visible_if is not None and urgent.visible_if.equals is True
    assert parsed.form.field("certificado").document == "certificado_estudio"
