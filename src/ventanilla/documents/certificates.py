"""Certificates for signing: where an entity's PKCS#12 is, and a demo certification authority
that makes one for each entity (`manage.py demo_certificates`), so that the demo signs and
verifies like a deployment does, with certificates nobody should trust outside it."""

from __future__ import annotations

import datetime as dt
import os
import tempfile
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.conf import settings

from ventanilla.core import clock

CA_FILE = "ca.pem"
CA_KEY_FILE = "ca-key.pem"


def keys_dir() -> Path:
    return Path(settings.SIGNING_KEYS_DIR)


def entity_key_path(code: str) -> Path:
    return keys_dir() / f"{code}.p12"


def trust_root_paths() -> list[Path]:
    """The authorities the verification page trusts: configured, else the folder's `ca.pem`."""
    configured = [Path(p) for p in settings.SIGNING_TRUST_ROOTS if p]
    if configured:
        return configured
    ca = keys_dir() / CA_FILE
    return [ca] if ca.exists() else []


def _write_atomically(path: Path, content: bytes) -> None:
    """Write the whole file or nothing: another process may be making the same one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(handle, "wb") as out:
        out.write(content)
    Path(temporary).chmod(0o600)
    Path(temporary).replace(path)


def _name(common_name: str, organization: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "CO"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization[:64]),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name[:64]),
        ]
    )


def _demo_ca() -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    """The demo authority of this folder, made the first time."""
    cert_path, key_path = keys_dir() / CA_FILE, keys_dir() / CA_KEY_FILE
    if cert_path.exists() and key_path.exists():
        certificate = x509.load_pem_x509_certificate(cert_path.read_bytes())
        key = serialization.load_pem_private_key(key_path.read_bytes(), password=None)
        assert isinstance(key, rsa.RSAPrivateKey)  # noqa: S101 - we wrote it
        return certificate, key
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = _name("Autoridad de certificación de demostración", "Ventanilla (demostración)")
    now = clock.now()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=3650))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    _write_atomically(
        key_path,
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        ),
    )
    _write_atomically(cert_path, certificate.public_bytes(serialization.Encoding.PEM))
    return certificate, key


def demo_certificate_make(*, code: str, name: str) -> Path:
    """A PKCS#12 for the entity, issued by the demo authority (made if missing); returns its
    path. An existing file is kept."""
    path = entity_key_path(code)
    if path.exists():
        return path
    ca_certificate, ca_key = _demo_ca()
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = clock.now()
    certificate = (
        x509.CertificateBuilder()
        .subject_name(_name(name, name))
        .issuer_name(ca_certificate.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=825))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION]), critical=False
        )
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_certificate.public_key()),  # type: ignore[arg-type]
            critical=False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(ca_key, hashes.SHA256())
    )
    password = settings.SIGNING_KEY_PASSWORD.encode() or None
    encryption = (
        serialization.BestAvailableEncryption(password)
        if password
        else serialization.NoEncryption()
    )
    bundle = pkcs12.serialize_key_and_certificates(
        code.encode(), key, certificate, [ca_certificate], encryption
    )
    _write_atomically(path, bundle)
    return path
