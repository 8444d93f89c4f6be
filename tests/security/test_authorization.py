"""Every route the project serves, against every kind of caller: the owner, another citizen,
the guests, officials with and without a role on the case, a role too low for the action,
anonymous visitors, API tokens that do not own the case.

The tests are generated from the URL resolver and the API's router, so a new route cannot skip
them: a route without an entry in EXPECTATIONS fails with a message saying what to add. Each
request runs in a savepoint rolled back after it (conftest.py), so the table reads as "what
this caller gets from the same world", whatever the other rows do.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from django.urls import reverse

from tests import factories
from tests.catalog.test_formkit import GOOD
from tests.factories import pdf_bytes
from tests.places.conftest import apply, schools_build
from tests.portal.test_filing import SECTIONS
from tests.security.conftest import (
    ANONYMOUS,
    APPROVER,
    BELOW,
    BROWSER,
    CHANNEL_TOKEN,
    CITIZEN,
    CITIZEN_TOKEN,
    FILED_AT,
    FORMER_OFFICIAL,
    GUEST,
    GUEST_OTHER,
    HANDLER,
    OTHER_DEPENDENCY,
    OTHER_ENTITY,
    OWNER,
    OWNER_TOKEN,
    STAFF,
    STAFF_NO_MFA,
    SUPERVISOR,
    TOKENS,
    TRACKER,
    VIEWER,
    World,
)
from tests.security.matrix import (
    Expected,
    Outcome,
    Probe,
    Route,
    Upload,
    all_routes,
    call,
    mismatch,
    route_help,
    route_url,
    url_of,
)
from ventanilla.api.main import api
from ventanilla.cases.models import CompetenceTransfer
from ventanilla.catalog.models import Service
from ventanilla.core import clock
from ventanilla.demo.places import rules_document, rules_yaml
from ventanilla.organization.models import Membership
from ventanilla.places.allocating import allocation_run
from ventanilla.places.models import Application, Offer, Season, SeasonRules
from ventanilla.places.services import season_saved

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def world(world: World, django_db_blocker: Any) -> Iterator[World]:
    """The shared world, with a school-place season whose service A's office owns: in stage 1
    on the day the probes run, an application whose priority group waits for review, and a dry
    run of the allocation."""
    with django_db_blocker.unblock():
        world.refs.update(_places_season(Service.objects.get(slug=world.refs["slug"])))
    yield world


def _places_season(reference: Service) -> dict[str, str]:
    # A service of its own, so that the reference service's filings elsewhere in the table are
    # not school-place applications.
    service = factories.service_variant(reference, "cupos-escolares-oficina")
    season = Season.objects.create(
        entity=service.entity, service=service, code="2027-oficina", name="Cupos 2027 (oficina)"
    )
    SeasonRules.objects.create(
        season=season,
        number=1,
        text=rules_yaml(rules_document(date(2026, 2, 23), school_year=2027)),
        published_at=FILED_AT,
    )
    for point in schools_build():
        Offer.objects.create(
            season=season, point=point, grade="primero", shift="manana", capacity=4
        )
    season_saved(season=season)
    with clock.frozen(FILED_AT):
        filing = apply(service, group="victima")
        run = allocation_run(season=season, dry_run=True, actor=None)
    return {
        "office_season": season.code,
        "season_name": season.name,
        "place_case": filing.case.filing_number,
        "place_application": str(Application.objects.get(case=filing.case).pk),
        "run": str(run.number),
        "run_inputs_sha": run.inputs_sha256,
    }


SHOWN, HIDDEN, DONE, REFUSED = Outcome.SHOWN, Outcome.HIDDEN, Outcome.DONE, Outcome.REFUSED
LOGIN, MFA, REDIRECT, ANY = Outcome.LOGIN, Outcome.MFA, Outcome.REDIRECT, Outcome.ANY
DENIED, UNCHANGED = Outcome.DENIED, Outcome.UNCHANGED
ADMIN_LOGIN = Outcome.ADMIN_LOGIN

# Kinds of callers, as the table groups them.
VISITORS = (ANONYMOUS, GUEST, GUEST_OTHER, TRACKER)  # nobody signed in
CITIZENS = (OWNER, CITIZEN, FORMER_OFFICIAL)  # signed in, no active role anywhere
ACTORS = (HANDLER, APPROVER, SUPERVISOR)  # a handler's role or above on case A's dependency
CASE_OFFICIALS = (*ACTORS, VIEWER)  # any role on case A's dependency
OUTSIDERS = (OTHER_DEPENDENCY, BELOW, OTHER_ENTITY, STAFF)  # officials with no role on case A
OFFICIALS = CASE_OFFICIALS + OUTSIDERS
SIGNED_IN = (*CITIZENS, *OFFICIALS, STAFF_NO_MFA)
# Who is asked, by the kind of route. Outside the surfaces (health, language, allauth's pages of
# one's own account) nothing belongs to anybody else: a stranger, a citizen and an official.
ACCOUNT_CALLERS = (ANONYMOUS, OWNER, HANDLER)
# On the API a browser's session is no credential: a few sessions stand for all of them.
API_CALLERS = (ANONYMOUS, OWNER, GUEST, HANDLER, *TOKENS)
ADMIN_CALLERS = (ANONYMOUS, HANDLER, STAFF_NO_MFA)

# Who works the turn desks of the central office (a point of A's dependency): a handler or
# above there, or above it.
DESK = (HANDLER, APPROVER, SUPERVISOR)
POINT = {"point_id": "point"}
DEVICE = {"secret": "device"}
WRONG_DEVICE = {"secret": "not-the-secret"}

# What the workspace answers before it looks at the case.
WORKSPACE: dict[Any, Expected] = {VISITORS: LOGIN, CITIZENS: 403, STAFF_NO_MFA: MFA}

PDF = pdf_bytes("mostrador")


def P(method: str, expect: dict[Any, Expected], **fields: Any) -> Probe:
    return Probe(method, expect, **fields)


def public(**fields: Any) -> list[Probe]:
    """A page for everybody that shows nothing private and takes no POST."""
    return [P("GET", {BROWSER: SHOWN}, **fields), P("POST", {BROWSER: 405}, **fields)]


def mine(**fields: Any) -> list[Probe]:
    """A page of the signed-in person's own things: case A shows only to its owner."""
    return [
        P("GET", {VISITORS: LOGIN, SIGNED_IN: HIDDEN, OWNER: SHOWN}, marker="A", **fields),
        P("POST", {VISITORS: LOGIN, SIGNED_IN: 405}, **fields),
    ]


def account_page() -> list[Probe]:
    """allauth's pages that act on the signed-in person's own account."""
    expect = {ANONYMOUS: LOGIN, (OWNER, HANDLER): ANY}
    return [P("GET", expect), P("POST", expect)]


def open_page() -> list[Probe]:
    """allauth's pages for whoever is not signed in yet (sign in, sign up, reset a password)."""
    return [P("GET", {ACCOUNT_CALLERS: ANY}), P("POST", {ACCOUNT_CALLERS: ANY})]


A = {"number": "A"}
G = {"number": "G"}
T = {"number": "T"}
SLUG = {"slug": "slug"}
BK = {"code": "booking_A"}
PT = {"point_id": "point"}
SEASON = {"code": "office_season"}
RUN = {**SEASON, "number": "run"}
REVIEW = {**SEASON, "application_id": "place_application"}
RUNNERS = (APPROVER, SUPERVISOR)  # an approver's role or above on the season's office
ASSISTED_FILING: dict[str, Any] = {
    "channel": "in_person",
    "id_type": "CC",
    "id_number": "79.845.123",
    "first_name": "José",
    "last_name": "Pérez",
    "phone": "3201234567",
    "consent": "on",
    "idempotency_key": "mostrador-authz-1",
    "documento_documento_estudiante": Upload("ti.pdf", PDF, "application/pdf"),
    **{k: v for _key, section in SECTIONS for k, v in section.items()},
}
API_FILING: dict[str, Any] = {
    "service": "slug",
    "answers": GOOD,
    "applicant": {"name": "Pedro Gómez", "email": "pedro@example.co", "phone": "3101234567"},
    "consent_given": True,
    "documents": [
        {
            "key": "documento_estudiante",
            "name": "ti.pdf",
            "content_base64": base64.b64encode(pdf_bytes("api")).decode(),
        }
    ],
}

SURVEY_ANSWER = {"rating": "4", "solved": "partly", "comment": "Buena atención."}
API_BOOKING: dict[str, Any] = {
    "service": "slug",
    "service_point": "api_point_id",
    "starts_at": "api_free_time",
    "holder": {"id_type": "CC", "id_number": "1077777777", "name": "Pedro Gómez"},
}

BOOKING_PROBES = [
    P(
        "GET",
        {API_CALLERS: 401, (OWNER_TOKEN, CITIZEN_TOKEN, CHANNEL_TOKEN): SHOWN},
        kwargs={"code": "api_booking"},
        query={"id_number": "api_booking_id_number"},
        marker="api_booking",
    ),
    P(
        "DELETE",
        {API_CALLERS: 401, (OWNER_TOKEN, CITIZEN_TOKEN, CHANNEL_TOKEN): DONE},
        kwargs={"code": "api_booking"},
        query={"id_number": "api_booking_id_number"},
    ),
    *(
        P(
            method,
            {API_CALLERS: 401, (OWNER_TOKEN, CITIZEN_TOKEN, CHANNEL_TOKEN): 404},
            kwargs={"code": "api_booking"},
            query={"id_number": "52123456"},
            note="the booking's code with another person's ID number",
        )
        for method in ("GET", "DELETE")
    ),
]

EXPECTATIONS: dict[str, list[Probe]] = {
    # ---- Outside any surface: health, language, allauth (one's own account) ----
    "healthz": [P("GET", {ACCOUNT_CALLERS: 200}), P("POST", {ACCOUNT_CALLERS: 405})],
    "set_language": [
        P("GET", {ACCOUNT_CALLERS: REDIRECT}),
        P("POST", {ACCOUNT_CALLERS: REDIRECT}),
    ],
    "account_login": open_page(),
    "account_logout": open_page(),
    "account_inactive": open_page(),
    "account_signup": open_page(),
    "account_reauthenticate": account_page(),
    "account_email": account_page(),
    "account_email_verification_sent": open_page(),
    "account_change_password": account_page(),
    "account_set_password": account_page(),
    "account_reset_password": open_page(),
    "account_confirm_login_code": open_page(),
    "account_confirm_email": open_page(),
    "account_reset_password_from_key_done": open_page(),
    "account_reset_password_from_key": open_page(),
    "account_reset_password_done": open_page(),
    "mfa_index": account_page(),
    "mfa_authenticate": open_page(),
    "mfa_reauthenticate": account_page(),
    "mfa_activate_totp": account_page(),
    "mfa_deactivate_totp": account_page(),
    "mfa_view_recovery_codes": account_page(),
    "mfa_generate_recovery_codes": account_page(),
    "mfa_download_recovery_codes": account_page(),
    "socialaccount_login_cancelled": open_page(),
    "socialaccount_login_error": open_page(),
    "socialaccount_signup": open_page(),
    "socialaccount_connections": account_page(),
    "cuenta/social/login/cancelled/": open_page(),
    "cuenta/social/login/error/": open_page(),
    "cuenta/social/signup/": open_page(),
    "cuenta/social/connections/": open_page(),
    "openid_connect_login": open_page(),
    "openid_connect_callback": open_page(),
    # ---- The public portal ----
    "portal:home": public(),
    # ---- Turns: the kiosk and display open with the point's secret only; a ticket's page with
    # its own secret token ----
    "portal:turn_points": public(marker="point_name"),
    "portal:turn_join": [
        P("GET", {BROWSER: SHOWN}, kwargs=POINT, marker="point_name"),
        P("POST", {BROWSER: DONE}, kwargs=POINT, data={"queue": "queue", "name": "Ana Ruiz"}),
        P(
            "POST",
            {BROWSER: 200},
            kwargs=POINT,
            data={"queue": "other_queue", "name": "Ana Ruiz"},
            note="a queue that takes no turns from a phone",
        ),
    ],
    "portal:survey": [
        P("GET", {BROWSER: SHOWN}, kwargs={"token": "survey_G2"}, marker="G2"),
        P("GET", {BROWSER: 404}, kwargs={"token": "A"}, note="not a survey's token"),
        P("POST", {BROWSER: DONE}, kwargs={"token": "survey_G2"}, data=SURVEY_ANSWER),
        P("POST", {BROWSER: 404}, kwargs={"token": "A"}, data=SURVEY_ANSWER),
    ],
    "portal:survey_petition": [
        P("GET", {BROWSER: 405}, kwargs={"token": "survey_G2"}),
        P(
            "POST",
            {BROWSER: REDIRECT},
            kwargs={"token": "survey_G2"},
            note="not answered yet: back to the survey",
        ),
        P("POST", {BROWSER: 404}, kwargs={"token": "A"}),
    ],
    "portal:turn_ticket": [
        P(
            "GET",
            {BROWSER: SHOWN},
            kwargs={"token": "turn_waiting_token"},
            marker="turn_waiting_code",
        ),
        P("GET", {BROWSER: 404}, kwargs={"token": "A"}, note="not a ticket's token"),
        P("POST", {BROWSER: 405}, kwargs={"token": "turn_waiting_token"}),
    ],
    "portal:turn_kiosk": [
        P("GET", {BROWSER: SHOWN}, kwargs=DEVICE, marker="point_name"),
        P("POST", {BROWSER: DONE}, kwargs=DEVICE, data={"queue": "queue"}),
        P("GET", {BROWSER: 404}, kwargs=WRONG_DEVICE, marker="point_name"),
        P("POST", {BROWSER: 404}, kwargs=WRONG_DEVICE, data={"queue": "queue"}),
    ],
    "portal:turn_kiosk_ticket": [
        P(
            "GET",
            {BROWSER: SHOWN},
            kwargs={**DEVICE, "token": "turn_waiting_token"},
            marker="turn_waiting_code",
        ),
        P(
            "GET",
            {BROWSER: 404},
            kwargs={**WRONG_DEVICE, "token": "turn_waiting_token"},
            marker="turn_waiting_code",
        ),
        P("POST", {BROWSER: 405}, kwargs={**DEVICE, "token": "turn_waiting_token"}),
    ],
    "portal:turn_display": [
        P("GET", {BROWSER: SHOWN}, kwargs=DEVICE, marker="point_name"),
        P("GET", {BROWSER: 404}, kwargs=WRONG_DEVICE, marker="point_name"),
        P("POST", {BROWSER: 405}, kwargs=DEVICE),
    ],
    "portal:catalog": public(),
    "portal:deadlines": public(),
    "portal:service": public(kwargs=SLUG),
    "portal:tracking": [
        P("GET", {BROWSER: SHOWN}),
        P(
            "POST",
            {BROWSER: REDIRECT},
            data={"filing_number": "A", "code": "code_A"},
            note="A's number with A's code: the code is the key",
        ),
        P(
            "POST",
            {BROWSER: SHOWN},
            data={"filing_number": "A", "code": "code_G"},
            note="A's number with another case's code: the form again",
        ),
    ],
    # Appointments: the booking's page opens to its account, to the key sent to its holder
    # and to its code with the holder's ID number; nothing of it to anybody else.
    "portal:appointments": [
        P("GET", {BROWSER: SHOWN}, marker="slug"),
        P("GET", {BROWSER: HIDDEN, OWNER: SHOWN}, marker="booking_A"),
        P("POST", {BROWSER: 405}),
    ],
    "portal:booking_lookup": [
        P("GET", {BROWSER: SHOWN}),
        P(
            "POST",
            {BROWSER: REDIRECT},
            data={"codigo": "booking_A", "documento": "booking_doc_A"},
            note="the code with the holder's ID number is the key",
        ),
        P("POST", {BROWSER: SHOWN}, data={"codigo": "booking_A", "documento": "1"}),
    ],
    "portal:booking_points": public(kwargs=SLUG),
    "portal:booking_times": public(kwargs={"slug": "slug", "point_id": "point"}),
    "portal:booking_details": [
        P(method, {BROWSER: REDIRECT}, kwargs={"slug": "slug", "point_id": "point"})
        for method in ("GET", "POST")
    ],
    "portal:booking": [
        P("GET", {BROWSER: DENIED, OWNER: SHOWN}, kwargs=BK, marker="booking_name_A"),
        P("GET", {BROWSER: REDIRECT}, kwargs=BK, query={"clave": "manage_A"}),
        P("GET", {BROWSER: DENIED}, kwargs=BK, query={"clave": "manage_B"}),
        P("POST", {BROWSER: 405}, kwargs=BK),
    ],
    "portal:booking_calendar": [
        P("GET", {BROWSER: DENIED, OWNER: SHOWN}, kwargs=BK, marker="BEGIN:VEVENT"),
        P("POST", {BROWSER: 405}, kwargs=BK),
    ],
    "portal:booking_cancel": [
        P("GET", {BROWSER: DENIED, OWNER: SHOWN}, kwargs=BK),
        P("POST", {BROWSER: DENIED, OWNER: DONE}, kwargs=BK),
    ],
    "portal:booking_move": [
        P("GET", {BROWSER: 405}, kwargs=BK),
        P("POST", {BROWSER: DENIED, OWNER: DONE}, kwargs=BK, data={"hora": "other_time"}),
    ],
    "portal:verify": [
        P("GET", {BROWSER: SHOWN}),
        P(
            "POST",
            {BROWSER: SHOWN},
            data={"code": "0000-0000-0000"},
            note="a code nobody was given: the page says no document has it, to anyone",
        ),
    ],
    "portal:tracking_case": [
        *(
            P(method, {BROWSER: 404, (OWNER, TRACKER): SHOWN}, kwargs=A, marker="head_A")
            for method in ("GET", "POST")
        ),
        P(
            "GET",
            {BROWSER: 404, GUEST: SHOWN},
            kwargs=G,
            marker="head_G",
            note="proved by G's guest",
        ),
    ],
    "portal:tracking_guest_link": [
        P("GET", {BROWSER: 405}, kwargs=G),
        P("POST", {BROWSER: 404, GUEST: REDIRECT}, kwargs=G, note="sent to G's own email"),
        P("POST", {BROWSER: 404}, kwargs=A, note="a citizen's case has no guest link"),
    ],
    # Filing online works on the caller's own draft: the owner's never shows to anybody else.
    "portal:file_start": [
        P("GET", {VISITORS: HIDDEN, SIGNED_IN: REDIRECT}, kwargs=SLUG, marker="draft"),
        P("POST", {BROWSER: REDIRECT}, kwargs=SLUG, data={"mode": "guest"}, marker="draft"),
    ],
    "portal:file_guest": [
        P(method, {BROWSER: REDIRECT}, kwargs=SLUG, marker="draft") for method in ("GET", "POST")
    ],
    "portal:file_section": [
        P(
            "GET",
            {VISITORS: REDIRECT, SIGNED_IN: HIDDEN, OWNER: SHOWN},
            kwargs={**SLUG, "section": "section"},
            marker="draft",
        ),
        P(
            "POST",
            {VISITORS: REDIRECT, SIGNED_IN: REDIRECT, OWNER: DONE},
            kwargs={**SLUG, "section": "section"},
            data=SECTIONS[0][1],
            marker="draft",
        ),
    ],
    # The reference service is handled by its own office: no "where" step to open.
    "portal:file_place": [
        P(method, {VISITORS: REDIRECT, SIGNED_IN: 404}, kwargs=SLUG) for method in ("GET", "POST")
    ],
    "portal:file_documents": [
        P(method, {VISITORS: REDIRECT, SIGNED_IN: HIDDEN}, kwargs=SLUG, marker="draft")
        for method in ("GET", "POST")
    ],
    "portal:file_review": [
        P(
            "GET",
            {VISITORS: REDIRECT, SIGNED_IN: HIDDEN, OWNER: SHOWN},
            kwargs=SLUG,
            marker="draft",
        ),
        P("POST", {BROWSER: REDIRECT}, kwargs=SLUG, marker="draft", note="an old page"),
    ],
    # The receipt (number and code) opens only in the session that filed.
    "portal:file_done": [
        *(
            P(method, {BROWSER: 404, GUEST: SHOWN}, kwargs=G, marker="code_G")
            for method in ("GET", "POST")
        ),
        P("GET", {BROWSER: 404}, kwargs=A, marker="code_A", note="filed in another session"),
    ],
    # School places: the seasons' rules, figures and open data are for everybody.
    "portal:places_seasons": public(marker="season_title"),
    **{
        name: public(kwargs={"code": "season"}, marker="season_title")
        for name in ("portal:places_season", "portal:places_season_json")
    },
    "portal:places_season_csv": public(kwargs={"code": "season"}),
    # Open data: for everybody. The world has no release, so the files are not found yet.
    "portal:opendata": public(),
    "portal:opendata_dictionary": public(),
    "portal:opendata_schema": public(),
    "portal:opendata_catalogue": public(),
    "portal:opendata_latest": [
        P("GET", {BROWSER: 404}, kwargs={"dataset": "cases", "fmt": "csv"}, note="no release"),
        P("POST", {BROWSER: 405}, kwargs={"dataset": "cases", "fmt": "csv"}),
    ],
    "portal:opendata_dated": [
        P(
            "GET",
            {BROWSER: 404},
            kwargs={"day": "2026-01-02", "dataset": "cases", "fmt": "csv"},
            note="no release",
        ),
        P("POST", {BROWSER: 405}, kwargs={"day": "2026-01-02", "dataset": "cases", "fmt": "csv"}),
    ],
    # ---- The citizen's area ----
    "portal:account": [
        P("GET", {VISITORS: LOGIN, SIGNED_IN: HIDDEN, OWNER: SHOWN}, marker="owner_email"),
        P("POST", {VISITORS: LOGIN, SIGNED_IN: HIDDEN}, note="an empty form"),
    ],
    "portal:my_cases": mine(),
    # Adding a case filed without an account: the code is the proof, for whoever signed in.
    "portal:my_case_claim": [
        P("GET", {VISITORS: LOGIN, SIGNED_IN: 200}),
        P(
            "POST",
            {VISITORS: LOGIN, SIGNED_IN: DONE},
            data={"filing_number": "G", "code": "code_G"},
            note="a guest's case, with its code, joins the account of whoever proves it",
        ),
        P(
            "POST",
            {VISITORS: LOGIN, SIGNED_IN: UNCHANGED, OWNER: REDIRECT},
            data={"filing_number": "A", "code": "code_A"},
            note="a case in an account stays there",
        ),
        P(
            "POST",
            {VISITORS: LOGIN, SIGNED_IN: UNCHANGED},
            data={"filing_number": "G", "code": "AAAAA-AAAAA"},
        ),
    ],
    "portal:my_notifications": mine(),
    "portal:my_data": mine(),
    "portal:my_case": [
        *(
            P(method, {VISITORS: LOGIN, SIGNED_IN: 404, OWNER: SHOWN}, kwargs=A, marker="head_A")
            for method in ("GET", "POST")
        ),
        P(
            "GET",
            {VISITORS: LOGIN, GUEST: SHOWN, SIGNED_IN: 404},
            kwargs=G,
            marker="head_G",
            note="a guest's case, by its guest",
        ),
    ],
    "portal:my_case_answer": [
        P("GET", {BROWSER: 405}, kwargs=A),
        P(
            "POST",
            {VISITORS: LOGIN, SIGNED_IN: 404, OWNER: REFUSED},
            kwargs=A,
            data={"respuesta": "Aquí está."},
            note="A waits for nothing from its owner",
        ),
    ],
    "portal:my_case_message": [
        P("GET", {BROWSER: 405}, kwargs=A),
        P(
            "POST",
            {VISITORS: LOGIN, SIGNED_IN: 404, OWNER: DONE},
            kwargs=A,
            data={"mensaje": "¿Cómo va?"},
        ),
    ],
    "portal:my_case_withdraw": [
        P("GET", {BROWSER: 405}, kwargs=A),
        P(
            "POST",
            {VISITORS: LOGIN, SIGNED_IN: 404, OWNER: DONE},
            kwargs=A,
            data={"confirmar": "si", "motivo": "Ya no lo necesito."},
        ),
    ],
    # Number and code prove a case on the tracking page, which shows only its status: the
    # documents (the citizen's identity documents, the answer) need the account or the link.
    "portal:case_document": [
        P("GET", {BROWSER: 404, OWNER: SHOWN}, kwargs={**A, "document_id": "doc_A"}),
        P("GET", {BROWSER: 404, GUEST: SHOWN}, kwargs={**G, "document_id": "doc_G"}),
        P(
            "GET",
            {BROWSER: 404},
            kwargs={**A, "document_id": "doc_G"},
            note="G's document under A's number",
        ),
        P("POST", {BROWSER: 405}, kwargs={**A, "document_id": "doc_A"}),
    ],
    # The citizen's folder: their own entries only; another's answers 404.
    "portal:my_documents": [
        P(
            "GET",
            {VISITORS: LOGIN, SIGNED_IN: HIDDEN, OWNER: SHOWN},
            marker="folder_name_A",
        ),
        P(
            "POST",
            {VISITORS: LOGIN, SIGNED_IN: DONE},
            data={
                "kind": "identity_document",
                "archivo": Upload("cedula.pdf", PDF, "application/pdf"),
            },
            note="adds to the caller's own folder",
        ),
    ],
    "portal:my_document": [
        P(
            "GET",
            {VISITORS: LOGIN, SIGNED_IN: 404, OWNER: SHOWN},
            kwargs={"document_id": "folder_A"},
        ),
        P(
            "GET",
            {VISITORS: LOGIN, SIGNED_IN: 404, CITIZEN: SHOWN},
            kwargs={"document_id": "folder_T"},
        ),
        P("POST", {VISITORS: LOGIN, SIGNED_IN: 405}, kwargs={"document_id": "folder_A"}),
    ],
    "portal:my_document_remove": [
        P(
            "GET",
            {VISITORS: LOGIN, SIGNED_IN: 404, OWNER: SHOWN},
            kwargs={"document_id": "folder_A"},
            marker="folder_name_A",
        ),
        P(
            "POST",
            {VISITORS: LOGIN, SIGNED_IN: 404, OWNER: DONE},
            kwargs={"document_id": "folder_A"},
        ),
    ],
    # The electronic file of one's own case (its guest's too): index and ZIP.
    **{
        name: [
            P("GET", {VISITORS: LOGIN, SIGNED_IN: 404, OWNER: SHOWN}, kwargs=A),
            P("GET", {VISITORS: LOGIN, SIGNED_IN: 404, GUEST: SHOWN}, kwargs=G),
            P("POST", {BROWSER: 405}, kwargs=A),
        ]
        for name in ("portal:my_case_index_json", "portal:my_case_index_pdf", "portal:my_case_zip")
    },
    # Issued documents (the receipt, the answer): for whoever may see the person's documents,
    # not for whoever only tracks the status with the code.
    "portal:receipt": [
        P("GET", {BROWSER: 404, OWNER: REDIRECT}, kwargs=A),
        P("GET", {BROWSER: 404, GUEST: REDIRECT}, kwargs=G),
        P("POST", {BROWSER: 405}, kwargs=A),
    ],
    "portal:issued": [
        P("GET", {BROWSER: 404, OWNER: SHOWN}, kwargs={**A, "issued_id": "issued_A"}),
        P("GET", {BROWSER: 404, GUEST: SHOWN}, kwargs={**G, "issued_id": "issued_G"}),
        P(
            "GET",
            {BROWSER: 404},
            kwargs={**A, "issued_id": "issued_G"},
            note="G's receipt under A's number",
        ),
        P("POST", {BROWSER: 405}, kwargs={**A, "issued_id": "issued_A"}),
    ],
    # The emailed link is the key to a guest's case: whoever holds it gets in, nobody else.
    "portal:guest_access": [
        P("GET", {BROWSER: REDIRECT}, kwargs={**G, "token": "token_G"}, note="G's own link"),
        P("GET", {BROWSER: 404}, kwargs={**G, "token": "token_G2"}, note="another case's link"),
        P("GET", {BROWSER: 404}, kwargs={**A, "token": "token_A"}, note="A has an account"),
        P("POST", {BROWSER: 405}, kwargs={**G, "token": "token_G"}),
    ],
    "portal:guest_case": [
        P(method, {VISITORS: LOGIN, SIGNED_IN: 404, GUEST: SHOWN}, kwargs=G, marker="head_G")
        for method in ("GET", "POST")
    ],
    "portal:guest_case_answer": [
        P("GET", {BROWSER: 405}, kwargs=G),
        P(
            "POST",
            {VISITORS: LOGIN, SIGNED_IN: 404, GUEST: DONE},
            kwargs=G,
            data={"respuesta": "Adjunto el recibo."},
        ),
    ],
    "portal:guest_case_message": [
        P("GET", {BROWSER: 405}, kwargs=G),
        P(
            "POST",
            {VISITORS: LOGIN, SIGNED_IN: 404, GUEST: DONE},
            kwargs=G,
            data={"mensaje": "¿Recibieron el recibo?"},
        ),
    ],
    "portal:guest_case_withdraw": [
        P("GET", {BROWSER: 405}, kwargs=G),
        P(
            "POST",
            {VISITORS: LOGIN, SIGNED_IN: 404, GUEST: DONE},
            kwargs=G,
            data={"confirmar": "si"},
        ),
    ],
    # The family's school place, from its case page: the case's applicant or its guest act;
    # A and G are no applications, so their own people are told so and nothing changes.
    **{
        f"portal:my_case_place_{action}": [
            P("GET", {BROWSER: 405}, kwargs=A),
            P(
                "POST",
                {VISITORS: LOGIN, SIGNED_IN: 404, OWNER: REFUSED},
                kwargs=A,
                data={"confirmar": "si", "cupo": "1"},
                note="A is no school-place application",
            ),
        ]
        for action in ("accept", "decline", "formalise", "claim")
    },
    **{
        f"portal:guest_case_place_{action}": [
            P("GET", {BROWSER: 405}, kwargs=G),
            P(
                "POST",
                {VISITORS: LOGIN, SIGNED_IN: 404, GUEST: REFUSED},
                kwargs=G,
                data={"confirmar": "si", "cupo": "1"},
                note="G is no school-place application",
            ),
        ]
        for action in ("accept", "decline", "formalise", "claim")
    },
    # ---- The officials' workspace ----
    "workspace:inbox": [
        P(
            "GET",
            {**WORKSPACE, CASE_OFFICIALS: SHOWN, OUTSIDERS: HIDDEN},
            query={"pestana": "all"},
            marker="A",
        ),
        P(
            "GET",
            {**WORKSPACE, OFFICIALS: HIDDEN, OTHER_ENTITY: SHOWN},
            query={"pestana": "all"},
            marker="T",
            note="T now belongs to SG",
        ),
        P(
            "GET",
            {**WORKSPACE, OFFICIALS: HIDDEN, CASE_OFFICIALS: SHOWN},
            query={"pestana": "transferred"},
            marker="T",
            note="SED sent T away",
        ),
        P("POST", {**WORKSPACE, OFFICIALS: 405}),
    ],
    "workspace:turn_points": [
        P("GET", {**WORKSPACE, OFFICIALS: HIDDEN, DESK: SHOWN}, marker="point_name"),
        P("POST", {**WORKSPACE, OFFICIALS: 405}),
    ],
    "workspace:turn_desk": [
        P("GET", {**WORKSPACE, OFFICIALS: 403, DESK: SHOWN}, kwargs=POINT, marker="Turnista"),
        P("POST", {**WORKSPACE, OFFICIALS: 405}, kwargs=POINT),
    ],
    "workspace:turn_call": [
        P("GET", {**WORKSPACE, OFFICIALS: 405}, kwargs=POINT),
        P("POST", {**WORKSPACE, OFFICIALS: 403, DESK: DONE}, kwargs=POINT, data={"desk": "9"}),
    ],
    "workspace:turn_issue": [
        P("GET", {**WORKSPACE, OFFICIALS: 405}, kwargs=POINT),
        P("POST", {**WORKSPACE, OFFICIALS: 403, DESK: DONE}, kwargs=POINT, data={"queue": "queue"}),
    ],
    "workspace:turn_devices": [
        P("GET", {**WORKSPACE, OFFICIALS: 403, DESK: SHOWN}, kwargs=POINT, marker="device"),
        P("POST", {**WORKSPACE, OFFICIALS: 403, DESK: DONE}, kwargs=POINT),
    ],
    "workspace:turn_transfer": [
        P("GET", {**WORKSPACE, OFFICIALS: 405}, kwargs={**POINT, "ticket_id": "turn_called"}),
        P(
            "POST",
            {**WORKSPACE, OFFICIALS: 403, DESK: DONE},
            kwargs={**POINT, "ticket_id": "turn_called"},
            data={"queue": "other_queue"},
        ),
    ],
    "workspace:turn_act": [
        P(
            "GET",
            {**WORKSPACE, OFFICIALS: 405},
            kwargs={**POINT, "ticket_id": "turn_called", "action": "atender"},
        ),
        P(
            "POST",
            {**WORKSPACE, OFFICIALS: 403, DESK: DONE},
            kwargs={**POINT, "ticket_id": "turn_called", "action": "atender"},
        ),
        P(
            "POST",
            {**WORKSPACE, OFFICIALS: 403, DESK: 404},
            kwargs={**POINT, "ticket_id": "turn_called", "action": "volar"},
            note="an action desks do not have",
        ),
    ],
    "workspace:survey_results": [
        P(
            "GET",
            {
                **WORKSPACE,
                OFFICIALS: 403,
                (APPROVER, SUPERVISOR, OTHER_DEPENDENCY, OTHER_ENTITY): 200,
            },
        ),
        P("POST", {**WORKSPACE, OFFICIALS: 405}),
    ],
    "workspace:team": [
        P("GET", {**WORKSPACE, OFFICIALS: 403, (SUPERVISOR, OTHER_DEPENDENCY, OTHER_ENTITY): 200}),
        P("POST", {**WORKSPACE, OFFICIALS: 405}),
    ],
    "workspace:dashboard": [
        P(
            "GET",
            {**WORKSPACE, OFFICIALS: 403, (SUPERVISOR, OTHER_DEPENDENCY, OTHER_ENTITY): 200},
            note="supervisors and administrators read the figures of their own subtrees",
        ),
        P("POST", {**WORKSPACE, OFFICIALS: 405}),
    ],
    # The legal PQRSD report: a supervisor's or administrator's role on a whole entity (a
    # top-level dependency); a sibling's supervisor, approvers and staff without a role get 403.
    "workspace:report_pqrsd": [
        P("GET", {**WORKSPACE, OFFICIALS: 403, (SUPERVISOR, OTHER_ENTITY): 200}),
        P(
            "GET",
            {**WORKSPACE, OFFICIALS: 403, (SUPERVISOR, OTHER_ENTITY): 200},
            query={"periodo": "month", "formato": "csv"},
            note="the CSV download of the caller's first entity",
        ),
        P("POST", {**WORKSPACE, OFFICIALS: 405}),
    ],
    "workspace:case": [
        P("GET", {**WORKSPACE, CASE_OFFICIALS: SHOWN, OUTSIDERS: 404}, kwargs=A, marker="name_A"),
        P(
            "GET",
            {**WORKSPACE, OFFICIALS: 404, CASE_OFFICIALS: SHOWN, OTHER_ENTITY: SHOWN},
            kwargs=T,
            marker="name_T",
            note="SED still reads the case it sent to SG",
        ),
        P("POST", {**WORKSPACE, OFFICIALS: 405}, kwargs=A),
    ],
    "workspace:case_action": [
        P("GET", {**WORKSPACE, OFFICIALS: 405}, kwargs={**A, "action": "pasar_asignacion"}),
        P(
            "POST",
            {**WORKSPACE, ACTORS: DONE, VIEWER: REFUSED, OUTSIDERS: 404},
            kwargs={**A, "action": "pasar_asignacion"},
            note="a handler's action",
        ),
        P(
            "POST",
            {**WORKSPACE, (APPROVER, SUPERVISOR): DONE, (HANDLER, VIEWER): REFUSED, OUTSIDERS: 404},
            kwargs={**A, "action": "negar"},
            data={"comentario": "No hay cupos en la localidad."},
            note="an approver's action",
        ),
        P(
            "POST",
            {**WORKSPACE, OFFICIALS: 404, CASE_OFFICIALS: 403, OTHER_ENTITY: DONE},
            kwargs={**T, "action": "iniciar_revision"},
            note="only SG acts on T now",
        ),
    ],
    "workspace:case_assign": [
        P("GET", {**WORKSPACE, OFFICIALS: 405}, kwargs=A),
        P(
            "POST",
            {**WORKSPACE, ACTORS: DONE, VIEWER: REFUSED, OUTSIDERS: 404},
            kwargs=A,
            data={"a": "mi"},
            note="claim it",
        ),
        P(
            "POST",
            {**WORKSPACE, ACTORS: DONE, VIEWER: REFUSED, OUTSIDERS: 404},
            kwargs=A,
            data={"a": "user_handler"},
            note="give it to the handler",
        ),
        P(
            "POST",
            {**WORKSPACE, CASE_OFFICIALS: REFUSED, OUTSIDERS: 404},
            kwargs=A,
            data={"a": "user_other_dependency"},
            note="give it to an official of another dependency",
        ),
        P(
            "POST",
            {**WORKSPACE, OFFICIALS: 404, CASE_OFFICIALS: REFUSED, OTHER_ENTITY: DONE},
            kwargs=T,
            data={"a": "mi"},
        ),
    ],
    "workspace:case_note": [
        P("GET", {**WORKSPACE, OFFICIALS: 405}, kwargs=A),
        # An internal note is a viewer's to write too: it does not touch the case.
        P(
            "POST",
            {**WORKSPACE, CASE_OFFICIALS: DONE, OUTSIDERS: 404},
            kwargs=A,
            data={"nota": "Revisar anexos."},
        ),
        P(
            "POST",
            {**WORKSPACE, OFFICIALS: 404, CASE_OFFICIALS: REFUSED, OTHER_ENTITY: DONE},
            kwargs=T,
            data={"nota": "Revisar anexos."},
        ),
    ],
    "workspace:case_message": [
        P("GET", {**WORKSPACE, OFFICIALS: 405}, kwargs=A),
        P(
            "POST",
            {**WORKSPACE, ACTORS: DONE, VIEWER: REFUSED, OUTSIDERS: 404},
            kwargs=A,
            data={"mensaje": "Estamos revisando."},
        ),
        P(
            "POST",
            {**WORKSPACE, OFFICIALS: 404, CASE_OFFICIALS: REFUSED, OTHER_ENTITY: DONE},
            kwargs=T,
            data={"mensaje": "Estamos revisando."},
        ),
    ],
    "workspace:case_draft": [
        P("GET", {**WORKSPACE, OFFICIALS: 405}, kwargs=A),
        P(
            "POST",
            {**WORKSPACE, ACTORS: DONE, VIEWER: REFUSED, OUTSIDERS: 404},
            kwargs=A,
            data={"respuesta": "Se asigna cupo."},
        ),
        P(
            "POST",
            {**WORKSPACE, OFFICIALS: 404, CASE_OFFICIALS: REFUSED, OTHER_ENTITY: DONE},
            kwargs=T,
            data={"respuesta": "Se asigna cupo."},
        ),
    ],
    "workspace:receipt": [
        P("GET", {**WORKSPACE, CASE_OFFICIALS: REDIRECT, OUTSIDERS: 404}, kwargs=A),
        P("POST", {**WORKSPACE, OFFICIALS: 405}, kwargs=A),
    ],
    "workspace:issued": [
        P(
            "GET",
            {**WORKSPACE, CASE_OFFICIALS: SHOWN, OUTSIDERS: 404},
            kwargs={**A, "issued_id": "issued_A"},
        ),
        P(
            "GET",
            {**WORKSPACE, OFFICIALS: 404},
            kwargs={**A, "issued_id": "issued_G"},
            note="G's receipt under A's number",
        ),
        P("POST", {**WORKSPACE, OFFICIALS: 405}, kwargs={**A, "issued_id": "issued_A"}),
    ],
    "workspace:case_document": [
        P(
            "GET",
            {**WORKSPACE, CASE_OFFICIALS: SHOWN, OUTSIDERS: 404},
            kwargs={**A, "document_id": "doc_A"},
        ),
        P(
            "GET",
            {**WORKSPACE, OFFICIALS: 404},
            kwargs={**A, "document_id": "doc_G"},
            note="G's document under A's number",
        ),
        P(
            "GET",
            {**WORKSPACE, OFFICIALS: 404, CASE_OFFICIALS: SHOWN, OTHER_ENTITY: SHOWN},
            kwargs={**T, "document_id": "doc_T"},
        ),
        P("POST", {**WORKSPACE, OFFICIALS: 405}, kwargs={**A, "document_id": "doc_A"}),
    ],
    # The electronic file, with every document, for the officials who may read the case.
    **{
        name: [
            P("GET", {**WORKSPACE, CASE_OFFICIALS: SHOWN, OUTSIDERS: 404}, kwargs=A),
            P(
                "GET",
                {**WORKSPACE, OFFICIALS: 404, CASE_OFFICIALS: SHOWN, OTHER_ENTITY: SHOWN},
                kwargs=T,
            ),
            P("POST", {**WORKSPACE, OFFICIALS: 405}, kwargs=A),
        ]
        for name in ("workspace:case_index_json", "workspace:case_index_pdf", "workspace:case_zip")
    },
    # Assisted filing: the services an official's entities offer at the counter.
    # A point's agenda: for a handler or above on the point's dependency.
    "workspace:agenda_points": [
        P("GET", {**WORKSPACE, OFFICIALS: HIDDEN, ACTORS: REDIRECT}, marker="Sede central"),
        P("POST", {**WORKSPACE, OFFICIALS: 405}),
    ],
    "workspace:agenda": [
        P(
            "GET",
            {**WORKSPACE, OFFICIALS: 403, ACTORS: SHOWN},
            kwargs=PT,
            query={"dia": "booking_day_A"},
            marker="booking_name_A",
        ),
        P("POST", {**WORKSPACE, OFFICIALS: 405}, kwargs=PT),
    ],
    "workspace:agenda_book": [
        P(method, {**WORKSPACE, OFFICIALS: 403, ACTORS: SHOWN}, kwargs=PT)
        for method in ("GET", "POST")
    ],
    "workspace:agenda_check_in": [
        P("GET", {**WORKSPACE, OFFICIALS: 405}, kwargs=BK),
        P(
            "POST",
            {**WORKSPACE, OFFICIALS: 403, ACTORS: DONE},
            kwargs=BK,
            data={"documento": "booking_doc_A"},
        ),
    ],
    "workspace:agenda_no_show": [
        P("GET", {**WORKSPACE, OFFICIALS: 405}, kwargs=BK),
        P(
            "POST",
            {**WORKSPACE, OFFICIALS: 403, ACTORS: REDIRECT},
            kwargs=BK,
            note="the time has not come: refused with a message, nothing changes",
        ),
    ],
    "workspace:assisted_start": [
        P(
            method,
            {**WORKSPACE, OFFICIALS: SHOWN, (OTHER_ENTITY, STAFF, VIEWER): HIDDEN},
            marker="slug",
        )
        for method in ("GET", "POST")
    ],
    # A handler or above files only for their own entity's services (the other entity's
    # official, staff without a role and a viewer, whose role only reads, get a 404).
    "workspace:assisted_file": [
        P(
            "GET",
            {**WORKSPACE, OFFICIALS: SHOWN, (OTHER_ENTITY, STAFF, VIEWER): DENIED},
            kwargs=SLUG,
        ),
        P(
            "POST",
            {**WORKSPACE, OFFICIALS: DONE, (OTHER_ENTITY, STAFF, VIEWER): UNCHANGED},
            kwargs=SLUG,
            data=ASSISTED_FILING,
        ),
    ],
    # School places: the coverage office's pages, for any role on the office that owns the
    # season's service (A's office, or above it); evidence is a handler's to review, the
    # allocation an approver's to run; everybody else is told nothing exists (404).
    "workspace:places_seasons": [
        P("GET", {**WORKSPACE, OFFICIALS: HIDDEN, CASE_OFFICIALS: SHOWN}, marker="season_name"),
        P("POST", {**WORKSPACE, OFFICIALS: 405}),
    ],
    "workspace:places_season": [
        P(
            "GET",
            {**WORKSPACE, OUTSIDERS: 404, CASE_OFFICIALS: SHOWN},
            kwargs=SEASON,
            marker="season_name",
        ),
        P("GET", {**WORKSPACE, OFFICIALS: 404}, kwargs={"code": "no-existe"}),
        P("POST", {**WORKSPACE, OFFICIALS: 405}, kwargs=SEASON),
    ],
    "workspace:places_run_start": [
        P("GET", {**WORKSPACE, OFFICIALS: 405}, kwargs=SEASON),
        # A dry run writes only its own record, which the fingerprint counts.
        P(
            "POST",
            {**WORKSPACE, OUTSIDERS: 404, (HANDLER, VIEWER): 403, RUNNERS: DONE},
            kwargs=SEASON,
            data={"tipo": "ensayo"},
        ),
        P(
            "POST",
            {**WORKSPACE, OUTSIDERS: 404, (HANDLER, VIEWER): 403, RUNNERS: REDIRECT},
            kwargs=SEASON,
            data={"tipo": "real", "confirmo": "si"},
            note="the real run during stage 1: refused with the reason",
        ),
    ],
    "workspace:places_run": [
        P(
            "GET",
            {**WORKSPACE, OUTSIDERS: 404, CASE_OFFICIALS: SHOWN},
            kwargs=RUN,
            marker="run_inputs_sha",
        ),
        P("GET", {**WORKSPACE, OFFICIALS: 404}, kwargs={**SEASON, "number": "99"}),
        P("POST", {**WORKSPACE, OFFICIALS: 405}, kwargs=RUN),
    ],
    **{
        name: [
            P("GET", {**WORKSPACE, OUTSIDERS: 404, CASE_OFFICIALS: SHOWN}, kwargs=RUN),
            P("POST", {**WORKSPACE, OFFICIALS: 405}, kwargs=RUN),
        ]
        for name in ("workspace:places_run_inputs", "workspace:places_run_outputs")
    },
    "workspace:places_evidence": [
        P(
            "GET",
            {**WORKSPACE, OUTSIDERS: 404, CASE_OFFICIALS: SHOWN},
            kwargs=SEASON,
            marker="place_case",
        ),
        P("POST", {**WORKSPACE, OFFICIALS: 405}, kwargs=SEASON),
    ],
    "workspace:places_evidence_review": [
        P("GET", {**WORKSPACE, OFFICIALS: 405}, kwargs=REVIEW),
        P(
            "POST",
            {**WORKSPACE, OUTSIDERS: 404, VIEWER: 403, ACTORS: DONE},
            kwargs=REVIEW,
            data={"decision": "rechazar", "motivo": "El certificado está vencido."},
        ),
        P(
            "POST",
            {**WORKSPACE, OUTSIDERS: 404, VIEWER: 403, ACTORS: REDIRECT},
            kwargs=REVIEW,
            data={"decision": "rechazar", "motivo": ""},
            note="a rejection without a reason: refused with a message, nothing changes",
        ),
    ],
    "workspace:places_releases": [
        P(
            "GET",
            {**WORKSPACE, OUTSIDERS: 404, CASE_OFFICIALS: SHOWN},
            kwargs=SEASON,
            marker="season_name",
        ),
        P("POST", {**WORKSPACE, OFFICIALS: 405}, kwargs=SEASON),
    ],
    # ---- The API (methods not listed must answer 405) ----
    # The API's description and its browsable docs: public, whatever the method.
    "api:openapi-json": [P("GET", {API_CALLERS: 200}), P("POST", {API_CALLERS: 200})],
    "api:openapi-view": [P("GET", {API_CALLERS: 200}), P("POST", {API_CALLERS: 200})],
    # Only there for django-ninja to reverse its own URLs.
    "api:api-root": [P("GET", {API_CALLERS: 404}), P("POST", {API_CALLERS: 404})],
    "api:list_services": [P("GET", {API_CALLERS: SHOWN}, marker="slug")],
    "api:get_service": [P("GET", {API_CALLERS: SHOWN}, kwargs=SLUG, marker="slug")],
    # Public: the schools and offices that offer a service, as on its portal page.
    "api:list_service_points": [P("GET", {API_CALLERS: SHOWN}, kwargs=SLUG)],
    "api:file_case": [
        P(
            "POST",
            {API_CALLERS: 401, (OWNER_TOKEN, CITIZEN_TOKEN, CHANNEL_TOKEN): 201},
            data=API_FILING,
            json=True,
        )
    ],
    "api:track_case": [
        P(
            "GET",
            {API_CALLERS: SHOWN},
            kwargs={"filing_number": "A"},
            query={"code": "code_A"},
            marker="head_A",
        ),
        P(
            "GET",
            {API_CALLERS: 404},
            kwargs={"filing_number": "A"},
            query={"code": "code_G"},
            note="another case's code",
        ),
    ],
    # Public, like tracking: a code nobody was given finds nothing, for anybody.
    "api:verify": [
        P("POST", {API_CALLERS: 200}, data={"code": "0000-0000-0000"}, json=True),
    ],
    # Appointments: finding points and free times is public; booking takes any active token;
    # a booking is read or cancelled with a token and its holder's ID number, and a wrong
    # number is the same 404 as an unknown code.
    # School places: seasons, their rules, figures and places are public, like the catalogue.
    "api:seasons": [P("GET", {API_CALLERS: SHOWN}, marker="season")],
    "api:season_detail": [
        P("GET", {API_CALLERS: SHOWN}, kwargs={"code": "season"}, marker="season"),
        P("GET", {API_CALLERS: 404}, kwargs={"code": "1999"}),
    ],
    "api:offers": [
        P(
            "GET",
            {API_CALLERS: SHOWN},
            kwargs={"code": "season"},
            query={"grade": "primero"},
            marker="season_offer",
        )
    ],
    "api:search_service_points": [
        P("GET", {API_CALLERS: SHOWN}, query={"service": "slug"}, marker="api_point_code")
    ],
    "api:list_slots": [
        P(
            "GET",
            {API_CALLERS: SHOWN},
            kwargs={"point_id": "api_point_id"},
            query={"service": "slug"},
            marker="free",
        )
    ],
    "api:create_booking": [
        P(
            "POST",
            {API_CALLERS: 401, (OWNER_TOKEN, CITIZEN_TOKEN, CHANNEL_TOKEN): 201},
            data=API_BOOKING,
            json=True,
        )
    ],
    "api:booking": BOOKING_PROBES,
    "api:my_cases": [
        P(
            "GET",
            {API_CALLERS: 401, OWNER_TOKEN: SHOWN, CITIZEN_TOKEN: HIDDEN, CHANNEL_TOKEN: 403},
            marker="A",
        )
    ],
    "api:my_case": [
        P(
            "GET",
            {API_CALLERS: 401, OWNER_TOKEN: SHOWN, CITIZEN_TOKEN: 404, CHANNEL_TOKEN: 403},
            kwargs={"filing_number": "A"},
            marker="head_A",
        ),
        P(
            "GET",
            {API_CALLERS: 401, CITIZEN_TOKEN: SHOWN, OWNER_TOKEN: 404, CHANNEL_TOKEN: 403},
            kwargs={"filing_number": "T"},
            marker="head_T",
            note="another citizen's case, sent to SG",
        ),
    ],
}

ROUTES = all_routes()
ADMIN = [route for route in ROUTES if route.namespace == "admin"]
OTHERS = [route for route in ROUTES if route.namespace != "admin"]
API_METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def audience(route: Route) -> tuple[str, ...]:
    if route.namespace == "api":
        return API_CALLERS
    if route.namespace in ("portal", "workspace"):
        return BROWSER
    return ACCOUNT_CALLERS


def _check(world: World, route: Route, probe: Probe, caller: str) -> str | None:
    expected = probe.outcomes()[caller]
    answer = call(world, caller, probe.method, url_of(route, probe, world), probe)
    marker = world.ref(probe.marker) if probe.marker else None
    problem = mismatch(expected, answer, marker)
    return f"{probe.label(route)} as {caller}: {problem}" if problem else None


@pytest.mark.parametrize("route", OTHERS, ids=[route.key for route in OTHERS])
def test_every_caller_gets_what_the_table_says(world: World, route: Route) -> None:
    probes = EXPECTATIONS.get(route.key)
    if probes is None:
        pytest.fail(route_help(route))
    methods = {probe.method for probe in probes}
    if route.namespace != "api" and not {"GET", "POST"} <= methods:
        pytest.fail(f"{route.key}: the table must say what GET and POST get (it has {methods})")
    callers = audience(route)
    problems = []
    for probe in probes:
        outcomes = probe.outcomes()
        missing = [c for c in callers if c not in outcomes]
        extra = [c for c in outcomes if c not in callers]
        if missing or extra:
            problems.append(f"{probe.label(route)}: no outcome for {missing}, unknown {extra}")
            continue
        for caller in callers:
            problem = _check(world, route, probe, caller)
            if problem:
                problems.append(problem)
    assert not problems, "\n".join(["", *problems])


API_ROUTES = [route for route in OTHERS if route.namespace == "api"]
# The API's operations (django-ninja dispatches each path by method), not its docs pages.
OPERATIONS = [route for route in API_ROUTES if route.view.startswith("ninja.operation.")]


@pytest.mark.parametrize("route", OPERATIONS, ids=[route.key for route in OPERATIONS])
def test_an_api_route_answers_no_method_the_table_does_not_list(world: World, route: Route) -> None:
    listed = {probe.method for probe in EXPECTATIONS.get(route.key, [])}
    probe = next(iter(EXPECTATIONS.get(route.key, [])), None)
    if probe is None:
        pytest.fail(route_help(route))
    problems = []
    for method in API_METHODS:
        if method in listed:
            continue
        for caller in (ANONYMOUS, OWNER, OWNER_TOKEN, CHANNEL_TOKEN):
            answer = call(world, caller, method, url_of(route, probe, world))
            if answer.status != 405:
                problems.append(f"{method} {route.key} as {caller}: {answer.status}, not 405")
    assert not problems, "\n".join(["", *problems])


def test_every_operation_of_the_api_document_is_in_the_table() -> None:
    """The OpenAPI document and the resolver agree: each documented operation is probed."""
    probed = {
        (probe.method, re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", "/" + route.pattern))
        for route in API_ROUTES
        for probe in EXPECTATIONS.get(route.key, [])
    }
    documented = {
        (method.upper(), path)
        for path, operations in api.get_openapi_schema()["paths"].items()
        for method in operations
    }
    assert documented <= probed, f"not in the table: {sorted(documented - probed)}"


def test_the_table_names_only_routes_that_exist() -> None:
    stale = set(EXPECTATIONS) - {route.key for route in OTHERS}
    assert not stale, f"EXPECTATIONS names routes that no longer exist: {sorted(stale)}"


# ---- The admin: staff with two-factor authentication only, whatever the page ----

ADMIN_EXPECTED: dict[str, Expected] = {
    ANONYMOUS: ADMIN_LOGIN,
    HANDLER: ADMIN_LOGIN,  # an official with two-factor authentication, but not staff
    STAFF_NO_MFA: MFA,
}
# The admin's sign-in page is allauth's: strangers are sent there, the signed-in turned away.
ADMIN_EXCEPTIONS: dict[str, dict[str, Expected]] = {
    "admin:login": {ANONYMOUS: LOGIN, HANDLER: 403, STAFF_NO_MFA: MFA},
    # Strangers at the admin's sign-out page are sent to its index (which asks them to sign in).
    "admin:logout": {ANONYMOUS: REDIRECT, HANDLER: REDIRECT, STAFF_NO_MFA: MFA},
}


@pytest.mark.parametrize("caller", ADMIN_CALLERS)
def test_the_admin_is_for_staff_with_two_factor_authentication(world: World, caller: str) -> None:
    problems = []
    for route in ADMIN:
        url = route_url(route, {})
        expected = ADMIN_EXCEPTIONS.get(route.key, ADMIN_EXPECTED)[caller]
        # The door is the same for every method: one stranger knocks with POST too.
        for method in ("GET", "POST") if caller == ANONYMOUS else ("GET",):
            problem = mismatch(expected, call(world, caller, method, url), None)
            if problem:
                problems.append(f"{method} {route.key} as {caller}: {problem}")
    assert not problems, "\n".join(["", *problems])


def test_staff_with_two_factor_authentication_get_in(world: World) -> None:
    """Past the door, what staff may do is the admin's model permissions (none given here)."""
    assert call(world, STAFF, "GET", reverse("admin:index")).status == 200
    assert call(world, STAFF, "GET", reverse("admin:cases_case_changelist")).status == 403


def test_the_world_has_what_the_table_assumes(world: World) -> None:
    """The table's assumptions about the world, so that a changed fixture cannot quietly make
    rows mean something else."""
    cases = world.cases
    assert cases["A"].stage == "revision" and cases["A"].assignee_id is None
    assert cases["A"].dependency.code == "DIR-COBERTURA"
    assert cases["G"].is_paused and cases["G"].applicant_id is None
    assert (cases["T"].entity.code, cases["T"].stage) == ("SG", "recibida")
    assert CompetenceTransfer.objects.get(case=cases["T"]).from_dependency.code == "DIR-COBERTURA"
    former = world.users[FORMER_OFFICIAL]
    assert Membership.objects.filter(user_id=former).exists()
    assert not Membership.objects.filter(user_id=former, active=True).exists()
