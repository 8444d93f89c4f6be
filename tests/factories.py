"""Builders for test data, through the real models and services."""

from __future__ import annotations

import copy
import itertools
import time
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value

from ventanilla.accounts.models import User
from ventanilla.cases.models import Case
from ventanilla.catalog.models import Service
from ventanilla.organization.models import Dependency, Entity, Level, Membership, Role

PASSWORD = "clave-de-prueba-2026"


def pdf_bytes(note: str = "prueba", *, size: int = 0) -> bytes:
    """A one-page PDF a reader opens (uploads are refused when they cannot be opened); `note`
    makes its bytes, and so its SHA-256, differ; `size` pads it to exactly that many bytes."""
    head = (
        b"%PDF-1.4\n% " + note.encode() + b"\n"
        b"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
        b"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n"
        b"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n"
    )
    tail = b"trailer << /Root 1 0 R >>\n%%EOF\n"
    padding = size - len(head) - len(tail)
    if padding > 2:
        head += b"%" + b"0" * (padding - 2) + b"\n"  # a comment line: exactly `size` bytes
    return head + tail


_counter = itertools.count(1)


def entity(code: str = "SED", **fields: object) -> Entity:
    obj, _ = Entity.objects.get_or_create(code=code, defaults={"name": f"Entidad {code}", **fields})
    return obj


def dependency(
    code: str,
    *,
    parent: Dependency | None = None,
    level: str = Level.CENTRAL,
    entity_code: str = "SED",
) -> Dependency:
    owner = parent.entity if parent else entity(entity_code)
    return Dependency.objects.create(
        entity=owner, parent=parent, code=code, name=f"Dependencia {code}", level=level
    )


def user(email: str | None = None, *, staff: bool = False, **fields: object) -> User:
    email = email or f"persona{next(_counter)}@example.co"
    created = User.objects.create_user(email, PASSWORD, is_staff=staff, **fields)
    EmailAddress.objects.create(user=created, email=email, verified=True, primary=True)
    return created


def official(dependency: Dependency, role: str = Role.HANDLER, **fields: object) -> User:
    person = user(**fields)
    Membership.objects.create(user=person, dependency=dependency, role=role)
    return person


def enrol_totp(person: User) -> str:
    """Activate TOTP for `person` and return the secret."""
    secret = generate_totp_secret()
    TOTP.activate(person, secret)
    return secret


def totp_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def information_requested(case: Case, comment: str) -> Case:
    """A case of the reference service (school place), reviewed and now waiting for the
    citizen to send `comment`'s request, by a new handler of its dependency."""
    from ventanilla.cases.services import TransitionInput, case_transition

    handler = official(case.dependency, Role.HANDLER)
    case = case_transition(case=case, action="iniciar_revision", actor=handler)
    return case_transition(
        case=case,
        action="pedir_informacion",
        actor=handler,
        payload=TransitionInput(comment=comment),
    )


def service_variant(base: Service, slug: str, **definition: Any) -> Service:
    """A petition type published under `slug`: a copy of `base` with the keys of its definition
    given in `definition` replaced."""
    from ventanilla.catalog.services import service_version_create, service_version_publish

    service = Service.objects.create(
        slug=slug,
        entity=base.entity,
        dependency=base.dependency,
        category=base.category,
        kind="petition",
        channels=["online"],
        point_kinds=[],
    )
    changed = {**copy.deepcopy(base.versions.get().definition), **definition}
    service_version_publish(version=service_version_create(service=service, definition=changed))
    return service
