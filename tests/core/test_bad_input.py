"""Bad input gets a 4xx (or the form again, with an error), never a 500: a NUL byte or an
over-long value in every path, query parameter and field of the portal, the workspace and the
API. PostgreSQL is where a NUL fails (CI runs this file on it too); SQLite stores one."""

from __future__ import annotations

import base64
import copy
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.cases.test_case_file import file_one
from tests.catalog.test_formkit import GOOD
from tests.factories import pdf_bytes
from tests.portal.test_filing import BASE, SECTIONS
from ventanilla.accounts.models import User
from ventanilla.api.services import api_client_create
from ventanilla.cases.models import Case, Message
from ventanilla.catalog.models import Service
from ventanilla.organization.models import Dependency, Role

NUL = "bad\x00value"
LONG = "x" * 100_000
BAD_VALUES = [NUL, LONG, "a\x01\x1fb", "a\u0085b"]
PDF = pdf_bytes("documento")


def refused_without_error(response: Any, what: str) -> None:
    assert response.status_code < 500, f"{what}: {response.status_code}"


def variants(data: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """`data` with one field at a time replaced by each bad value."""
    for name in data:
        for value in BAD_VALUES:
            yield f"{name}={value[:12]!r}", {**data, name: value}


@pytest.fixture
def world(reference_service: Service) -> dict[str, Any]:
    """A citizen with a case waiting for their information, a guest's case, an official of
    the case's dependency, and an API client."""
    citizen = factories.user("ana@example.co", first_name="Ana", last_name="Rojas")
    own = file_one(reference_service, filer_kind="citizen", applicant=citizen, contact=None).case
    own = factories.information_requested(own, "Envíe el recibo.")
    guest = file_one(reference_service)
    official = factories.official(Dependency.objects.get(code="DIR-COBERTURA"), Role.SUPERVISOR)
    factories.enrol_totp(official)
    return {
        "citizen": citizen,
        "own": own,
        "guest": guest.case,
        "code": guest.verification_code,
        "official": official,
        "token": api_client_create(name="Línea 195", channel="phone").token,
    }


def as_user(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


PUBLIC_PAGES = {
    "/tramites/": ["q", "entidad", "categoria", "momento", "canal", "tipo", "pagina"],
    "/tramites/solicitud-cupo-escolar/": ["localidad"],
    "/seguimiento/": ["radicado"],
    "/api/v1/services": ["q", "entity", "category", "life_event", "channel", "kind", "page"],
    "/api/v1/services/solicitud-cupo-escolar": ["lang"],
    "/api/v1/services/solicitud-cupo-escolar/service-points": ["locality", "page"],
}


def test_query_parameters_of_public_pages(client: Client, world: dict[str, Any]) -> None:
    pages = {
        **PUBLIC_PAGES,
        f"/api/v1/cases/{world['guest'].filing_number}": ["code"],
    }
    for url, names in pages.items():
        for name in names:
            for value in BAD_VALUES:
                response = client.get(url, {name: value})
                refused_without_error(response, f"{url}?{name}")


def test_query_parameters_of_the_workspace_and_the_citizens_area(world: dict[str, Any]) -> None:
    official = as_user(world["official"])
    inbox = [
        "pestana",
        "servicio",
        "etapa",
        "termino",
        "canal",
        "entidad",
        "desde",
        "hasta",
        "q",
        "pagina",
    ]
    for name in inbox:
        for value in [*BAD_VALUES, "solicitud-cupo-escolar", "a:b & !c | (d", "2026-13-45"]:
            refused_without_error(official.get("/espacio/", {name: value}), f"inbox {name}")
    citizen = as_user(world["citizen"])
    for url, names in {
        "/mi-cuenta/solicitudes/": ["estado", "pagina"],
        "/mi-cuenta/avisos/": ["pagina"],
    }.items():
        for name in names:
            for value in BAD_VALUES:
                refused_without_error(citizen.get(url, {name: value}), f"{url}?{name}")


@pytest.mark.parametrize("value", ["SED\x00-2026", "x" * 10_000, "%00"])
def test_path_parameters(world: dict[str, Any], value: str) -> None:
    anonymous, citizen, official = (
        Client(),
        as_user(world["citizen"]),
        as_user(world["official"]),
    )
    token = {"HTTP_AUTHORIZATION": f"Bearer {world['token']}"}
    quoted = value.replace("\x00", "%00")
    for client, url, extra in [
        (anonymous, f"/seguimiento/{quoted}/", {}),
        (anonymous, f"/radicado/{quoted}/", {}),
        (anonymous, f"/solicitudes/{quoted}/", {}),
        (anonymous, f"/solicitudes/SED-2026-000001/acceso/{quoted}/", {}),
        (anonymous, f"/tramites/{quoted}/", {}),
        (anonymous, f"/tramites/solicitud-cupo-escolar/radicar/paso/{quoted}/", {}),
        (citizen, f"/mi-cuenta/solicitudes/{quoted}/", {}),
        (official, f"/espacio/casos/{quoted}/", {}),
        (official, f"/espacio/radicar/{quoted}/", {}),
        (anonymous, f"/api/v1/cases/{quoted}?code=AAAAA-AAAAA", {}),
        (anonymous, f"/api/v1/services/{quoted}", {}),
        (anonymous, f"/api/v1/me/cases/{quoted}", token),
    ]:
        refused_without_error(client.get(url, **extra), url)


def test_public_tracking_and_guest_filing_forms(world: dict[str, Any]) -> None:
    tracking = {"filing_number": world["guest"].filing_number, "code": world["code"]}
    for what, data in variants(tracking):
        refused_without_error(Client().post("/seguimiento/", data), f"tracking {what}")
    guest = Client()
    guest.post(BASE, {"mode": "guest"})
    details = {"step": "details", "name": "Marta", "email": "marta@example.co", "phone": ""}
    for what, data in variants(details):
        refused_without_error(guest.post(f"{BASE}sus-datos/", data), f"guest {what}")
    for what, data in variants({"step": "code", "code": "123456"}):
        refused_without_error(guest.post(f"{BASE}sus-datos/", data), f"guest code {what}")
    for what, data in variants({"mode": "guest"}):
        refused_without_error(Client().post(BASE, data), f"start {what}")


def test_filing_steps_keep_no_bad_value_in_the_draft(world: dict[str, Any]) -> None:
    citizen = as_user(world["citizen"])
    for key, section in SECTIONS:
        for what, data in variants(section):
            response = citizen.post(f"{BASE}paso/{key}/", data)
            refused_without_error(response, f"section {key} {what}")
            assert response.status_code == 200, f"section {key} {what}: not refused"
    named = SimpleUploadedFile("ti\x00\x01.pdf", PDF, "application/pdf")
    response = citizen.post(f"{BASE}documentos/", {"documento_documento_estudiante": named})
    refused_without_error(response, "document name")
    for what, data in variants({"idempotency_key": "k", "consent": "on"}):
        refused_without_error(citizen.post(f"{BASE}revisar/", data), f"review {what}")


def test_a_file_name_with_control_characters_is_stored_without_them(
    world: dict[str, Any],
) -> None:
    citizen = as_user(world["citizen"])
    for key, section in SECTIONS:
        citizen.post(f"{BASE}paso/{key}/", section)
    named = SimpleUploadedFile("ti\x00\x01.pdf", PDF, "application/pdf")
    citizen.post(f"{BASE}documentos/", {"documento_documento_estudiante": named})
    review = citizen.get(f"{BASE}revisar/").content.decode()
    key = review.split('name="idempotency_key" value="')[1].split('"')[0]
    citizen.post(f"{BASE}revisar/", {"idempotency_key": key, "consent": "on"})
    case = Case.objects.exclude(pk__in=[world["own"].pk, world["guest"].pk]).get()
    assert case.documents.get().original_name == "ti.pdf"


def test_the_citizens_case_page_forms(world: dict[str, Any]) -> None:
    citizen = as_user(world["citizen"])
    number = world["own"].filing_number
    page = f"/mi-cuenta/solicitudes/{number}/"
    for what, data in variants({"mensaje": "Hola"}):
        refused_without_error(citizen.post(f"{page}mensaje/", data), f"message {what}")
    for what, data in variants({"respuesta": "Aquí va"}):
        refused_without_error(citizen.post(f"{page}responder/", data), f"answer {what}")
    for what, data in variants({"confirmar": "si", "motivo": "Ya no"}):
        refused_without_error(citizen.post(f"{page}desistir/", data), f"withdraw {what}")
    assert not Message.objects.filter(case=world["own"]).exists()
    assert not Case.objects.get(pk=world["own"].pk).is_closed
    profile = {
        "first_name": "Ana",
        "last_name": "Rojas",
        "id_type": "CC",
        "id_number": "52123456",
        "phone": "",
        "preferred_language": "es",
    }
    for what, data in variants(profile):
        refused_without_error(citizen.post("/mi-cuenta/", data), f"profile {what}")


def test_account_forms(client: Client, db: None) -> None:
    signup = {
        "first_name": "Ana",
        "last_name": "Rojas",
        "id_type": "CC",
        "id_number": "52123456",
        "email": "nueva@example.co",
        "phone": "",
        "preferred_language": "es",
        "password1": "una-clave-larga-2026",
        "password2": "una-clave-larga-2026",
        "consent": "on",
        "consent_version": "1",
    }
    for what, data in variants(signup):
        refused_without_error(client.post(reverse("account_signup"), data), f"signup {what}")
    for what, data in variants({"login": "ana@example.co", "password": "x"}):
        refused_without_error(client.post(reverse("account_login"), data), f"login {what}")
    for what, data in variants({"email": "ana@example.co"}):
        url = reverse("account_reset_password")
        refused_without_error(client.post(url, data), f"reset {what}")
    assert not User.objects.exists()


def test_the_workspace_case_forms(world: dict[str, Any]) -> None:
    official = as_user(world["official"])
    case = f"/espacio/casos/{world['guest'].filing_number}/"
    action = {
        "comentario": "Revisado",
        "nueva_fecha": "2026-12-01",
        "dependencia": "",
        "entidad": "",
    }
    for name in ["iniciar_revision", "trasladar", "prorrogar", "no_existe"]:
        for what, data in variants(action):
            response = official.post(f"{case}accion/{name}/", data)
            refused_without_error(response, f"action {name} {what}")
    for value in ["abc", "1e3", "1.5", "-1", "99999999999999999999"]:
        for field in ["dependencia", "entidad"]:
            response = official.post(f"{case}accion/trasladar/", {**action, field: value})
            assert response.status_code == 302, (field, value)
    for url, data in [
        (f"{case}nota/", {"nota": "Llamar"}),
        (f"{case}mensaje/", {"mensaje": "Hola"}),
        (f"{case}proyectar/", {"respuesta": "Se concede"}),
        (f"{case}asignar/", {"a": "mi"}),
    ]:
        for what, bad in variants(data):
            refused_without_error(official.post(url, bad), f"{url} {what}")
    assert not Message.objects.exists()


def test_assisted_filing(world: dict[str, Any]) -> None:
    official = as_user(world["official"])
    data: dict[str, Any] = {
        "channel": "in_person",
        "id_type": "CC",
        "id_number": "79845123",
        "first_name": "José",
        "last_name": "Pérez",
        "email": "",
        "phone": "3201234567",
        "consent": "on",
        "idempotency_key": "mostrador-1",
    }
    for _key, section in SECTIONS:
        data.update(section)
    url = "/espacio/radicar/solicitud-cupo-escolar/"
    before = Case.objects.count()
    for what, bad in variants(data):
        if bad["idempotency_key"] != data["idempotency_key"]:
            continue  # a key is any string: it is hashed, and files
        refused_without_error(official.post(url, bad), f"assisted {what}")
    assert Case.objects.count() == before


def leaves(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from leaves(item, (*path, index))
    else:
        yield path


def replaced(data: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    result = copy.deepcopy(data)
    target: Any = result
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    return result


def test_every_field_of_an_api_filing(client: Client, world: dict[str, Any]) -> None:
    pdf = base64.b64encode(PDF).decode()
    body = {
        "service": "solicitud-cupo-escolar",
        "answers": GOOD,
        "applicant": {
            "name": "Pedro",
            "email": "pedro@example.co",
            "phone": "3101234567",
            "id_type": "CC",
            "id_number": "79845123",
        },
        "consent_given": True,
        "documents": [{"key": "documento_estudiante", "name": "ti.pdf", "content_base64": pdf}],
        "service_point": "",
        "chosen_dependency": "",
        "idempotency_key": "",
        "language": "es",
    }
    before = Case.objects.count()
    for path in leaves(body):
        for value in [*BAD_VALUES, 10**30]:
            response = client.post(
                "/api/v1/cases",
                replaced(body, path, value),
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {world['token']}",
            )
            refused_without_error(response, f"api {path}={str(value)[:12]!r}")
            assert response.status_code in {400, 404, 409, 422}, (path, response.content[:200])
    assert Case.objects.count() == before


def test_claiming_a_case_and_choosing_where(world: dict[str, Any]) -> None:
    from tests.api.test_api_places import routed_variant

    citizen = as_user(world["citizen"])
    data = {"filing_number": world["guest"].filing_number, "code": world["code"]}
    for what, bad in variants(data):
        refused_without_error(citizen.post("/mi-cuenta/solicitudes/agregar/", bad), f"claim {what}")
    assert Case.objects.get(pk=world["guest"].pk).applicant is None
    routed_variant(
        Service.objects.get(slug="solicitud-cupo-escolar"),
        "certificado-en-el-colegio",
        "service_point",
    )
    place = "/tramites/certificado-en-el-colegio/radicar/donde/"
    for value in BAD_VALUES:
        for name in ("localidad", "q"):
            refused_without_error(citizen.get(place, {name: value}), f"place ?{name}")
        refused_without_error(citizen.post(place, {"service_point": value}), "place choice")
