"""Builders for test data, through the real models and services."""

from __future__ import annotations

import itertools
import time

from allauth.account.models import EmailAddress
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, generate_totp_secret, hotp_value

from ventanilla.accounts.models import User
from ventanilla.organization.models import Dependency, Entity, Level, Membership, Role

PASSWORD = "clave-de-prueba-2026"
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
