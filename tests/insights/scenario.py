"""A known month of petitions, for figures computed by hand.

Entity SED, March 2026 (the 23rd is a holiday). Two petition types built on the reference
workflow: requests for public information (10 business days) and complaints (15). Each line
says what happened and the business days its answer took, counted from the day after reception
up to the answer, without the days the clock stood still:

- I1 information, filed Mon 2 Mar, answered Thu 5 Mar: 3 days, on time (due 16 Mar).
- I2 information, filed 2 Mar; information asked on 4 Mar and given on 10 Mar (4 business days
  paused, due 16 → 20 Mar); answered 19 Mar: 13 elapsed - 4 = 9 days, on time.
- I3 information, filed 2 Mar, refused 18 Mar: 12 days, late (due 16 Mar).
- I4 information, filed 3 Mar, sent on 4 Mar to the competent entity SDS (Ley 1755, art. 21).
- I5 information, filed 9 Mar, term extended on 12 Mar to 27 Mar (due was 24 Mar), answered
  26 Mar: 12 days, on time.
- Q1 complaint, filed 2 Mar, answered 20 Mar: 14 days, on time (due 24 Mar).
- Q2 complaint, filed 2 Mar, withdrawn by the citizen on 5 Mar.
- Q3 complaint, filed 2 Mar, moved on 4 Mar to the local office DLE-08, still open there;
  overdue since 25 Mar.
- Q4 complaint, filed 3 Mar, moved on 4 Mar to the local office DLE-08, which sent it on for
  the answer (given by coverage's approver) on 25 Mar: 15 days, on time (due 25 Mar).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from tests import factories
from tests.cases.test_case_file import file_one
from ventanilla.cases.models import Case
from ventanilla.cases.services import TransitionInput, case_transition
from ventanilla.cases.workflow import Actor
from ventanilla.catalog.models import PetitionType, Service
from ventanilla.core import clock
from ventanilla.organization.models import Dependency, Entity, Role

BOGOTA = ZoneInfo("America/Bogota")


def at(day: str, hour: int = 10) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=BOGOTA)


@dataclass
class Month:
    entity: Entity
    other: Entity
    information: Service
    complaint: Service
    cases: dict[str, Case]


def petition_service(base: Service, slug: str, kind: PetitionType, days: int) -> Service:
    term = {**base.versions.get().definition["term"], "amount": days}  # type: ignore[index]
    service = factories.service_variant(base, slug, term=term)
    service.petition_type = kind
    service.save(update_fields=["petition_type"])
    return service


def march(reference_service: Service) -> Month:
    coverage = Dependency.objects.get(code="DIR-COBERTURA")
    local = Dependency.objects.get(code="DLE-08")
    people = {
        "handler": factories.official(coverage, Role.HANDLER),
        "approver": factories.official(coverage, Role.APPROVER),
        "local_handler": factories.official(local, Role.HANDLER),
    }
    other = factories.dependency("SDS-DESPACHO", entity_code="SDS").entity
    information = petition_service(
        reference_service, "acceso-informacion", PetitionType.INFORMATION, 10
    )
    complaint = petition_service(reference_service, "queja", PetitionType.COMPLAINT, 15)
    cases: dict[str, Case] = {}
    for name, service, day in [
        ("I1", information, "2026-03-02"),
        ("I2", information, "2026-03-02"),
        ("I3", information, "2026-03-02"),
        ("I4", information, "2026-03-03"),
        ("I5", information, "2026-03-09"),
        ("Q1", complaint, "2026-03-02"),
        ("Q2", complaint, "2026-03-02"),
        ("Q3", complaint, "2026-03-02"),
        ("Q4", complaint, "2026-03-03"),
    ]:
        with clock.frozen(at(day)):
            cases[name] = file_one(service).case
    _act_out(cases, people, other, local)
    return Month(SED(), other, information, complaint, cases)


def SED() -> Entity:
    return Entity.objects.get(code="SED")


def act(case: Case, action: str, user: Any, day: str, **payload: Any) -> Case:
    as_actor = Actor.GUEST if user is None else Actor.OFFICIAL
    with clock.frozen(at(day)):
        return case_transition(
            case=case,
            action=action,
            actor=user,
            as_actor=as_actor,
            payload=TransitionInput(**payload),
        )


def _answer(case: Case, approver: Any, handler: Any, day: str) -> Case:
    case = act(case, "pasar_asignacion", handler, day)
    return act(case, "asignar_cupo", approver, day, comment="Respuesta.")


def _act_out(cases: dict[str, Case], people: dict[str, Any], other: Entity, local: Any) -> None:
    handler, approver = people["handler"], people["approver"]
    for name in ("I1", "I2", "I3", "I4", "I5", "Q1", "Q3", "Q4"):
        day = "2026-03-09" if name == "I5" else "2026-03-03"
        cases[name] = act(cases[name], "iniciar_revision", handler, day)
    _answer(cases["I1"], approver, handler, "2026-03-05")
    act(cases["I2"], "pedir_informacion", handler, "2026-03-04", comment="Falta un dato.")
    act(cases["I2"], "responder_informacion", None, "2026-03-10", comment="Aquí está.")
    _answer(cases["I2"], approver, handler, "2026-03-19")
    act(cases["I3"], "negar", approver, "2026-03-18", comment="Información reservada.")
    act(
        cases["I4"],
        "trasladar",
        handler,
        "2026-03-04",
        comment="Compete a SDS.",
        target_entity=other,
    )
    act(
        cases["I5"],
        "prorrogar",
        handler,
        "2026-03-12",
        comment="Volumen.",
        new_due_date=date(2026, 3, 27),
    )
    _answer(cases["I5"], approver, handler, "2026-03-26")
    _answer(cases["Q1"], approver, handler, "2026-03-20")
    act(cases["Q2"], "desistir", None, "2026-03-05")
    act(
        cases["Q3"],
        "trasladar",
        handler,
        "2026-03-04",
        comment="Es local.",
        target_dependency=local,
    )
    act(
        cases["Q4"],
        "trasladar",
        handler,
        "2026-03-04",
        comment="Es local.",
        target_dependency=local,
    )
    # The local office sends it on for the answer, which the answering stage's owner gives.
    q4 = act(cases["Q4"], "pasar_asignacion", people["local_handler"], "2026-03-25")
    act(q4, "asignar_cupo", approver, "2026-03-25", comment="Respuesta.")
    for name in cases:
        cases[name].refresh_from_db()
