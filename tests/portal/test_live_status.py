"""The case's status updates itself: the page polls with the route it shows, and gets nothing
back until the route changes."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from tests import factories
from tests.cases.test_case_file import file_one
from ventanilla.cases.services import case_transition
from ventanilla.cases.workflow import Actor
from ventanilla.catalog.models import Service
from ventanilla.core import clock
from ventanilla.organization.models import Dependency, Role

pytestmark = pytest.mark.django_db
BOGOTA = ZoneInfo("America/Bogota")


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(hour=10, tzinfo=BOGOTA)


def test_the_live_status_answers_204_while_nothing_changed_and_the_new_status_after(
    reference_service: Service,
) -> None:
    handler = factories.official(Dependency.objects.get(code="DIR-COBERTURA"), Role.HANDLER)
    with clock.frozen(at("2026-03-02")):
        filing = file_one(reference_service)
    number = filing.case.filing_number
    visitor = Client()
    visitor.post("/seguimiento/", {"filing_number": number, "code": filing.verification_code})
    page = visitor.get(f"/seguimiento/{number}/").content.decode()
    shown = re.search(r'"huella": "([0-9a-f]{64})"', page)
    assert shown, "the page tells the poll which route it shows"
    poll = {"HTTP_HX_REQUEST": "true"}
    quiet = visitor.get(f"/seguimiento/{number}/", {"huella": shown.group(1)}, **poll)
    assert quiet.status_code == 204 and quiet.content == b""
    with clock.frozen(at("2026-03-03")):
        case_transition(case=filing.case, action="iniciar_revision", actor=handler)
    fresh = visitor.get(f"/seguimiento/{number}/", {"huella": shown.group(1)}, **poll)
    html = fresh.content.decode()
    assert fresh.status_code == 200 and 'id="case-status"' in html
    assert "Estamos revisando su solicitud" in html and "<footer" not in html  # the part only


def test_a_closed_case_stops_asking(reference_service: Service) -> None:
    with clock.frozen(at("2026-03-02")):
        filing = file_one(reference_service)
    visitor = Client()
    number = filing.case.filing_number
    visitor.post("/seguimiento/", {"filing_number": number, "code": filing.verification_code})
    assert "hx-trigger" in visitor.get(f"/seguimiento/{number}/").content.decode()
    with clock.frozen(at("2026-03-03")):
        case_transition(case=filing.case, action="desistir", actor=None, as_actor=Actor.GUEST)
    page = visitor.get(f"/seguimiento/{number}/").content.decode()
    assert "hx-trigger" not in page and "se actualiza sola" not in page
