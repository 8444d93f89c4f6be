"""Satisfaction surveys: invited once by the closing notice, answered once by token, counted
for the office."""

from __future__ import annotations

import hashlib
import re
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.test import Client, override_settings

from tests import factories
from tests.cases.test_case_file import file_one
from ventanilla.cases.models import Case
from ventanilla.cases.services import TransitionInput, case_transition
from ventanilla.catalog.models import Service
from ventanilla.core import clock
from ventanilla.notifications.models import Notification
from ventanilla.organization.models import Dependency, Role
from ventanilla.surveys.invitations import invitation_open
from ventanilla.surveys.models import Invitation, Survey
from ventanilla.surveys.selectors import satisfaction_breakdown, satisfaction_figures
from ventanilla.surveys.services import SurveyError, survey_answer

pytestmark = pytest.mark.django_db
BOGOTA = ZoneInfo("America/Bogota")
LINK = re.compile(r"https?://[^\s]+/encuesta/([\w-]+)/")


def at(day: str, hour: int = 10) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=BOGOTA)


@pytest.fixture
def staff(reference_service: Service) -> dict[str, Any]:
    coverage = Dependency.objects.get(code="DIR-COBERTURA")
    return {
        "handler": factories.official(coverage, Role.HANDLER),
        "approver": factories.official(coverage, Role.APPROVER),
    }


def close(case: Case, staff: dict[str, Any], day: str = "2026-03-04") -> Case:
    with clock.frozen(at(day)):
        case = case_transition(case=case, action="iniciar_revision", actor=staff["handler"])
        return case_transition(
            case=case,
            action="negar",
            actor=staff["approver"],
            payload=TransitionInput(comment="No hay cupos en la localidad."),
        )


def closed_with_link(
    service: Service, staff: dict[str, Any], capture: Any, **filing: Any
) -> tuple[Case, str]:
    with clock.frozen(at("2026-03-02")):
        case = file_one(service, **filing).case
    with capture(execute=True):
        case = close(case, staff)
    closing = [m for m in mail.outbox if "tiene respuesta" in m.subject]
    assert len(closing) == 1
    found = LINK.search(closing[0].body)
    assert found, closing[0].body
    return case, found.group(1)


def test_the_closing_email_carries_the_survey_link_once(
    reference_service: Service, staff: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    case, token = closed_with_link(reference_service, staff, django_capture_on_commit_callbacks)
    invitation = Invitation.objects.get(case=case)
    # Only the token's SHA-256 is kept.
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(Invitation.objects.filter(pk=invitation.pk).values().get())
    assert invitation.channel == case.channel
    assert invitation.dependency_id == case.dependency_id
    # Once: another closing notice for the same case opens nothing more.
    assert invitation_open(case=case) is None
    assert Invitation.objects.count() == 1


def test_the_text_message_carries_it_too(
    reference_service: Service, staff: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    with clock.frozen(at("2026-03-02")):
        case = file_one(reference_service).case
    Case.objects.filter(pk=case.pk).update(contact_phone="3101234567")
    case = close(Case.objects.get(pk=case.pk), staff)
    notices = Notification.objects.filter(reference=case.filing_number, event="case_closed")
    assert sorted(n.channel for n in notices) == ["email", "sms"]
    # One invitation, the same link by both channels.
    assert len({n.context["survey_url"] for n in notices}) == 1
    assert "/encuesta/" in notices[0].context["survey_url"]
    assert Invitation.objects.filter(case=case).count() == 1


def test_no_contact_no_invitation(reference_service: Service, staff: dict[str, Any]) -> None:
    with clock.frozen(at("2026-03-02")):
        case = file_one(reference_service).case
    # Filed in person without email or phone: nobody to write to.
    Case.objects.filter(pk=case.pk).update(contact_email="", contact_phone="")
    close(Case.objects.get(pk=case.pk), staff)
    assert not Invitation.objects.exists()


def test_a_survey_switched_off_invites_nobody(
    reference_service: Service, staff: dict[str, Any]
) -> None:
    Survey.objects.create(entity=reference_service.entity, service=reference_service, active=False)
    with clock.frozen(at("2026-03-02")):
        case = file_one(reference_service).case
    close(case, staff)
    assert not Invitation.objects.exists()


def test_answering_without_an_account(
    reference_service: Service, staff: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    case, token = closed_with_link(reference_service, staff, django_capture_on_commit_callbacks)
    citizen = Client()
    with clock.frozen(at("2026-03-05")):
        page = citizen.get(f"/encuesta/{token}/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "<legend" in html and "¿Cómo califica la atención?" in html
    assert 'maxlength="1000"' in html
    # Bad input: a clear error, and the comment typed is still there.
    with clock.frozen(at("2026-03-05")):
        bad = citizen.post(f"/encuesta/{token}/", {"solved": "yes", "comment": "Muy amables."})
    assert "Elija una calificación de 1 a 5." in bad.content.decode()
    assert "Muy amables." in bad.content.decode()
    assert Invitation.objects.get(case=case).answered_at is None
    with clock.frozen(at("2026-03-05")):
        done = citizen.post(
            f"/encuesta/{token}/", {"rating": "4", "solved": "partly", "comment": "Muy amables."}
        )
    assert done.status_code == 302
    again = citizen.get(f"/encuesta/{token}/").content.decode()
    assert "Ya respondió esta encuesta, gracias." in again
    assert "4 · Buena" in again and "En parte" in again and "Muy amables." in again
    # A second answer changes nothing.
    citizen.post(f"/encuesta/{token}/", {"rating": "1", "solved": "no"})
    answered = Invitation.objects.get(case=case)
    assert (answered.rating, answered.solved, answered.answered_on) == (
        4,
        "partly",
        date(2026, 3, 5),
    )
    with pytest.raises(SurveyError):
        survey_answer(invitation=answered, rating=1, solved="no")


def test_wrong_and_expired_tokens(
    reference_service: Service, staff: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    _case, token = closed_with_link(reference_service, staff, django_capture_on_commit_callbacks)
    assert Client().get("/encuesta/no-es-un-token/").status_code == 404
    with clock.frozen(at("2026-03-05")):
        assert Client().get(f"/en/survey/{token}/").status_code == 200
    with override_settings(SURVEY_ANSWER_DAYS=60), clock.frozen(at("2026-05-03", 9)):
        # Invited on 4 March at 10:00: 60 days end on 3 May at 10:00.
        assert Client().get(f"/encuesta/{token}/").status_code == 200
    with override_settings(SURVEY_ANSWER_DAYS=60), clock.frozen(at("2026-05-03", 11)):
        late = Client().post(f"/encuesta/{token}/", {"rating": "5", "solved": "yes"})
    assert late.status_code == 410
    assert "El plazo para responder la encuesta" in late.content.decode()
    assert not Invitation.objects.filter(answered_at__isnull=False).exists()


def test_a_comment_becomes_a_petition_the_citizen_files(
    reference_service: Service, staff: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    _case, token = closed_with_link(reference_service, staff, django_capture_on_commit_callbacks)
    citizen = Client()
    with clock.frozen(at("2026-03-05")):
        citizen.post(
            f"/encuesta/{token}/",
            {"rating": "2", "solved": "no", "comment": "Nadie me explicó por qué."},
        )
    assert (
        "Convertir mi comentario en una petición"
        in citizen.get(f"/encuesta/{token}/").content.decode()
    )
    with override_settings(SURVEY_PETITION_SERVICE=reference_service.slug):
        started = citizen.post(f"/encuesta/{token}/peticion/")
    assert started.status_code == 302
    assert started["Location"] == f"/tramites/{reference_service.slug}/radicar/"
    draft = citizen.session["filing_drafts"][str(reference_service.pk)]
    assert "Nadie me explicó por qué." in draft["answers"].values()


def _answered(case: Case, rating: int, solved: str, day: str) -> None:
    token = invitation_open(case=case)
    assert token is not None
    invitation = Invitation.objects.get(case=case)
    with clock.frozen(at(day)):
        survey_answer(invitation=invitation, rating=rating, solved=solved)


def test_figures_written_by_hand(reference_service: Service) -> None:
    with clock.frozen(at("2026-03-02")):
        cases = [file_one(reference_service).case for _ in range(6)]
        for case, (rating, solved) in zip(
            cases, [(5, "yes"), (4, "yes"), (2, "partly"), (1, "no")], strict=False
        ):
            _answered(case, rating, solved, "2026-03-10")
        invitation_open(case=cases[4])  # invited, never answered
    with clock.frozen(at("2026-04-02")):
        _answered(cases[5], 3, "no", "2026-04-02")  # outside March
    entity = reference_service.entity
    march = {"entity": entity, "start": date(2026, 3, 1), "end": date(2026, 3, 31)}
    figures = satisfaction_figures(**march)
    assert figures.invited == 5
    assert figures.answered == 4
    assert figures.average == 3.0  # (5 + 4 + 2 + 1) / 4
    assert figures.solved == 2 and figures.partly == 1
    assert figures.ratings == {1: 1, 2: 1, 3: 0, 4: 1, 5: 1}
    own = cases[0].dependency.path
    other = next(d for d in Dependency.objects.all() if not own.startswith(d.path))
    assert satisfaction_figures(dependency=other, **march).answered == 0
    months = satisfaction_breakdown(
        entity=entity, by="month", start=date(2026, 3, 1), end=date(2026, 4, 30)
    )
    assert [(key, f.invited, f.answered, f.average) for key, _label, f in months] == [
        ("2026-03", 5, 4, 3.0),
        ("2026-04", 1, 1, 3.0),
    ]
    empty = satisfaction_figures(entity=entity, start=date(2026, 1, 1), end=date(2026, 1, 31))
    assert (empty.invited, empty.answered, empty.average) == (0, 0, None)
    assert empty.ratings == {1: 0, 2: 0, 3: 0, 4: 0, 5: 0}


def test_results_page_for_the_office(
    reference_service: Service, staff: dict[str, Any], client: Client
) -> None:
    with clock.frozen(at("2026-03-02")):
        case = file_one(reference_service).case
        _answered(case, 2, "partly", "2026-03-03")
        Invitation.objects.filter(case=case).update(comment="La fila era muy larga.")
    factories.enrol_totp(staff["approver"])
    factories.enrol_totp(staff["handler"])
    client.force_login(staff["approver"])
    with clock.frozen(at("2026-03-20")):
        page = client.get("/espacio/encuestas/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "La fila era muy larga." in html
    assert f"/espacio/casos/{case.filing_number}/" in html
    client.force_login(staff["handler"])
    assert client.get("/espacio/encuestas/").status_code == 403
