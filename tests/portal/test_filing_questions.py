"""The step-by-step form without JavaScript: a question an answer hides is neither asked nor
stored, and a file question uploads on its own page and reaches the case."""

from __future__ import annotations

import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests import factories
from tests.portal.test_filing import BASE, PDF, SECTIONS
from ventanilla.cases.models import Case
from ventanilla.catalog.models import Service


def _post_all(client: Client, changes: dict[str, dict[str, object]]) -> None:
    for key, data in SECTIONS:
        response = client.post(f"{BASE}paso/{key}/", {**data, **changes.get(key, {})})
        assert response.status_code == 302, response.content.decode()[:2000]


def _file(client: Client) -> Case:
    documents = client.post(
        f"{BASE}documentos/",
        {"documento_documento_estudiante": SimpleUploadedFile("ti.pdf", PDF, "application/pdf")},
    )
    assert documents.status_code == 302
    review = client.get(f"{BASE}revisar/").content.decode()
    key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', review)
    assert key
    done = client.post(f"{BASE}revisar/", {"idempotency_key": key.group(1), "consent": "on"})
    assert done.status_code == 302, done.content.decode()[:2000]
    return Case.objects.get()


def test_an_answer_to_a_hidden_question_is_not_kept(
    client: Client, reference_service: Service
) -> None:
    """Without JavaScript the country box is on the page; typed in while the answer says the
    student comes from a private school, it is dropped, not shown, not filed."""
    client.force_login(factories.user())
    _post_all(client, {"situacion": {"pais_origen": "Venezuela", "apoyos": "Rampa"}})
    review = client.get(f"{BASE}revisar/").content.decode()
    assert "Venezuela" not in review and "Rampa" not in review
    case = _file(client)
    assert "pais_origen" not in case.answers and "apoyos" not in case.answers


def test_a_question_shown_by_an_answer_is_required_then(
    client: Client, reference_service: Service
) -> None:
    client.force_login(factories.user())
    situation = {**dict(SECTIONS)["situacion"], "procedencia": "otro_pais"}
    missing = client.post(f"{BASE}paso/situacion/", situation)
    assert missing.status_code == 200
    page = missing.content.decode()
    assert "Responda esta pregunta." in page
    # The field says which answer shows it, for the page's script.
    assert 'data-shown-by="procedencia" data-shown-when="[&quot;otro_pais&quot;]"' in page
    kept = client.post(f"{BASE}paso/situacion/", {**situation, "pais_origen": "Venezuela"})
    assert kept.status_code == 302
    assert "Venezuela" in client.get(f"{BASE}revisar/").content.decode()
    # Changing the answer that showed it drops it.
    client.post(f"{BASE}paso/situacion/", dict(SECTIONS)["situacion"])
    assert "Venezuela" not in client.get(f"{BASE}revisar/").content.decode()


def test_a_file_question_uploads_on_its_page_and_reaches_the_case(
    client: Client, reference_service: Service
) -> None:
    client.force_login(factories.user())
    page = client.get(f"{BASE}paso/vivienda/").content.decode()
    assert 'enctype="multipart/form-data"' in page and 'name="recibo"' in page
    # A file of the wrong type is refused on its page, and the answers typed stay.
    home = dict(SECTIONS)["vivienda"]
    wrong = client.post(
        f"{BASE}paso/vivienda/",
        {**home, "recibo": SimpleUploadedFile("recibo.exe", b"MZ...", "application/pdf")},
    )
    assert wrong.status_code == 200
    assert 'value="3001234567"' in wrong.content.decode()
    bill = SimpleUploadedFile("recibo-agua.pdf", PDF, "application/pdf")
    _post_all(client, {"vivienda": {"recibo": bill}})
    # Asked once: the documents page does not ask for it again.
    documents = client.get(f"{BASE}documentos/").content.decode()
    assert "Recibo de un servicio público" not in documents
    assert "recibo-agua.pdf" in client.get(f"{BASE}revisar/").content.decode()
    case = _file(client)
    stored = {d.key: d.original_name for d in case.documents.all()}
    assert stored == {"documento_estudiante": "ti.pdf", "recibo_servicio": "recibo-agua.pdf"}
    mine = client.get(f"/mi-cuenta/solicitudes/{case.filing_number}/").content.decode()
    assert "recibo-agua.pdf" in mine and ">recibo_servicio<" not in mine


def test_a_document_of_several_files_keeps_each_until_taken_off(
    client: Client, reference_service: Service
) -> None:
    """A document that takes several files (a bill photographed page by page): each upload adds
    to the others, a ticked file is taken off, more than allowed is refused in words, and every
    file reaches the case."""
    definition = reference_service.versions.get().definition
    documents = [
        {**d, "max_files": 2} if d["key"] == "recibo_servicio" else d
        for d in definition["documents"]
    ]
    service = factories.service_variant(reference_service, "cupo-varias-hojas", documents=documents)
    base = f"/tramites/{service.slug}/radicar/"
    client.force_login(factories.user())
    home = dict(SECTIONS)["vivienda"]

    def page_file(name: str) -> SimpleUploadedFile:
        return SimpleUploadedFile(name, PDF, "application/pdf")

    for key, data in SECTIONS[:2]:
        assert client.post(f"{base}paso/{key}/", data).status_code == 302
    page = client.get(f"{base}paso/vivienda/").content.decode()
    assert re.search(r'<input type="file" name="recibo"[^>]* multiple', page)
    assert (
        client.post(
            f"{base}paso/vivienda/", {**home, "recibo": page_file("hoja-1.pdf")}
        ).status_code
        == 302
    )
    assert (
        client.post(
            f"{base}paso/vivienda/", {**home, "recibo": page_file("hoja-2.pdf")}
        ).status_code
        == 302
    )
    page = client.get(f"{base}paso/vivienda/").content.decode()
    assert "hoja-1.pdf" in page and "hoja-2.pdf" in page
    # A third is one too many: refused in words, the two kept.
    over = client.post(f"{base}paso/vivienda/", {**home, "recibo": page_file("hoja-3.pdf")})
    assert over.status_code == 200
    assert "Puede adjuntar hasta 2 archivos para este documento." in over.content.decode()
    # Taking one off makes room.
    ref = re.search(r'name="recibo__quitar" value="([0-9a-f]+)"[^>]*>\s*hoja-1', page)
    assert ref
    swapped = client.post(
        f"{base}paso/vivienda/",
        {**home, "recibo__quitar": ref.group(1), "recibo": page_file("hoja-3.pdf")},
    )
    assert swapped.status_code == 302
    assert client.post(f"{base}paso/colegios/", {}).status_code == 302
    review = client.get(f"{base}revisar/").content.decode()
    assert "hoja-2.pdf, hoja-3.pdf" in review and "hoja-1.pdf" not in review
    client.post(
        f"{base}documentos/",
        {"documento_documento_estudiante": SimpleUploadedFile("ti.pdf", PDF, "application/pdf")},
    )
    key = re.search(r'name="idempotency_key" value="([0-9a-f]+)"', review)
    assert key
    done = client.post(f"{base}revisar/", {"idempotency_key": key.group(1), "consent": "on"})
    assert done.status_code == 302, done.content.decode()[:2000]
    stored = sorted(
        d.original_name for d in Case.objects.get().documents.filter(key="recibo_servicio")
    )
    assert stored == ["hoja-2.pdf", "hoja-3.pdf"]


def test_a_phone_already_given_is_not_asked_again(
    client: Client, reference_service: Service
) -> None:
    """The account's phone is the first answer of the form's phone question; the person may
    change it, and what they typed wins."""
    client.force_login(factories.user(phone="3109876543"))
    page = client.get(f"{BASE}paso/vivienda/").content.decode()
    assert 'name="telefono_contacto" value="3109876543"' in page
    changed = {**dict(SECTIONS)["vivienda"], "telefono_contacto": "3001234567"}
    assert client.post(f"{BASE}paso/vivienda/", changed).status_code == 302
    again = client.get(f"{BASE}paso/vivienda/").content.decode()
    assert 'name="telefono_contacto" value="3001234567"' in again
