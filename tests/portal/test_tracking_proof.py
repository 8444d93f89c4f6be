"""Proving a filing number and its code writes nothing to the database for a visitor with no
session: the proof is a signed cookie that ends with the browser. It opens only the cases it
names, cannot be forged or stretched to other cases, and a signed-in visitor's proof stays in
the session, forgotten on signing out."""

from __future__ import annotations

from typing import Any

import pytest
from django.contrib.sessions.models import Session
from django.core import signing
from django.db import connection
from django.http import HttpRequest
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests import factories
from tests.cases.test_case_file import file_one
from ventanilla.cases.models import Case
from ventanilla.catalog.models import Service
from ventanilla.portal.tracked import COOKIE, KEPT, SALT

pytestmark = pytest.mark.django_db


@pytest.fixture
def filed(reference_service: Service) -> list[tuple[Case, str]]:
    return [(f.case, f.verification_code) for f in (file_one(reference_service) for _ in range(2))]


def track(client: Client, case: Case, code: str) -> Any:
    return client.post("/seguimiento/", {"filing_number": case.filing_number, "code": code})


def status(client: Client, case: Case) -> int:
    return client.get(f"/seguimiento/{case.filing_number}/").status_code


def test_a_visitor_without_a_session_proves_a_code_with_one_read_and_no_write(
    filed: list[tuple[Case, str]],
) -> None:
    (case, code), (other, _code) = filed
    visitor = Client()
    track(Client(), other, "AAAAA-AAAAA")  # a first request reads what every process keeps
    sessions = Session.objects.count()
    with CaptureQueriesContext(connection) as queries:
        response = track(visitor, case, code)
    assert response.status_code == 302
    assert [q["sql"].split()[0] for q in queries.captured_queries] == ["SELECT"], [
        q["sql"][:90] for q in queries.captured_queries
    ]
    assert Session.objects.count() == sessions and "sessionid" not in response.cookies
    proof = response.cookies[COOKIE]
    # Ends with the browser; out of reach of scripts; not sent from other sites' forms.
    assert proof["expires"] == "" and proof["max-age"] == ""
    assert proof["httponly"] and proof["samesite"] == "Lax" and proof["path"] == "/"
    assert case.filing_number not in proof.value and code not in proof.value
    # The status opens in this browser, the other case does not, and nothing opens elsewhere.
    assert status(visitor, case) == 200
    assert status(visitor, other) == 404
    assert status(Client(), case) == 404


def test_a_forged_or_altered_proof_opens_nothing(filed: list[tuple[Case, str]]) -> None:
    (case, code), (other, _code) = filed
    visitor = Client()
    track(visitor, case, code)
    signed = visitor.cookies[COOKIE].value
    visitor.cookies[COOKIE] = signed.replace(str(case.pk), str(other.pk), 1)
    assert status(visitor, other) == 404
    assert status(visitor, case) == 404  # the altered cookie proves nothing at all
    visitor.cookies[COOKIE] = f"{other.pk}"  # unsigned
    assert status(visitor, other) == 404
    visitor.cookies[COOKIE] = signing.get_cookie_signer(salt="another").sign(str(other.pk))
    assert status(visitor, other) == 404


def test_a_wrong_code_sets_no_proof(filed: list[tuple[Case, str]]) -> None:
    (case, _code), _other = filed
    visitor = Client()
    response = track(visitor, case, "AAAAA-AAAAA")
    assert response.status_code == 200 and COOKIE not in response.cookies
    assert status(visitor, case) == 404


def test_the_proof_keeps_several_cases_and_only_the_latest_few(
    filed: list[tuple[Case, str]], reference_service: Service
) -> None:
    (first, first_code), (second, second_code) = filed
    visitor = Client()
    track(visitor, first, first_code)
    track(visitor, second, second_code)
    assert status(visitor, first) == 200 and status(visitor, second) == 200
    more = [file_one(reference_service) for _ in range(KEPT)]
    for filing in more:
        track(visitor, filing.case, filing.verification_code)
    browser = HttpRequest()
    browser.COOKIES[COOKIE] = visitor.cookies[COOKIE].value
    kept = browser.get_signed_cookie(COOKIE, salt=SALT)
    assert len(kept.split(".")) == KEPT
    assert status(visitor, more[-1].case) == 200
    assert status(visitor, first) == 404  # the oldest fell out


def test_a_signed_in_visitors_proof_stays_in_the_session_and_ends_on_signing_out(
    filed: list[tuple[Case, str]],
) -> None:
    (case, code), _other = filed
    citizen = factories.user("lucia@example.co")
    visitor = Client()
    visitor.force_login(citizen)
    response = track(visitor, case, code)
    assert response.status_code == 302 and COOKIE not in response.cookies
    assert status(visitor, case) == 200
    visitor.post(reverse("account_logout"))
    assert status(visitor, case) == 404
