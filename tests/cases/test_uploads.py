"""Safe uploads (issue 16, item 4): type by content, limits while streaming, clean names, the
content's type, size and SHA-256 recorded, and the virus-scan plugin."""

from __future__ import annotations

import hashlib
import io
import socket
import socketserver
import struct
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pikepdf
import pytest
from django.conf import settings as django_settings
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.http.multipartparser import MultiPartParser
from django.test import Client, RequestFactory
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from tests import factories
from tests.portal.test_filing import BASE, SECTIONS
from ventanilla.cases.models import Case
from ventanilla.cases.scanners.local import EICAR
from ventanilla.cases.uploads import (
    Upload,
    UploadLimitHandler,
    clean_name,
    upload_problems,
    uploads_refused,
)
from ventanilla.catalog.models import Service
from ventanilla.config import settings as config

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
JPG = b"\xff\xd8\xff\xe0" + b"\0" * 64
ALL = ("pdf", "jpg", "png")


def problems(content: bytes, name: str = "documento.pdf", accepted: tuple[str, ...] = ALL) -> str:
    return " ".join(upload_problems(Upload("k", name, content), accepted=accepted, max_mb=5))


# --- 1. Type by content ------------------------------------------------------------------


@pytest.mark.parametrize(
    "content",
    [
        b"MZ\x90\x00\x03\x00\x00\x00",  # a Windows program
        b"\x7fELF\x02\x01\x01\x00",  # a Linux program
        b"#!/bin/sh\nrm -rf ~\n",  # a script
        b"PK\x03\x04\x14\x00\x00\x00",  # a zip
    ],
)
def test_a_program_renamed_pdf_is_refused_whatever_its_name(content: bytes) -> None:
    assert "es un programa o un archivo comprimido" in problems(content, "cedula.pdf")


def test_the_type_comes_from_the_content_not_the_name() -> None:
    assert problems(PNG, "cedula.pdf") == ""
    assert Upload("k", "cedula.pdf", PNG).content_type == "image/png"
    assert "no es PDF" in problems(PNG, "cedula.png", accepted=("pdf",))
    assert "no es PDF, JPG, PNG" in problems(b"<html><script>", "cedula.pdf")
    assert problems(b"") == "El archivo está vacío."


def test_a_pdf_nobody_can_open_is_refused_with_the_reason(tmp_path: Path) -> None:
    assert "dañado" in problems(b"%PDF-1.4 nothing else")
    locked = io.BytesIO()
    pdf = pikepdf.open(io.BytesIO(factories.pdf_bytes()))
    pdf.save(locked, encryption=pikepdf.Encryption(user="secreto", owner="secreto"))
    assert "protegido con contraseña" in problems(locked.getvalue())
    # Locked against editing only (no password to open it): officials can read it.
    readable = io.BytesIO()
    pdf.save(readable, encryption=pikepdf.Encryption(user="", owner="dueño"))
    assert problems(readable.getvalue()) == ""


# --- 3. Names ------------------------------------------------------------------------------


def test_names_keep_accents_and_lose_folders_control_and_bidi_characters() -> None:
    assert clean_name("cédula ñandú.pdf", "pdf") == "cédula ñandú.pdf"
    assert clean_name("C:\\Users\\ana\\..\\cédula.PDF", "pdf") == "cédula.pdf"
    assert clean_name("../../etc/passwd", "pdf") == "passwd.pdf"
    assert clean_name("a\x00b\x1b[31mc.pdf", "pdf") == "ab[31mc.pdf"
    assert clean_name("foto.jpeg", "jpg") == "foto.jpg"
    assert len(clean_name("x" * 500 + ".pdf", "pdf")) == 120
    assert clean_name("\u202e\u200f", "png") == "archivo.png"


def test_gpj_exe_cannot_masquerade_as_exe_jpg() -> None:
    """U+202E turns "photo<RLO>gpj.exe" into what a reader sees as "photoexe.jpg"."""
    name = "photo\u202egpj.exe"
    shown = clean_name(name, "jpg")
    assert shown == "photogpj.exe.jpg"
    assert not any(c in shown for c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
    for mark in ["\u2066", "\u2067", "\u2068", "\u2069", "\u200e", "\u200f", "\u061c", "\u202d"]:
        assert mark not in clean_name(f"photo{mark}gpj.exe", None)
    # A program under that name never gets that far.
    assert "programa" in problems(b"MZ\x90\x00", name)


# --- 2 and 4. Streaming, limits, and what is recorded ---------------------------------------


def _multipart(fields: dict[str, Any]) -> bytes:
    return encode_multipart(BOUNDARY, fields)


class CountingStream(io.BytesIO):
    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.read_bytes = 0

    def read(self, size: int | None = -1) -> bytes:
        chunk = super().read(size)
        self.read_bytes += len(chunk)
        return chunk


def test_the_handler_stops_reading_as_soon_as_a_file_passes_the_limit() -> None:
    big = b"%PDF-1.4\n" + b"0" * (8 * 1024 * 1024)
    body = _multipart(
        {
            "respuesta": "Lo que escribí",
            "adjuntos": SimpleUploadedFile("grande.pdf", big),
            "despues": "x",
        }
    )
    stream = CountingStream(body)
    request = RequestFactory().get("/")
    meta = {**request.META, "CONTENT_TYPE": MULTIPART_CONTENT, "CONTENT_LENGTH": str(len(body))}
    handlers = [
        UploadLimitHandler(request, limit=256 * 1024, request_limit=20 * 1024 * 1024),
        TemporaryFileUploadHandler(request),
    ]
    post, files = MultiPartParser(meta, stream, handlers).parse()
    assert post["respuesta"] == "Lo que escribí"  # what came before the file is kept
    assert "adjuntos" not in files
    assert stream.read_bytes < len(body) / 10  # stopped long before the end
    assert "pesa más de 0 MB" not in " ".join(uploads_refused(request).values())
    assert list(uploads_refused(request)) == ["adjuntos"]


def test_a_request_larger_than_any_form_is_refused_at_its_first_file() -> None:
    body = _multipart(
        {
            "respuesta": "Lo que escribí",
            "pequeno": SimpleUploadedFile("a.pdf", factories.pdf_bytes()),
            "grande": SimpleUploadedFile("b.pdf", b"0" * (3 * 1024 * 1024)),
        }
    )
    stream = CountingStream(body)
    request = RequestFactory().get("/")
    meta = {**request.META, "CONTENT_TYPE": MULTIPART_CONTENT, "CONTENT_LENGTH": str(len(body))}
    handlers = [
        UploadLimitHandler(request, limit=5 * 1024 * 1024, request_limit=1024 * 1024),
        TemporaryFileUploadHandler(request),
    ]
    post, files = MultiPartParser(meta, stream, handlers).parse()
    assert post["respuesta"] == "Lo que escribí" and not files
    assert stream.read_bytes < 200 * 1024
    assert uploads_refused(request) == {
        "pequeno": "Los archivos enviados juntos pesan más de 1 MB: no los recibimos. "
        "Adjúntelos de a uno o reduzca su tamaño."
    }


def test_uploads_go_to_a_temporary_file_never_to_memory(db: None) -> None:
    assert django_settings.FILE_UPLOAD_HANDLERS == [
        "ventanilla.cases.uploads.UploadLimitHandler",
        "django.core.files.uploadhandler.TemporaryFileUploadHandler",
    ]
    request = RequestFactory().post("/", {"f": SimpleUploadedFile("a.pdf", factories.pdf_bytes())})
    assert isinstance(request.FILES["f"], TemporaryUploadedFile)


def _to_documents_step(client: Client) -> None:
    for key, data in SECTIONS:
        assert client.post(f"{BASE}paso/{key}/", data).status_code == 302


def test_an_over_limit_file_is_refused_on_the_form_and_the_answers_are_kept(
    client: Client, reference_service: Service, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("ventanilla.cases.uploads._limits", lambda: (1024 * 1024, 20 * 1024 * 1024))
    client.force_login(factories.user("ana@example.co"))
    _to_documents_step(client)
    big = factories.pdf_bytes("grande", size=3 * 1024 * 1024)
    response = client.post(
        f"{BASE}documentos/",
        {"documento_documento_estudiante": SimpleUploadedFile("ti.pdf", big, "application/pdf")},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "El archivo pesa más de 1 MB: no lo recibimos." in html
    # Every answer of the earlier steps is still there.
    page = client.get(f"{BASE}paso/estudiante/").content.decode()
    assert "Sofía Ramírez" in page


def test_a_file_over_its_documents_own_limit_is_refused(
    client: Client, reference_service: Service
) -> None:
    client.force_login(factories.user("ana@example.co"))
    _to_documents_step(client)
    big = factories.pdf_bytes("grande", size=6 * 1024 * 1024)  # the document takes up to 5 MB
    response = client.post(
        f"{BASE}documentos/",
        {"documento_documento_estudiante": SimpleUploadedFile("ti.pdf", big, "application/pdf")},
    )
    assert "El archivo pesa más de 5 MB" in response.content.decode()


def test_type_size_and_sha256_recorded_come_from_the_content(
    client: Client, reference_service: Service
) -> None:
    client.force_login(factories.user("ana@example.co"))
    _to_documents_step(client)
    response = client.post(
        f"{BASE}documentos/",
        {
            # The browser says PDF; the bytes are a PNG.
            "documento_documento_estudiante": SimpleUploadedFile(
                "cédula\u202egpj.pdf", PNG, "application/pdf"
            )
        },
    )
    assert response.status_code == 302
    review = client.get(f"{BASE}revisar/").content.decode()
    key = review.split('name="idempotency_key" value="')[1].split('"')[0]
    client.post(f"{BASE}revisar/", {"idempotency_key": key, "consent": "on"})
    document = Case.objects.get().documents.get()
    assert document.content_type == "image/png"
    assert document.original_name == "cédulagpj.pdf.png"
    assert document.size == len(PNG)
    assert document.sha256 == hashlib.sha256(PNG).hexdigest()
    assert document.file.read() == PNG


# --- 4. Downloads: headers ------------------------------------------------------------------


@pytest.fixture
def filed(client: Client, reference_service: Service) -> Case:
    from tests.portal.test_filing import fill_form

    client.force_login(factories.user("ana@example.co"))
    key = fill_form(client)
    client.post(f"{BASE}revisar/", {"idempotency_key": key, "consent": "on"})
    return Case.objects.get()


def test_a_pdf_opens_inline_never_sniffed(client: Client, filed: Case) -> None:
    document = filed.documents.get()
    response = client.get(f"/solicitudes/{filed.filing_number}/documentos/{document.pk}/")
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="ti.pdf"'


def test_anything_else_is_only_ever_saved(client: Client, filed: Case) -> None:
    document = filed.documents.get()
    type(document).objects.filter(pk=document.pk).update(
        content_type="text/html", original_name='a"b\r\nX-Evil: 1.html'
    )
    response = client.get(f"/solicitudes/{filed.filing_number}/documentos/{document.pk}/")
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "\r" not in response["Content-Disposition"]
    assert "\n" not in response["Content-Disposition"]


def test_another_persons_or_dependencys_document_is_404_by_every_route(
    client: Client, filed: Case
) -> None:
    """The portal's route (applicant or guest) and the workspace's (officials of the case's
    dependencies); the API serves no files. The full caller-by-route table is in
    tests/security (portal:case_document, workspace:case_document)."""
    from ventanilla.organization.models import Dependency, Role

    document = filed.documents.get()
    number = filed.filing_number
    portal = f"/solicitudes/{number}/documentos/{document.pk}/"
    workspace = f"/espacio/casos/{number}/documentos/{document.pk}/"
    other = factories.user("otra@example.co")
    client.logout()
    assert client.get(portal).status_code == 404  # nobody signed in
    client.force_login(other)
    assert client.get(portal).status_code == 404  # another citizen
    # Not an official: the workspace refuses every page alike (403), whatever the document.
    assert client.get(workspace).status_code == 403
    client.force_login(filed.applicant)
    assert client.get(f"/solicitudes/{number}/documentos/{document.pk + 1}/").status_code == 404
    assert client.get(portal).status_code == 200
    coverage = Dependency.objects.get(code="DIR-COBERTURA")
    sibling = factories.dependency("OTRA-DEP", parent=coverage.parent)
    for dependency, expected in [(sibling, 404), (coverage, 200)]:
        official = factories.official(dependency, Role.HANDLER)
        factories.enrol_totp(official)
        client.force_login(official)
        response = client.get(workspace)
        assert response.status_code == expected, dependency.code
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"] == 'inline; filename="ti.pdf"'


# --- 5. Virus scanning ----------------------------------------------------------------------


class FakeClamd(socketserver.BaseRequestHandler):
    """clamd's INSTREAM, as far as we speak it."""

    received: list[int]

    def handle(self) -> None:
        sock = self.request
        command = b""
        while not command.endswith(b"\0"):
            command += sock.recv(1)
        assert command == b"zINSTREAM\0"
        data = b""
        while True:
            size = struct.unpack(">I", self._exactly(4))[0]
            if size == 0:
                break
            data += self._exactly(size)
        self.server.received.append(len(data))  # type: ignore[attr-defined]
        reply = b"stream: Eicar-Signature FOUND\0" if EICAR in data else b"stream: OK\0"
        sock.sendall(reply)

    def _exactly(self, size: int) -> bytes:
        data = b""
        while len(data) < size:
            part = self.request.recv(size - len(data))
            if not part:
                raise ConnectionError
            data += part
        return data


@pytest.fixture
def clamd(settings: Any) -> Iterator[socketserver.TCPServer]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), FakeClamd)
    server.received = []  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.VIRUS_SCANNER = "clamav"
    settings.CLAMAV_URL = f"tcp://127.0.0.1:{server.server_address[1]}"
    settings.CLAMAV_TIMEOUT = 5
    yield server
    server.shutdown()
    server.server_close()


def test_clamd_passes_a_clean_file_and_refuses_an_infected_one(
    clamd: socketserver.TCPServer,
) -> None:
    big = factories.pdf_bytes("grande", size=300_000)
    assert problems(big) == ""
    assert clamd.received == [len(big)]  # type: ignore[attr-defined]
    infected = factories.pdf_bytes(EICAR.decode())
    assert "contiene un virus (Eicar-Signature)" in problems(infected)


def test_clamd_over_a_unix_socket(settings: Any, tmp_path: Path) -> None:
    path = str(tmp_path / "clamd.ctl")
    server = socketserver.ThreadingUnixStreamServer(path, FakeClamd)
    server.received = []  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.VIRUS_SCANNER, settings.CLAMAV_URL = "clamav", f"unix://{path}"
    try:
        assert problems(factories.pdf_bytes()) == ""
        assert "virus" in problems(factories.pdf_bytes(EICAR.decode()))
    finally:
        server.shutdown()
        server.server_close()


def test_with_scanning_configured_an_unreachable_clamd_refuses_the_file(settings: Any) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.VIRUS_SCANNER, settings.CLAMAV_URL = "clamav", f"tcp://127.0.0.1:{port}"
    assert "Inténtelo de nuevo en unos minutos" in problems(factories.pdf_bytes())


def test_the_local_eicar_scanner_and_the_default(settings: Any) -> None:
    infected = factories.pdf_bytes(EICAR.decode())
    assert problems(infected) == ""  # the default: no scanner
    settings.VIRUS_SCANNER = "eicar"
    assert "virus" in problems(infected)
    assert problems(factories.pdf_bytes()) == ""


def test_a_citizens_answer_with_an_infected_file_is_refused_and_kept(
    client: Client, filed: Case, settings: Any
) -> None:
    settings.VIRUS_SCANNER = "eicar"
    factories.information_requested(filed, "Adjunte el boletín.")
    client.force_login(filed.applicant)
    infected = SimpleUploadedFile("boletin.pdf", factories.pdf_bytes(EICAR.decode()))
    html = client.post(
        f"/mi-cuenta/solicitudes/{filed.filing_number}/responder/",
        {"respuesta": "Aquí va el boletín.", "adjuntos": infected},
        follow=True,
    ).content.decode()
    assert "contiene un virus" in html
    assert "Aquí va el boletín." in html
    assert filed.documents.count() == 1


# --- 6. Storage -----------------------------------------------------------------------------


def test_s3_storage_is_configuration(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(config, "S3_BUCKET", "ventanilla")
    monkeypatch.setattr(config, "S3_ENDPOINT_URL", "https://s3.example.gov.co")
    monkeypatch.setattr(config, "S3_ACCESS_KEY_ID", "id")
    monkeypatch.setattr(config, "S3_SECRET_ACCESS_KEY", "secreto")
    storage = config._default_storage("s3")
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    assert storage["OPTIONS"]["bucket_name"] == "ventanilla"
    assert storage["OPTIONS"]["endpoint_url"] == "https://s3.example.gov.co"
    assert storage["OPTIONS"]["default_acl"] is None
    assert storage["OPTIONS"]["file_overwrite"] is False
    assert "region_name" not in storage["OPTIONS"]
    assert config._default_storage("filesystem")["BACKEND"].endswith("FileSystemStorage")
    with pytest.raises(ValueError, match="filesystem or s3"):
        config._default_storage("ftp")
