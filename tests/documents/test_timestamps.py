"""With a timestamp service configured, signatures are PAdES B-T: the signature carries a
timestamp token from the service. Here the service is a small RFC 3161 server in a thread,
answering with its own timestamping certificate."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from io import BytesIO
from typing import Any

import pytest
from asn1crypto import keys, tsp
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.timestamps import DummyTimeStamper

from tests.documents.test_issued_answers import answered, pdf_of
from ventanilla.catalog.models import Service


def _tsa() -> DummyTimeStamper:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Sellado de tiempo de prueba")])
    now = dt.datetime.now(dt.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30))
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
        .sign(key, hashes.SHA256())
    )
    return DummyTimeStamper(
        tsa_cert=asn1_x509.Certificate.load(certificate.public_bytes(serialization.Encoding.DER)),
        tsa_key=keys.PrivateKeyInfo.load(
            key.private_bytes(
                serialization.Encoding.DER,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        ),
    )


@pytest.fixture
def timestamp_service() -> Iterator[dict[str, Any]]:
    stamper = _tsa()
    seen: dict[str, Any] = {"requests": 0}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers["Content-Length"]))
            request = tsp.TimeStampReq.load(body)
            response = asyncio.run(stamper.async_request_tsa_response(request))
            seen["requests"] += 1
            seen["content_type"] = self.headers["Content-Type"]
            payload = response.dump()
            self.send_response(200)
            self.send_header("Content-Type", "application/timestamp-reply")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args: Any) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    seen["url"] = f"http://127.0.0.1:{server.server_port}/tsa"
    yield seen
    server.shutdown()


@pytest.mark.django_db
def test_with_a_timestamp_service_the_signature_is_b_t(
    reference_service: Service,
    django_capture_on_commit_callbacks: Any,
    timestamp_service: dict[str, Any],
    settings: Any,
) -> None:
    settings.SIGNING_TIMESTAMP_URL = timestamp_service["url"]
    _case, document = answered(reference_service, django_capture_on_commit_callbacks)
    assert document.state == "ready" and document.signature_level == "B-T"
    assert timestamp_service["requests"] >= 1  # pyHanko may ask once more to size the token
    assert timestamp_service["content_type"] == "application/timestamp-query"
    (embedded,) = PdfFileReader(BytesIO(pdf_of(document))).embedded_signatures
    token = embedded.signer_info["unsigned_attrs"].native
    assert any(attribute["type"] == "signature_time_stamp_token" for attribute in token)


@pytest.mark.django_db
def test_a_timestamp_service_that_is_down_leaves_the_answer_pending(
    reference_service: Service, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    settings.SIGNING_TIMESTAMP_URL = "http://127.0.0.1:9/tsa"  # nothing listens there
    case, document = answered(reference_service, django_capture_on_commit_callbacks)
    assert case.is_closed and document.state == "pending"
    assert "timestamp service" in document.error
