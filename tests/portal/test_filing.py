"""Filing online as a citizen and as a guest; tracking; the citizen's own area."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests import factories
from tests.factories import pdf_bytes
from ventanilla.cases.models import Case
from ventanilla.catalog.models import Service

BASE = "/tramites/solicitud-cupo-escolar/radicar/"
PDF = pdf_bytes("documento")

SECTIONS: list[tuple[str, dict[str, str]]] = [
    (
        "estudiante",
        {
            "nombres_estudiante": "Sofía Ramírez",
            "documento_estudiante_numero__type": "TI",
            "documento_estudiante_numero__number": "1012345678",
            "fecha_nacimiento": "2015-04-03",
            "grado": "primero",
        },
    ),
    ("situacion", {"procedencia": "privado", "tiene_hermanos": "no", "discapacidad": "no"}),
    (
        "vivienda",
        {
            "direccion__line": "Calle 38 Sur No. 72-15",
            "direccion__locality": "08",
            "telefono_contacto": "3001234567",
        },
    ),
    # Schools and priority: nothing to rank without a season, and no priority group.
    ("colegios", {}),
]


def fill_form(client: Client) -> Any:
    for key, data in SECTIONS:
        response = client.post(f"{BASE}paso/{key}/", data)
        assert response.status_code == 302, response.content.decode()[:2000]
    response = client.post(
        f"{BASE}documentos/",
        {"documento_documento_estudiante": SimpleUploadedFile("ti.pdf", PDF, "application/pdf")},
    )
    assert response.status_code == 302
    assert response["Location"].endswith("/revisar/")
    review = client.get(f"{BASE}revisar/")
    key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', review.content.decode())
    assert key
    return key.group(1)


def test_a_citizen_files_and_sees_number_code_and_due_date(
    client: Client, reference_service: Service
) -> None:
    citizen = factories.user("ana@example.co", first_name="Ana", last_name="Rojas")
    client.force_login(citizen)
    assert client.get(BASE)["Location"] == f"{BASE}paso/estudiante/"
    key = fill_form(client)
    done = client.post(f"{BASE}revisar/", {"idempotency_key": key, "consent": "on"}, follow=True)
    html = done.content.decode()
    case = Case.objects.get()
    assert case.applicant == citizen
    assert case.filing_number in html
    code = re.search(r'class="receipt__code">([A-Z0-9-]+)<', html)
    assert code and len(code.group(1)) == 11
    assert "Le responderemos a más tardar el" in html
    mine = client.get("/mi-cuenta/solicitudes/").content.decode()
    assert case.filing_number in mine
    # The receipt leads to her own case page, which shows what she asked.
    own = f"/mi-cuenta/solicitudes/{case.filing_number}/"
    assert f'href="{own}">Ver su solicitud<' in html
    page = client.get(own).content.decode()
    assert "Lo que nos pidió" in page and "Sofía Ramírez" in page and "1012345678" in page


def test_a_double_submit_files_once(client: Client, reference_service: Service) -> None:
    client.force_login(factories.user())
    key = fill_form(client)
    client.post(f"{BASE}revisar/", {"idempotency_key": key, "consent": "on"})
    client.post(f"{BASE}revisar/", {"idempotency_key": key, "consent": "on"})
    assert Case.objects.count() == 1


def test_an_error_in_a_section_keeps_every_answer(
    client: Client, reference_service: Service
) -> None:
    client.force_login(factories.user())
    data = {**SECTIONS[0][1], "documento_estudiante_numero__number": "12ab"}
    response = client.post(f"{BASE}paso/estudiante/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "error-summary" in html
    assert 'value="Sofía Ramírez"' in html
    assert 'value="12ab"' in html
    assert 'value="2015-04-03"' in html
    # Leaving and coming back keeps them too (the draft is stored).
    again = client.get(f"{BASE}paso/estudiante/").content.decode()
    assert 'value="Sofía Ramírez"' in again


def test_without_consent_nothing_is_filed_and_nothing_is_lost(
    client: Client, reference_service: Service
) -> None:
    client.force_login(factories.user())
    key = fill_form(client)
    response = client.post(f"{BASE}revisar/", {"idempotency_key": key})
    assert response.status_code == 200
    assert "Autorice el tratamiento de sus datos" in response.content.decode()
    assert not Case.objects.exists()
    assert "Sofía Ramírez" in response.content.decode()


def test_a_guest_proves_their_email_then_files(
    client: Client, reference_service: Service, django_capture_on_commit_callbacks: Any
) -> None:
    start = client.post(BASE, {"mode": "guest"})
    assert start["Location"].endswith("/sus-datos/")
    with django_capture_on_commit_callbacks(execute=True):  # the code leaves through the outbox
        client.post(
            f"{BASE}sus-datos/",
            {"step": "details", "name": "Marta Díaz", "email": "marta@example.co", "phone": ""},
        )
    sent = mail.outbox[-1]
    code = re.search(r"\b(\d{6})\b", sent.body)
    assert code
    wrong = client.post(f"{BASE}sus-datos/", {"step": "code", "code": "000000"})
    assert "El código no coincide" in wrong.content.decode()
    assert client.get(f"{BASE}paso/estudiante/").status_code == 302  # not verified yet
    right = client.post(f"{BASE}sus-datos/", {"step": "code", "code": code.group(1)})
    assert right["Location"].endswith("/paso/estudiante/")
    key = fill_form(client)
    client.post(f"{BASE}revisar/", {"idempotency_key": key, "consent": "on"})
    case = Case.objects.get()
    assert (case.filer_kind, case.contact_email, case.applicant) == (
        "guest",
        "marta@example.co",
        None,
    )


def test_a_guest_code_cannot_be_guessed_nor_sent_without_end(
    client: Client, reference_service: Service, django_capture_on_commit_callbacks: Any
) -> None:
    client.post(BASE, {"mode": "guest"})
    details = {"step": "details", "name": "Marta Díaz", "email": "marta@example.co", "phone": ""}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{BASE}sus-datos/", details)
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body)
    assert code
    for guess in ["000000", "111111", "222222", "333333", "444444"]:
        client.post(f"{BASE}sus-datos/", {"step": "code", "code": guess})
    # Six misses spend the code: even the right one no longer opens the form.
    late = client.post(f"{BASE}sus-datos/", {"step": "code", "code": code.group(1)})
    assert "Hubo demasiados intentos con ese código" in late.content.decode()
    assert client.get(f"{BASE}paso/estudiante/").status_code == 302
    # A new code works; sending has its limit too, and what was typed stays.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            client.post(f"{BASE}sus-datos/", details)
    assert len(mail.outbox) == 4  # five an hour to one address, one was sent before
    refused = client.post(f"{BASE}sus-datos/", details).content.decode()
    assert "Ya le enviamos varios códigos" in refused and 'value="Marta Díaz"' in refused
    fresh = re.search(r"\b(\d{6})\b", mail.outbox[-1].body)
    assert fresh
    right = client.post(f"{BASE}sus-datos/", {"step": "code", "code": fresh.group(1)})
    assert right["Location"].endswith("/paso/estudiante/")


def test_anonymous_filing_is_not_offered_where_not_allowed(
    client: Client, reference_service: Service
) -> None:
    html = client.get(BASE).content.decode()
    assert "Continuar sin cuenta" in html
    assert "anónima" not in html
    client.post(BASE, {"mode": "anonymous"})
    assert client.get(f"{BASE}paso/estudiante/").status_code == 302


@pytest.fixture
def filed(client: Client, reference_service: Service) -> tuple[Case, str]:
    client.force_login(factories.user("ana@example.co"))
    key = fill_form(client)
    html = client.post(
        f"{BASE}revisar/", {"idempotency_key": key, "consent": "on"}, follow=True
    ).content.decode()
    code = re.search(r'class="receipt__code">([A-Z0-9-]+)<', html)
    assert code
    client.logout()
    return Case.objects.get(), code.group(1)


def test_tracking_with_number_and_code(client: Client, filed: tuple[Case, str]) -> None:
    case, code = filed
    response = client.post(
        "/seguimiento/", {"filing_number": case.filing_number.lower(), "code": code.lower()}
    )
    assert response["Location"] == f"/seguimiento/{case.filing_number}/"
    page = client.get(response["Location"]).content.decode()
    assert "Recibimos su solicitud" in page
    assert case.timeline.last().hash in page  # the chain's head is published
    assert "Sofía" not in page  # nothing about the person


def test_number_and_code_do_not_open_the_persons_documents(
    client: Client, filed: tuple[Case, str]
) -> None:
    """Whoever holds the receipt sees the status; the identity document the citizen uploaded
    needs their account (or, for a guest, the link sent to their email)."""
    case, code = filed
    client.post("/seguimiento/", {"filing_number": case.filing_number, "code": code})
    assert client.get(f"/seguimiento/{case.filing_number}/").status_code == 200
    document = case.documents.get()
    url = f"/solicitudes/{case.filing_number}/documentos/{document.pk}/"
    assert client.get(url).status_code == 404
    assert case.applicant is not None
    client.force_login(case.applicant)
    assert client.get(url).status_code == 200


def test_wrong_code_and_unknown_number_get_the_same_answer(
    client: Client, filed: tuple[Case, str]
) -> None:
    case, _code = filed
    wrong = client.post(
        "/seguimiento/", {"filing_number": case.filing_number, "code": "AAAAA-AAAAA"}
    )
    unknown = client.post(
        "/seguimiento/", {"filing_number": "SED-2026-999999", "code": "AAAAA-AAAAA"}
    )
    message = "No encontramos una solicitud con ese número y ese código"
    assert message in wrong.content.decode() and message in unknown.content.decode()
    assert client.get(f"/seguimiento/{case.filing_number}/").status_code == 404


def test_guessing_is_rate_limited(client: Client, filed: tuple[Case, str]) -> None:
    case, code = filed
    statuses = [
        client.post("/seguimiento/", {"filing_number": case.filing_number, "code": "X"}).status_code
        for _ in range(12)
    ]
    assert statuses[-1] == 429
    # Even the right code is refused until the window passes.
    right = client.post("/seguimiento/", {"filing_number": case.filing_number, "code": code})
    assert right.status_code == 429


def test_another_citizens_case_is_not_found_anywhere(
    client: Client, filed: tuple[Case, str]
) -> None:
    case, _code = filed
    client.force_login(factories.user("otra@example.co"))
    number = case.filing_number
    document = case.documents.get()
    assert client.get(f"/mi-cuenta/solicitudes/{number}/").status_code == 404
    assert (
        client.post(f"/mi-cuenta/solicitudes/{number}/mensaje/", {"mensaje": "x"}).status_code
        == 404
    )
    assert (
        client.post(f"/mi-cuenta/solicitudes/{number}/responder/", {"respuesta": "x"}).status_code
        == 404
    )
    assert (
        client.post(f"/mi-cuenta/solicitudes/{number}/desistir/", {"confirmar": "si"}).status_code
        == 404
    )
    assert client.get(f"/solicitudes/{number}/documentos/{document.pk}/").status_code == 404
    assert client.get(f"/radicado/{number}/").status_code == 404
    for prefix in ["/mi-cuenta/solicitudes", "/solicitudes"]:  # the citizen's and the guest's
        assert client.get(f"{prefix}/{number}/").status_code == 404
        for action, data in [
            ("mensaje", {"mensaje": "x"}),
            ("responder", {"respuesta": "x"}),
            ("desistir", {"confirmar": "si"}),
        ]:
            assert client.post(f"{prefix}/{number}/{action}/", data).status_code == 404, action
    assert number not in client.get("/mi-cuenta/solicitudes/").content.decode()
    assert number not in client.get("/mi-cuenta/mis-datos.json").content.decode()


def test_the_citizen_downloads_their_data(client: Client, filed: tuple[Case, str]) -> None:
    case, _code = filed
    client.force_login(case.applicant)
    response = client.get("/mi-cuenta/mis-datos.json")
    data = response.json()
    assert data["profile"]["email"] == "ana@example.co"
    assert data["cases"][0]["filing_number"] == case.filing_number
    assert data["cases"][0]["answers"]["grado"] == "primero"


def test_an_answer_with_a_file_that_is_not_a_document_is_refused_and_kept(
    client: Client, filed: tuple[Case, str]
) -> None:
    case, _code = filed
    factories.information_requested(case, "Adjunte el boletín.")
    client.force_login(case.applicant)
    fake = SimpleUploadedFile("boletin.pdf", b"MZ\x90\x00 ejecutable", "application/pdf")
    response = client.post(
        f"/mi-cuenta/solicitudes/{case.filing_number}/responder/",
        {"respuesta": "Aquí va el boletín.", "adjuntos": fake},
        follow=True,
    )
    html = response.content.decode()
    assert "boletin.pdf: El archivo es un programa o un archivo comprimido" in html
    assert "Aquí va el boletín." in html  # what was typed is kept
    case.refresh_from_db()
    assert case.is_paused and case.documents.count() == 1
