"""Acting on a case: permissions, and the legal clock as a table of scenarios."""

from __future__ import annotations

from datetime import date, datetime
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from tests import factories
from tests.cases.test_case_file import file_one
from ventanilla.cases.models import Case, TimelineEvent
from ventanilla.cases.services import (
    NotAllowed,
    TransitionError,
    TransitionInput,
    case_transition,
)
from ventanilla.cases.upkeep import cases_refresh_sla, information_requests_upkeep
from ventanilla.cases.workflow import Actor, actions_for
from ventanilla.catalog.models import Service
from ventanilla.core import clock
from ventanilla.organization.models import Dependency, Level, Role

BOGOTA = ZoneInfo("America/Bogota")


def at(day: str, hour: int = 10) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=BOGOTA)


@pytest.fixture
def officials(reference_service: Service) -> dict[str, Any]:
    coverage = Dependency.objects.get(code="DIR-COBERTURA")
    other = factories.dependency("DLE-07", parent=coverage.parent, level=Level.LOCAL)
    return {
        "handler": factories.official(coverage, Role.HANDLER),
        "approver": factories.official(coverage, Role.APPROVER),
        "viewer": factories.official(coverage, Role.VIEWER),
        "elsewhere": factories.official(other, Role.SUPERVISOR),
    }


@pytest.fixture
def case(reference_service: Service, officials: dict[str, Any]) -> Case:
    citizen = factories.user("ana@example.co")
    with clock.frozen(at("2026-03-02")):  # a Monday; 15 business days → 24 March... see below
        filed = file_one(reference_service, filer_kind="citizen", applicant=citizen, contact=None)
    return filed.case


def act(case: Case, action: str, user: Any, when: str, **payload: Any) -> Case:
    with clock.frozen(at(when)):
        return case_transition(
            case=case, action=action, actor=user, payload=TransitionInput(**payload)
        )


def test_filing_on_a_monday_is_due_fifteen_business_days_later(case: Case) -> None:
    # March 2026: the 23rd is the Saint Joseph holiday (moved to Monday), so 15 business days
    # from Monday 2 March end on Tuesday 24 March.
    assert (case.received_on, case.due_date) == (date(2026, 3, 2), date(2026, 3, 24))


def test_information_request_stops_the_clock_and_the_answer_moves_the_due_date(
    case: Case, officials: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    act(case, "iniciar_revision", officials["handler"], "2026-03-03")
    with django_capture_on_commit_callbacks(execute=True):
        case = act(
            case,
            "pedir_informacion",
            officials["handler"],
            "2026-03-04",
            comment="Adjunte el registro civil.",
        )
    assert case.is_paused and case.sla_state == "paused"
    assert case.information_deadline == date(2026, 4, 6)  # 4 April is a Saturday
    assert "Adjunte el registro civil." in mail.outbox[-1].body
    with clock.frozen(at("2026-03-10")):  # 4 business days later (5, 6, 9, 10 March)
        case = case_transition(
            case=case,
            action="responder_informacion",
            actor=case.applicant,
            as_actor=Actor.CITIZEN,
            payload=TransitionInput(comment="Aquí está."),
        )
    assert not case.is_paused
    assert case.paused_business_days == 4
    assert case.due_date == date(2026, 3, 30)  # 24 March + 4 business days (25, 26, 27, 30)
    assert case.messages.get().body == "Aquí está."


def test_information_may_only_be_requested_within_ten_business_days(
    case: Case, officials: dict[str, Any]
) -> None:
    act(case, "iniciar_revision", officials["handler"], "2026-03-03")
    with pytest.raises(TransitionError, match="10 días hábiles"):
        act(case, "pedir_informacion", officials["handler"], "2026-03-17", comment="Tarde.")


@pytest.mark.parametrize(
    ("new_due", "when", "outcome"),
    [
        ("2026-04-14", "2026-03-20", "ok"),  # within twice the term (15 → 30 business days)
        ("2026-04-16", "2026-03-20", "ok"),  # exactly 30 business days after reception (Holy Week)
        ("2026-04-17", "2026-03-20", "beyond"),  # one day past twice the term
        ("2026-04-10", "2026-03-25", "late"),  # announced after the term ended
        ("2026-03-20", "2026-03-19", "earlier"),  # not after the current due date
    ],
)
def test_extension_scenarios(
    case: Case, officials: dict[str, Any], new_due: str, when: str, outcome: str
) -> None:
    act(case, "iniciar_revision", officials["handler"], "2026-03-03")
    arguments = {"comment": "Volumen de solicitudes.", "new_due_date": date.fromisoformat(new_due)}
    if outcome == "ok":
        case = act(case, "prorrogar", officials["handler"], when, **arguments)
        assert case.due_date == date.fromisoformat(new_due) and case.extended
        with pytest.raises(TransitionError, match="una vez"):
            act(case, "prorrogar", officials["handler"], when, **arguments)
    else:
        with pytest.raises(TransitionError):
            act(case, "prorrogar", officials["handler"], when, **arguments)


def test_sla_state_follows_the_calendar(case: Case) -> None:
    for day, expected in [
        ("2026-03-10", "on_time"),
        ("2026-03-19", "due_soon"),  # 3 business days left (20, 24; 23 is a holiday) → due soon
        ("2026-03-24", "due_soon"),
        ("2026-03-25", "overdue"),
    ]:
        with clock.frozen(at(day)):
            cases_refresh_sla()
        case.refresh_from_db()
        assert case.sla_state == expected, day


@pytest.mark.parametrize("who", ["elsewhere", "viewer"])
def test_the_wrong_official_or_a_lower_role_is_refused(
    case: Case, officials: dict[str, Any], who: str
) -> None:
    with pytest.raises(NotAllowed):
        act(case, "iniciar_revision", officials[who], "2026-03-03")


def test_a_handler_cannot_sign_off_but_an_approver_can(
    case: Case, officials: dict[str, Any]
) -> None:
    act(case, "iniciar_revision", officials["handler"], "2026-03-03")
    act(case, "pasar_asignacion", officials["handler"], "2026-03-04")
    with pytest.raises(NotAllowed):
        act(case, "asignar_cupo", officials["handler"], "2026-03-05", comment="Cupo asignado.")
    case = act(case, "asignar_cupo", officials["approver"], "2026-03-05", comment="Cupo asignado.")
    assert case.is_closed and case.sla_state == "closed"


def test_the_official_who_starts_an_unassigned_case_holds_it_and_a_held_one_stays(
    case: Case, officials: dict[str, Any]
) -> None:
    assert case.assignee is None
    case = act(case, "iniciar_revision", officials["handler"], "2026-03-03")
    assert case.assignee == officials["handler"]
    assert case.timeline.last().data["assigned_to"] == officials["handler"].email
    colleague = factories.official(case.dependency, Role.HANDLER)
    case = act(case, "pasar_asignacion", colleague, "2026-03-04")
    assert case.assignee == officials["handler"]  # acting does not take a colleague's case


def test_the_citizen_cannot_take_an_officials_action(case: Case) -> None:
    with pytest.raises(NotAllowed), clock.frozen(at("2026-03-03")):
        case_transition(
            case=case, action="iniciar_revision", actor=case.applicant, as_actor=Actor.CITIZEN
        )


def test_a_lapsed_information_request_ends_in_tacit_withdrawal_after_a_reminder(
    case: Case, officials: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    act(case, "iniciar_revision", officials["handler"], "2026-03-03")
    act(case, "pedir_informacion", officials["handler"], "2026-03-04", comment="Falta un papel.")
    with clock.frozen(at("2026-03-30")), django_capture_on_commit_callbacks(execute=True):
        assert information_requests_upkeep() == (1, 0)
        assert information_requests_upkeep() == (0, 0)  # reminded once only
    assert "vence el 6 de abril de 2026" in mail.outbox[-1].body
    with clock.frozen(at("2026-04-07")):
        assert information_requests_upkeep() == (0, 1)
    case.refresh_from_db()
    assert case.stage == "desistida" and case.is_closed


def test_verify_timeline_catches_a_single_edited_event(
    case: Case, officials: dict[str, Any]
) -> None:
    act(case, "iniciar_revision", officials["handler"], "2026-03-03")
    act(case, "pasar_asignacion", officials["handler"], "2026-03-04")
    out = StringIO()
    call_command("verify_timeline", stdout=out)
    assert "every route is intact" in out.getvalue()
    TimelineEvent.objects.filter(case=case, sequence=2).update(message="Nunca pasó")
    errors = StringIO()
    with pytest.raises(CommandError):
        call_command("verify_timeline", "--case", case.filing_number, stderr=errors)
    assert f"{case.filing_number}: event 2 is broken: its content was changed" in errors.getvalue()


def test_nobody_is_asked_for_information_on_an_anonymous_report(
    reference_service: Service, officials: dict[str, Any]
) -> None:
    report = factories.service_variant(
        reference_service, "denuncia-de-prueba", filers=["citizen", "guest", "anonymous"]
    )
    with clock.frozen(at("2026-03-02")):
        case = file_one(report, filer_kind="anonymous", contact=None, consent_text=None).case
    case = act(case, "iniciar_revision", officials["handler"], "2026-03-03")
    offered = {a.key for a in actions_for(case, user=officials["handler"], as_actor=Actor.OFFICIAL)}
    assert "pedir_informacion" not in offered and "pasar_asignacion" in offered
    with pytest.raises(NotAllowed):
        act(case, "pedir_informacion", officials["handler"], "2026-03-03", comment="¿Quién?")


def test_four_eyes_whoever_drafted_the_answer_does_not_sign_it(
    case: Case, officials: dict[str, Any]
) -> None:
    head = officials["approver"]
    act(case, "iniciar_revision", head, "2026-03-03")
    case = act(case, "pasar_asignacion", head, "2026-03-04", comment="Se asigna cupo.")
    assert case.response_drafted_by == head
    assert "asignar_cupo" not in {
        a.key for a in actions_for(case, user=head, as_actor=Actor.OFFICIAL)
    }
    with pytest.raises(NotAllowed):
        act(case, "asignar_cupo", head, "2026-03-05", comment="Se asigna cupo.")
    with pytest.raises(NotAllowed):
        act(case, "negar", head, "2026-03-05", comment="No hay cupo.")
    other = factories.official(case.dependency, Role.APPROVER)
    case = act(case, "asignar_cupo", other, "2026-03-05", comment="Se asigna cupo.")
    assert case.is_closed


def test_a_workflow_may_let_the_drafter_sign(reference_service: Service) -> None:
    base = reference_service.versions.get().definition
    lenient = factories.service_variant(
        reference_service,
        "cupo-sin-cuatro-ojos",
        workflow={**base["workflow"], "drafter_may_approve": True},
    )
    lenient.channels = ["online", "in_person", "phone"]
    lenient.save()
    head = factories.official(Dependency.objects.get(code="DIR-COBERTURA"), Role.APPROVER)
    with clock.frozen(at("2026-03-02")):
        case = file_one(lenient, service_version=lenient.versions.get()).case
    act(case, "iniciar_revision", head, "2026-03-03")
    act(case, "pasar_asignacion", head, "2026-03-04", comment="Se asigna cupo.")
    assert act(case, "asignar_cupo", head, "2026-03-05", comment="Cupo.").is_closed


def test_the_route_names_the_office_a_case_was_transferred_to(
    case: Case, officials: dict[str, Any]
) -> None:
    from ventanilla.cases.route_text import official_route

    local = Dependency.objects.get(code="DLE-07")
    Dependency.objects.filter(pk=local.pk).update(name="Dirección Local de Bosa")
    act(
        case,
        "trasladar",
        officials["handler"],
        "2026-03-03",
        comment="Es local.",
        target_dependency=local,
    )
    details = [line.detail for line in official_route(case, list(case.timeline.all()))]
    assert any("A Dirección Local de Bosa" in detail for detail in details), details
    assert not any("DLE-07" in detail for detail in details)
