"""The supervisors' dashboard (/espacio/cifras/): who reads which scope, and the figures of a
small set of cases moved through the real services, written by hand."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from tests import factories
from tests.cases.test_case_file import file_one
from tests.catalog.fixtures import organisation, reference_service  # noqa: F401
from ventanilla.cases.models import Case
from ventanilla.cases.services import TransitionInput, case_transition
from ventanilla.cases.upkeep import cases_refresh_sla
from ventanilla.cases.workflow import Actor
from ventanilla.catalog.models import Service
from ventanilla.core import clock
from ventanilla.insights.refresh import figures_refresh
from ventanilla.organization.models import Dependency, Role

BOGOTA = ZoneInfo("America/Bogota")
TODAY = datetime(2026, 4, 6, 9, tzinfo=BOGOTA)  # a Monday
PERIOD = "?desde=2026-03&hasta=2026-04"


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(hour=10, tzinfo=BOGOTA)


def act(case: Case, action: str, who: Any, day: str, **payload: Any) -> Case:
    with clock.frozen(at(day)):
        return case_transition(
            case=case, action=action, actor=who, payload=TransitionInput(**payload)
        )


@pytest.fixture
def people(reference_service: Service) -> dict[str, Any]:  # noqa: F811
    coverage = Dependency.objects.get(code="DIR-COBERTURA")
    local = Dependency.objects.get(code="DLE-08")
    people: dict[str, Any] = {
        "handler": factories.official(coverage, Role.HANDLER, first_name="Hugo"),
        "approver": factories.official(coverage, Role.APPROVER, first_name="Ana"),
        "supervisor": factories.official(coverage.parent, Role.SUPERVISOR, first_name="Sara"),
        "local": factories.official(local, Role.SUPERVISOR, first_name="Luis"),
    }
    for person in people.values():
        factories.enrol_totp(person)
    return {**people, "coverage": coverage, "office": local}


@pytest.fixture
def cases(reference_service: Service, people: dict[str, Any]) -> dict[str, Case]:  # noqa: F811
    """Four school-place requests filed on Monday 2 March 2026 (due 24 March):
    A extended, answered on 5 March (3 business days, on time);
    B paused 4 business days for information (due 30 March), answered on 1 April (21 business
      days less 4: 17, late);
    C under review by Hugo, open and overdue;
    D transferred to the local office DLE-08 and left there, open and overdue."""
    citizen = factories.user("ana@example.co")
    with clock.frozen(at("2026-03-02")):
        a, b, c, d = (
            file_one(reference_service, filer_kind="citizen", applicant=citizen, contact=None).case
            for _ in range(4)
        )
    handler, approver = people["handler"], people["approver"]
    a = act(a, "iniciar_revision", handler, "2026-03-03")
    extension = {"comment": "Volumen.", "new_due_date": date(2026, 4, 14)}
    a = act(a, "prorrogar", handler, "2026-03-03", **extension)
    a = act(a, "pasar_asignacion", handler, "2026-03-04")
    act(a, "asignar_cupo", approver, "2026-03-05", comment="Cupo asignado.")
    b = act(b, "iniciar_revision", handler, "2026-03-03")
    b = act(b, "pedir_informacion", handler, "2026-03-04", comment="Registro civil.")
    with clock.frozen(at("2026-03-10")):
        b = case_transition(
            case=b,
            action="responder_informacion",
            actor=citizen,
            as_actor=Actor.CITIZEN,
            payload=TransitionInput(comment="Aquí está."),
        )
    b = act(b, "pasar_asignacion", handler, "2026-03-11")
    act(b, "asignar_cupo", approver, "2026-04-01", comment="Cupo asignado.")
    act(c, "iniciar_revision", handler, "2026-03-03")
    act(
        d,
        "trasladar",
        handler,
        "2026-03-03",
        comment="Es local.",
        target_dependency=people["office"],
    )
    with clock.frozen(TODAY):
        cases_refresh_sla()
        figures_refresh()
    return {"a": a, "b": b, "c": c, "d": d}


def page(who: Any, query: str = PERIOD) -> tuple[int, str]:
    client = Client()
    client.force_login(who)
    with clock.frozen(TODAY):
        response = client.get(f"/espacio/cifras/{query}")
    return response.status_code, response.content.decode()


def figure(html: str, name: str) -> str:
    found = re.search(rf"<dt>{re.escape(name)}</dt><dd>([^<]*)</dd>", html)
    assert found, name
    return found.group(1)


def test_the_head_office_supervisor_reads_the_whole_entity_figures_written_by_hand(
    cases: dict[str, Case], people: dict[str, Any]
) -> None:
    status, html = page(people["supervisor"])
    assert status == 200
    assert [figure(html, n) for n in ("Recibidas", "Respondidas", "Fuera de término")] == [
        "4",
        "2",
        "1",
    ]
    assert figure(html, "Respondidas a tiempo") == "50\u00a0%"
    assert figure(html, "Tiempo promedio de respuesta") == "10 días hábiles"  # (3 + 17) / 2
    assert figure(html, "9 de cada 10 respuestas en") == "17 días hábiles"
    assert figure(html, "Vencidas") == "2" and figure(html, "Por vencer") == "0"
    assert figure(html, "Cerradas con solicitud de información") == "1"
    assert figure(html, "Días que sumó en promedio") == "4 días hábiles"
    assert figure(html, "Con prórroga") == "1"
    assert "Cifras actualizadas el" in html
    # Workload: Hugo holds C (13 days past 24 March); D arrived at the local office unassigned.
    assert re.search(
        r'<th scope="row">Hugo[^<]*</th><td class="num">1</td>'
        r'<td class="num">1</td><td class="num">13</td>',
        html,
    )
    assert re.search(
        r'<th scope="row">Sin asignar</th><td class="num">1</td>'
        r'<td class="num">1</td><td class="num">13</td>',
        html,
    )
    # The monthly chart of answers: March one on time, April one late.
    assert '<th scope="row">Mar 2026</th><td class="num">1</td><td class="num">0</td>' in html
    assert '<th scope="row">Abr</th><td class="num">0</td><td class="num">1</td>' in html
    assert 'role="img"' in html and "Toda la entidad" in html


def test_a_local_office_supervisor_reads_only_their_subtree_whatever_they_ask(
    cases: dict[str, Case], people: dict[str, Any]
) -> None:
    status, html = page(people["local"])
    assert status == 200 and figure(html, "Recibidas") == "1"  # D only
    assert figure(html, "Vencidas") == "1" and "Toda la entidad" not in html
    other = people["coverage"].pk
    status, asked = page(people["local"], f"{PERIOD}&dependencia={other}")
    assert status == 200 and figure(asked, "Recibidas") == "1"
    assert "Dependencia DIR-COBERTURA" not in asked  # neither chosen nor offered
    assert "Dependencia DLE-08" in asked


def test_the_breakdowns_link_to_a_narrower_scope(
    cases: dict[str, Case], people: dict[str, Any]
) -> None:
    # The entity has one top-level dependency, the head office: its children are the lines.
    _, html = page(people["supervisor"])
    head, coverage = people["coverage"].parent_id, people["coverage"].pk
    assert f"dependencia={coverage}&amp;servicio=&amp;desde=2026-03&amp;hasta=2026-04" in html
    assert f"dependencia={head}&amp;servicio=" not in html
    _, html = page(people["supervisor"], f"{PERIOD}&dependencia={head}")  # the same lines
    assert f"dependencia={coverage}&amp;servicio=&amp;desde=2026-03&amp;hasta=2026-04" in html
    _, narrowed = page(people["supervisor"], f"{PERIOD}&dependencia={coverage}")
    assert figure(narrowed, "Recibidas") == "3" and figure(narrowed, "Vencidas") == "1"


@pytest.mark.parametrize("who", ["handler", "approver"])
def test_handlers_and_approvers_are_refused(
    cases: dict[str, Case], people: dict[str, Any], who: str
) -> None:
    assert page(people[who])[0] == 403


def test_a_bad_period_says_why_keeps_what_was_typed_and_shows_the_last_months(
    people: dict[str, Any],
) -> None:
    status, html = page(people["supervisor"], "?desde=2026-13&hasta=2026-04")
    assert status == 200
    assert "Escriba cada mes como año y mes" in html and 'value="2026-13"' in html
    status, html = page(people["supervisor"], "?desde=2026-04&hasta=2026-01")
    assert "El mes inicial debe ser anterior" in html
    assert "No hay cifras para lo elegido" in html  # nothing filed, nothing refreshed yet
    assert "Las cifras todavía no se han calculado." in html


def test_the_menu_links_the_dashboard_only_for_those_who_may_read_it(
    reference_service: Service,  # noqa: F811
    people: dict[str, Any],
) -> None:
    for who, shown in [("supervisor", True), ("handler", False)]:
        client = Client()
        client.force_login(people[who])
        html = client.get("/espacio/").content.decode()
        assert ('href="/espacio/cifras/"' in html) is shown, who


def test_satisfaction_of_the_period_sits_beside_the_figures(
    cases: dict[str, Case], people: dict[str, Any]
) -> None:
    from ventanilla.surveys.models import Invitation
    from ventanilla.surveys.services import survey_answer

    # A and B closed with an answer: each citizen was invited once, by the closing notice.
    first, second = Invitation.objects.order_by("created_at")
    with clock.frozen(at("2026-03-06")):
        survey_answer(invitation=first, rating=4, solved="yes")
    with clock.frozen(at("2026-04-02")):
        survey_answer(invitation=second, rating=1, solved="no", comment="Tardaron mucho.")
    _, html = page(people["supervisor"])
    assert (figure(html, "Encuestas enviadas"), figure(html, "Encuestas respondidas")) == ("2", "2")
    assert figure(html, "Calificación promedio (1 a 5)") == "2,5"
    assert figure(html, "Dicen que se resolvió su solicitud") == "50\u00a0%"
    _, march = page(people["supervisor"], "?desde=2026-03&hasta=2026-03")
    assert figure(march, "Encuestas respondidas") == "1"  # the April answer is outside
