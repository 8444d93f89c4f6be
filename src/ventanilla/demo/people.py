"""The demo's people: named logins with a known password and TOTP secret, and generated
officials at the three levels so the organisation is not empty."""

from __future__ import annotations

import random
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.contrib.auth.hashers import make_password

from ventanilla.accounts.models import Consent, User
from ventanilla.accounts.selectors import consent_text_current
from ventanilla.accounts.services import consent_record
from ventanilla.core import clock
from ventanilla.demo.data.localities import LOCALITIES
from ventanilla.demo.data.names import FIRST_NAMES, SURNAMES
from ventanilla.demo.data.organization import ENTITIES, Unit
from ventanilla.demo.data.people import (
    DEMO_PASSWORD,
    DEMO_TOTP_SECRET,
    KENNEDY_SCHOOL,
    NAMED_LOGINS,
    Login,
)
from ventanilla.demo.organizations import (
    EDUCATION,
    EMAIL_DOMAIN,
    local_directorate_code,
    school_plan,
)
from ventanilla.demo.sync import Tally, rows_sync
from ventanilla.organization.models import Dependency, Membership, Role

KENNEDY = "08"
# Local directorates this large get a second official who approves.
LARGE_LOCALITY = 30


@dataclass(frozen=True)
class Post:
    """A generated official and the one role they hold."""

    email: str
    first_name: str
    last_name: str
    entity: str
    dependency: str
    role: Role


def dependency_of(login: Login) -> str:
    """The dependency code `login` works in, with the school placeholder resolved."""
    if login.dependency != KENNEDY_SCHOOL:
        return login.dependency
    return next(school.code for school in school_plan() if school.locality.code == KENNEDY)


def _ascii(text: str) -> str:
    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return folded.lower().replace(" ", "")


def _units(unit: Unit) -> Iterator[Unit]:
    for child in unit.children:
        yield child
        yield from _units(child)


def _seats() -> Iterator[tuple[str, str, Role]]:
    """Where generated officials sit: (entity, dependency code, role)."""
    for data in ENTITIES:
        yield data.code, data.tree.code, Role.VIEWER  # an adviser of the head office
        for unit in _units(data.tree):
            yield data.code, unit.code, Role.HANDLER
            if unit.children:
                yield data.code, unit.code, Role.APPROVER  # the head of the unit
    for locality in LOCALITIES:
        yield EDUCATION, local_directorate_code(locality), Role.HANDLER
        if locality.schools >= LARGE_LOCALITY:
            yield EDUCATION, local_directorate_code(locality), Role.APPROVER
    first_schools: dict[str, str] = {}
    for school in school_plan():
        first_schools.setdefault(school.locality.code, school.code)
    for code in first_schools.values():
        yield EDUCATION, code, Role.HANDLER


@cache
def official_plan() -> tuple[Post, ...]:
    """The generated officials, with Colombian names drawn from a seed per seat."""
    posts = []
    for number, (entity, dependency, role) in enumerate(_seats(), start=1):
        # Demo data, not secrets: a seeded generator keeps the names the same on every run.
        rng = random.Random(f"ventanilla-demo:official:{entity}:{dependency}:{role}")  # noqa: S311
        first_name = rng.choice(FIRST_NAMES)
        father, mother = rng.sample(SURNAMES, 2)
        email = f"{_ascii(first_name.split()[0])}.{_ascii(father)}.{number:03d}@{EMAIL_DOMAIN}"
        posts.append(Post(email, first_name, f"{father} {mother}", entity, dependency, role))
    return tuple(posts)


def people_load() -> dict[str, Tally]:
    """Load or bring up to date the demo's people. Call after `organizations_load`, inside
    a transaction."""
    tallies: dict[str, Tally] = {}
    now = clock.now()
    named_emails = [login.email for login in NAMED_LOGINS]
    missing = set(named_emails) - set(
        User.objects.filter(email__in=named_emails).values_list("email", flat=True)
    )
    # Argon2 is slow on purpose: hash the published password once, for new users only.
    demo_hash = make_password(DEMO_PASSWORD) if missing else ""
    rows: list[dict[str, Any]] = [
        {
            "email": login.email,
            "first_name": login.first_name,
            "last_name": login.last_name,
            "id_type": login.id_type,
            "id_number": login.id_number,
            "phone": login.phone,
            "is_staff": login.superuser,
            "is_superuser": login.superuser,
            "is_active": True,
            "password": demo_hash,
            "date_joined": now,
        }
        for login in NAMED_LOGINS
    ]
    rows += [
        {
            "email": post.email,
            "first_name": post.first_name,
            "last_name": post.last_name,
            "is_staff": False,
            "is_superuser": False,
            "is_active": True,
            # Generated officials never sign in: an unusable password, created once.
            "password": make_password(None),
            "date_joined": now,
        }
        for post in official_plan()
    ]
    users, tallies["users"] = rows_sync(
        User, key=["email"], rows=rows, create_only={"password", "date_joined"}
    )
    user_id = {email: user.pk for (email,), user in users.items()}

    _, tallies["email addresses"] = rows_sync(
        EmailAddress,
        key=["user_id", "email"],
        rows=(
            {"user_id": pk, "email": email, "verified": True, "primary": True}
            for email, pk in user_id.items()
        ),
    )

    dependency_id = {
        (entity, code): pk
        for entity, code, pk in Dependency.objects.filter(
            entity__code__in=[data.code for data in ENTITIES]
        ).values_list("entity__code", "code", "pk")
    }
    seats = [
        (login.email, login.entity, dependency_of(login), login.role)
        for login in NAMED_LOGINS
        if login.role is not None
    ] + [(post.email, post.entity, post.dependency, post.role) for post in official_plan()]
    _, tallies["memberships"] = rows_sync(
        Membership,
        key=["user_id", "dependency_id"],
        rows=(
            {
                "user_id": user_id[email],
                "dependency_id": dependency_id[entity, code],
                "role": role,
                "active": True,
            }
            for email, entity, code, role in seats
        ),
    )

    tallies["TOTP authenticators"] = _totp_enrol(
        [users[(login.email,)] for login in NAMED_LOGINS if login.official]
    )
    tallies["consents"] = _citizen_consents(
        [users[(login.email,)] for login in NAMED_LOGINS if not login.official]
    )
    return tallies


def _totp_enrol(officials: list[User]) -> Tally:
    """Enrol the named officials with the published demo secret, through allauth's own API."""
    enrolled = set(
        Authenticator.objects.filter(user__in=officials, type=Authenticator.Type.TOTP).values_list(
            "user_id", flat=True
        )
    )
    tally = Tally(unchanged=len(enrolled))
    for official in officials:
        if official.pk not in enrolled:
            TOTP.activate(official, DEMO_TOTP_SECRET)
            tally.created += 1
    return tally


def _citizen_consents(citizens: list[User]) -> Tally:
    """Each demo citizen consents once to the notice in force, as at sign-up."""
    text = consent_text_current()
    tally = Tally()
    if text is None:
        return tally
    given = set(
        Consent.objects.filter(user__in=citizens, text=text).values_list("user_id", flat=True)
    )
    for citizen in citizens:
        if citizen.pk in given:
            tally.unchanged += 1
        else:
            consent_record(user=citizen, text=text, language="es")
            tally.created += 1
    return tally


def demo_totp_code(at: datetime | None = None) -> tuple[str, int]:
    """The demo officials' current 6-digit code, and the seconds it stays valid."""
    moment = at or clock.now()
    period: int = mfa_settings.TOTP_PERIOD
    counter, elapsed = divmod(int(moment.timestamp()), period)
    return format_hotp_value(hotp_value(DEMO_TOTP_SECRET, counter)), period - elapsed
