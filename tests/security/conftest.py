"""One small deployment with every kind of caller, built once per module through the real
services, inside a transaction rolled back at the end (the way Django's setUpTestData does)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client, TestCase, override_settings
from django.urls import reverse
from django.utils import translation

from tests import factories
from tests.cases.test_case_file import file_one
from tests.catalog.fixtures import organisation_build, reference_service_import
from tests.catalog.test_formkit import GOOD
from ventanilla.api.models import ApiClient
from ventanilla.api.services import api_client_create
from ventanilla.appointments.models import BookingChannel, Schedule, SchedulePeriod
from ventanilla.appointments.selectors import free_times
from ventanilla.appointments.services import Holder, booking_create, manage_token
from ventanilla.cases.assignment import case_assign
from ventanilla.cases.drafts import filing_draft_save
from ventanilla.cases.filing import Contact
from ventanilla.cases.guest_access import guest_token
from ventanilla.cases.models import Case, FilerKind
from ventanilla.cases.selectors import last_hash
from ventanilla.cases.services import TransitionInput, case_transition
from ventanilla.core import clock
from ventanilla.demo.places import rules_document, rules_yaml
from ventanilla.documents.issuing import verification_code_new
from ventanilla.documents.models import FolderDocument, IssuedDocument
from ventanilla.organization.models import Dependency, Entity, Membership, Role, ServicePoint
from ventanilla.places.models import Offer, Season, SeasonRules
from ventanilla.places.services import season_saved
from ventanilla.surveys.invitations import invitation_open
from ventanilla.turns.models import TurnQueue
from ventanilla.turns.services import device_link_for, ticket_call_next, ticket_issue

BOGOTA = ZoneInfo("America/Bogota")
FILED_AT = datetime(2026, 3, 2, 10, tzinfo=BOGOTA)  # a Monday
NOW = datetime(2026, 3, 3, 10, tzinfo=BOGOTA)  # the probes run the next day
DRAFT_MARKER = "BorradorDeOlga"
OWNER_EMAIL = "olga.rincon@example.co"
STUDENTS = {
    "A": "Andrea Altamar",
    "G": "Gabriel Guarín",
    "G2": "Gloria Gaitán",
    "T": "Tomás Téllez",
}
OWNER_ID_NUMBER = "52123456"
BOOKING_ID_NUMBER = "39876543"

# Who calls. Browser callers hold a session (or none); token callers send only a bearer token.
ANONYMOUS = "anonymous"
OWNER = "owner"  # the citizen who filed case A, signed in
CITIZEN = "citizen"  # another citizen, signed in (applicant of case T)
FORMER_OFFICIAL = "former_official"  # was a handler on A's dependency; the role was withdrawn
GUEST = "guest"  # opened the emailed link of guest case G, and proved G's code, in this session
GUEST_OTHER = "guest_other"  # the same for another guest's case G2
TRACKER = "tracker"  # proved case A's number and code on the public tracking page
HANDLER = "handler"  # handler on A's dependency (DIR-COBERTURA)
APPROVER = "approver"  # approver on A's dependency
SUPERVISOR = "supervisor"  # supervisor on the head office above it (DESPACHO)
VIEWER = "viewer"  # viewer on A's dependency: a role lower than acting needs
OTHER_DEPENDENCY = "other_dependency"  # supervisor of a sibling whose code starts the same
BELOW = "official_below"  # handler on a team under A's dependency: a role covers only downwards
OTHER_ENTITY = "other_entity"  # administrator of another entity (SG), where case T went
BOOKING_HOLDER = "Titular Reservante Único"
STAFF = "staff"  # platform staff with two-factor authentication, no role in any dependency
STAFF_NO_MFA = "staff_no_mfa"  # platform staff who never enrolled two-factor authentication
OWNER_TOKEN = "owner_token"  # the owner's personal API token
CITIZEN_TOKEN = "citizen_token"  # another citizen's personal API token
CHANNEL_TOKEN = "channel_token"  # a call centre's API token (files for others, owns nothing)
REVOKED_TOKEN = "revoked_token"  # a deactivated API client

BROWSER = (
    ANONYMOUS,
    OWNER,
    CITIZEN,
    FORMER_OFFICIAL,
    GUEST,
    GUEST_OTHER,
    TRACKER,
    HANDLER,
    APPROVER,
    SUPERVISOR,
    VIEWER,
    OTHER_DEPENDENCY,
    BELOW,
    OTHER_ENTITY,
    STAFF,
    STAFF_NO_MFA,
)
TOKENS = (OWNER_TOKEN, CITIZEN_TOKEN, CHANNEL_TOKEN, REVOKED_TOKEN)
CALLERS = BROWSER + TOKENS

# What the module's requests run under: the settings the other tests get from tests/conftest.py.
SETTINGS: dict[str, Any] = {
    "PASSWORD_HASHERS": ["django.contrib.auth.hashers.MD5PasswordHasher"],
    "CACHES": {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}},
}


@dataclass
class World:
    """The cases, the values that reach them (numbers, codes, document ids, tokens) under
    short names used by the expectation table, and one client per caller."""

    cases: dict[str, Case]
    refs: dict[str, str]
    clients: dict[str, Client] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)
    users: dict[str, int] = field(default_factory=dict)  # caller → user id
    baseline: tuple[Any, ...] = ()  # what every request starts from (matrix.fingerprint)

    def ref(self, name: str) -> str:
        """The value a short name stands for; any other text stands for itself."""
        return self.refs.get(name, name)


def _people() -> dict[str, Any]:
    coverage = Dependency.objects.get(code="DIR-COBERTURA")
    head_office = coverage.parent
    assert head_office is not None
    # Paths end in a slash so that DESPACHO/DIR-COBERTURA/ does not cover this one (ADR 0003).
    sibling = factories.dependency("DIR-COBERTURA-RURAL", parent=head_office)
    team = factories.dependency("GRUPO-CUPOS", parent=coverage)
    # Another entity's head office has the same code, and so the same path: roles are per entity.
    other_entity = factories.dependency("DESPACHO", entity_code="SG")
    people = {
        OWNER: factories.user(
            OWNER_EMAIL,
            first_name="Olga",
            last_name="Rincón",
            id_type="CC",
            id_number=OWNER_ID_NUMBER,
        ),
        CITIZEN: factories.user(first_name="Carlos", last_name="Mejía"),
        FORMER_OFFICIAL: factories.official(coverage, Role.HANDLER),
        HANDLER: factories.official(coverage, Role.HANDLER),
        APPROVER: factories.official(coverage, Role.APPROVER),
        SUPERVISOR: factories.official(head_office, Role.SUPERVISOR),
        VIEWER: factories.official(coverage, Role.VIEWER),
        OTHER_DEPENDENCY: factories.official(sibling, Role.SUPERVISOR),
        BELOW: factories.official(team, Role.HANDLER),
        OTHER_ENTITY: factories.official(other_entity, Role.ADMINISTRATOR),
        STAFF: factories.user(staff=True),
        STAFF_NO_MFA: factories.user(staff=True),
    }
    officials = (HANDLER, APPROVER, SUPERVISOR, VIEWER, OTHER_DEPENDENCY, BELOW, OTHER_ENTITY)
    for name in (*officials, STAFF, FORMER_OFFICIAL):
        factories.enrol_totp(people[name])
    # What an administrator does in the admin when someone leaves the dependency.
    Membership.objects.filter(user=people[FORMER_OFFICIAL]).update(active=False)
    return people


def _answers(case: str) -> dict[str, Any]:
    """The reference answers, with a student's name that appears nowhere else."""
    return {**GOOD, "nombres_estudiante": STUDENTS[case]}


def build_world(directory: Path) -> World:
    """Case A (the owner's, under review, unassigned), G (a guest's, waiting for their
    information), G2 (another guest's), T (another citizen's, sent to entity SG by
    competence); the owner's filing draft; a session or a token for every caller."""
    organisation_build()
    service = reference_service_import(directory)
    people = _people()
    handler = people[HANDLER]
    with clock.frozen(FILED_AT):
        own = file_one(
            service,
            answers=_answers("A"),
            filer_kind=FilerKind.CITIZEN,
            applicant=people[OWNER],
            contact=None,
        )
        guest = file_one(
            service,
            answers=_answers("G"),
            contact=Contact(name="Marta Díaz", email="marta@example.co"),
        )
        other_guest = file_one(
            service,
            answers=_answers("G2"),
            contact=Contact(name="Luis Mora", email="luis@example.co"),
        )
        moved = file_one(
            service,
            answers=_answers("T"),
            filer_kind=FilerKind.CITIZEN,
            applicant=people[CITIZEN],
            contact=None,
        )
        case_transition(case=own.case, action="iniciar_revision", actor=handler)
        # Unassigned, so that claiming it is open to every handler of the dependency.
        case_assign(case=own.case, assignee=None, actor=handler)
        case_transition(case=guest.case, action="iniciar_revision", actor=handler)
        case_transition(
            case=guest.case,
            action="pedir_informacion",
            actor=handler,
            payload=TransitionInput(comment="Envíe el recibo de un servicio público."),
        )
        sg = Entity.objects.get(code="SG")
        case_transition(
            case=moved.case,
            action="trasladar",
            actor=handler,
            payload=TransitionInput(comment="Compete a la Secretaría General.", target_entity=sg),
        )
    version = service.versions.get()
    filing_draft_save(
        user=people[OWNER],
        service_id=service.pk,
        version_id=version.pk,
        answers={**GOOD, "nombres_estudiante": f"{DRAFT_MARKER} Rincón"},
        documents=[],
    )
    filings = {"A": own, "G": guest, "G2": other_guest, "T": moved}
    cases = {key: Case.objects.get(pk=filing.case.pk) for key, filing in filings.items()}
    refs = {
        "slug": service.slug,
        "section": version.parsed.form.sections[0].key,
        "draft": DRAFT_MARKER,
        "owner_email": OWNER_EMAIL,
    }
    for key, filing in filings.items():
        case = cases[key]
        refs[key] = case.filing_number
        refs[f"code_{key}"] = filing.verification_code
        refs[f"doc_{key}"] = str(case.documents.order_by("pk").values_list("pk", flat=True)[0])
        refs[f"issued_{key}"] = str(
            IssuedDocument.objects.create(
                case=case,
                entity_id=case.filing_entity_id,
                kind="receipt",
                number=case.filing_number,
                code=verification_code_new(),
                title=f"Constancia {case.filing_number}",
                issued_at=case.filed_at,
            ).pk
        )
        refs[f"token_{key}"] = guest_token(case)
        refs[f"name_{key}"] = STUDENTS[key]
        # The route's head hash: on every page that shows the case to its citizen.
        refs[f"head_{key}"] = last_hash(case)
    refs.update({f"user_{name}": str(user.pk) for name, user in people.items()})
    # The identity documents A's owner and T's citizen filed with, kept in their folders.
    for key, person in (("A", people[OWNER]), ("T", people[CITIZEN])):
        kept = FolderDocument.objects.get(owner=person)
        kept.name = f"cedula-{key}.pdf"
        kept.save(update_fields=["name"])
        refs[f"folder_{key}"] = str(kept.pk)
        refs[f"folder_name_{key}"] = kept.name
    with clock.frozen(NOW):
        refs.update(_booking(service, people[OWNER]))
    refs.update(_turns(service, people[HANDLER]))
    refs.update(_season(service))
    refs.update(_api_booking(service))
    with clock.frozen(NOW):
        # The survey of G2's guest, as the closing notice would have opened it.
        refs["survey_G2"] = invitation_open(case=cases["G2"]) or ""
    world = World(cases=cases, refs=refs, users={name: user.pk for name, user in people.items()})
    _sessions(world, people)
    _tokens(world, people)
    return world


def _turns(service: Any, handler: Any) -> dict[str, str]:
    """The turns of the central office (a point of A's dependency): two queues, a ticket
    called to desk 1 and one waiting, and the secret of its kiosk and display."""
    point = ServicePoint.objects.get(code="SEDE")
    other = factories.service_variant(service, "certificado-turnos")
    queue = TurnQueue.objects.create(point=point, service=service, prefix="A", remote_joining=True)
    other_queue = TurnQueue.objects.create(point=point, service=other, prefix="C")
    with clock.frozen(NOW - timedelta(hours=1)):
        ticket_issue(point=point, service=service, channel="kiosk")
        called = ticket_call_next(point=point, desk="1", actor=handler)
        assert called is not None
        waiting = ticket_issue(point=point, service=service, channel="kiosk", name="Turnista")
    return {
        "point": str(point.pk),
        "point_name": point.name,
        "queue": str(queue.pk),
        "other_queue": str(other_queue.pk),
        "turn_called": str(called.pk),
        "turn_called_token": called.token,
        "turn_waiting_token": waiting.token,
        "turn_waiting_code": waiting.code,
        "device": device_link_for(point=point, actor=handler).secret,
    }


def _season(service: Any) -> dict[str, str]:
    """A school-place season with published rules and one offer at the head office, on a
    service of its own (so that case A's service files as before): its public pages."""
    places = factories.service_variant(service, "cupos-autorizacion")
    season = Season.objects.create(
        entity=places.entity, service=places, code="2025", name="Cupos 2025"
    )
    SeasonRules.objects.create(
        season=season,
        number=1,
        text=rules_yaml(rules_document(FILED_AT.date() - timedelta(days=400), school_year=2025)),
        published_at=FILED_AT - timedelta(days=500),
    )
    Offer.objects.create(
        season=season,
        point=ServicePoint.objects.get(code="SEDE"),
        grade="primero",
        shift="manana",
        capacity=30,
    )
    season_saved(season=season)
    return {
        "season": season.code,
        "season_title": "Cupos escolares para el año 2025",
        "season_offer": "SEDE:manana",
    }


def _booking(service: Any, owner: Any) -> dict[str, str]:
    """The owner's booking at the head office (a point of case A's dependency, so A's officials
    work its agenda), and a second free time to move it to."""
    point = ServicePoint.objects.get(code="SEDE")
    schedule = Schedule.objects.create(point=point, service=service, capacity=5)
    for weekday in range(7):
        SchedulePeriod.objects.create(
            schedule=schedule, weekday=weekday, opens=time(6), closes=time(22)
        )
    first, second = free_times(point=point, service=service, days=1)[0].times[:2]
    booking = booking_create(
        point=point,
        service=service,
        starts_at=first.starts_at,
        holder=Holder("CC", "1098765432", BOOKING_HOLDER, user=owner),
    )
    return {
        "point": str(point.pk),
        "booking_A": booking.code,
        "booking_name_A": BOOKING_HOLDER,
        "booking_doc_A": "1098765432",
        "manage_A": manage_token(booking),
        "other_time": second.starts_at.isoformat(),
        "booking_day_A": first.starts_at.date().isoformat(),
    }


def _api_booking(service: Any) -> dict[str, str]:
    """A booking at the head office made through a call centre for a person with no account,
    on the day after the owner's, and a free time beside it."""
    point = ServicePoint.objects.get(code="SEDE")
    with clock.frozen(NOW):
        day = free_times(point=point, service=service, days=2)[-1]
        booked, free = day.times[:2]
        booking = booking_create(
            point=point,
            service=service,
            starts_at=booked.starts_at,
            holder=Holder("CC", BOOKING_ID_NUMBER, "Rosa Quintero", "rosa@example.co"),
            channel=BookingChannel.API,
        )
    return {
        "api_point_id": str(point.pk),
        "api_point_code": point.code,
        "api_booking": booking.code,
        "api_booking_id_number": BOOKING_ID_NUMBER,
        "api_free_time": free.starts_at.isoformat(),
    }


def _sessions(world: World, people: dict[str, Any]) -> None:
    for name in BROWSER:
        client = Client()
        if name in people:
            client.force_login(people[name])
        world.clients[name] = client
    with clock.frozen(NOW):
        for name, case in ((GUEST, "G"), (GUEST_OTHER, "G2")):
            _open_guest_link(world, name, case)
            _prove_code(world, name, case)
        _prove_code(world, TRACKER, "A")
    # What the filing page leaves in the session that filed (portal.filing_views._submit):
    # the guest filed G here, so its receipt page opens here and nowhere else.
    session = world.clients[GUEST].session
    session["filed_codes"] = {world.refs["G"]: world.refs["code_G"]}
    session.save()


def _open_guest_link(world: World, caller: str, case: str) -> None:
    link = reverse("portal:guest_access", args=[world.refs[case], world.refs[f"token_{case}"]])
    response = world.clients[caller].get(link)
    assert response.status_code == 302, f"{caller} could not open the link of {case}"


def _prove_code(world: World, caller: str, case: str) -> None:
    response = world.clients[caller].post(
        reverse("portal:tracking"),
        {"filing_number": world.refs[case], "code": world.refs[f"code_{case}"]},
    )
    assert response.status_code == 302, f"{caller} could not track {case} with its code"


def _tokens(world: World, people: dict[str, Any]) -> None:
    world.tokens = {
        OWNER_TOKEN: api_client_create(name="App de Olga", user=people[OWNER]).token,
        CITIZEN_TOKEN: api_client_create(name="App de Carlos", user=people[CITIZEN]).token,
        CHANNEL_TOKEN: api_client_create(name="Línea 195", channel="phone").token,
    }
    revoked = api_client_create(name="Chatbot retirado", channel="api")
    # What an administrator does in the admin: untick "active".
    ApiClient.objects.filter(pk=revoked.client.pk).update(active=False)
    world.tokens[REVOKED_TOKEN] = revoked.token
    for name in TOKENS:
        world.clients[name] = Client(headers={"Authorization": f"Bearer {world.tokens[name]}"})


@pytest.fixture(scope="module")
def world(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    """The deployment, shared by every test of the module; each test and each request runs in
    a savepoint rolled back after it, so none sees another's changes."""
    media = tmp_path_factory.mktemp("media")
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, **SETTINGS),
        translation.override("es"),
    ):
        atomics = TestCase._enter_atomics()
        try:
            yield build_world(tmp_path_factory.mktemp("catalog"))
        finally:
            TestCase._rollback_atomics(atomics)
