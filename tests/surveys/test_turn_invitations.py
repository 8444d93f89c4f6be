"""After a turn served to the end (a walk-in, or a booked citizen checked in), its holder is
invited once to the survey by the contact they left: email, else text message."""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.db import IntegrityError, transaction
from django.test import Client, override_settings

from tests import factories
from tests.appointments.conftest import holder
from tests.cases.test_case_file import file_one
from tests.turns.conftest import MORNING, Turns, turns_build
from ventanilla.appointments.models import Schedule, SchedulePeriod
from ventanilla.appointments.services import booking_check_in, booking_create
from ventanilla.core import clock
from ventanilla.notifications.models import Notification
from ventanilla.organization.models import Dependency, Role
from ventanilla.surveys.invitations import invitation_open
from ventanilla.surveys.models import Invitation, Survey
from ventanilla.surveys.selectors import satisfaction_breakdown, satisfaction_figures
from ventanilla.surveys.services import survey_answer
from ventanilla.turns.models import Ticket
from ventanilla.turns.services import (
    TurnError,
    ticket_call_next,
    ticket_finish,
    ticket_issue,
    ticket_no_show,
    ticket_recall,
    ticket_start,
    ticket_transfer,
)

pytestmark = pytest.mark.django_db
LINK = re.compile(r"https?://[^\s]+/encuesta/([\w-]+)/")


@pytest.fixture
def turns(db: None, tmp_path: Path) -> Turns:
    return turns_build(tmp_path)


def called(turns: Turns, **contact: str) -> Ticket:
    ticket_issue(point=turns.point, service=turns.places, channel="kiosk", **contact)
    ticket = ticket_call_next(point=turns.point, desk="1", actor=turns.official)
    assert ticket is not None
    return ticket


def served(turns: Turns, **contact: str) -> Ticket:
    ticket = ticket_start(ticket=called(turns, **contact), actor=turns.official)
    return ticket_finish(ticket=ticket, actor=turns.official)


def invitations_sent() -> list[Notification]:
    return list(Notification.objects.filter(event="survey_invitation"))


def test_an_email_invites_once_with_the_link(
    turns: Turns, client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with clock.frozen(MORNING), django_capture_on_commit_callbacks(execute=True):
        ticket = served(turns, name="Ana", email="ana@example.co", phone="3001234567")
    invitation = Invitation.objects.get()
    assert invitation.ticket_id == ticket.pk and invitation.case_id is None
    assert (invitation.channel, invitation.service_point_id) == ("in_person", turns.point.pk)
    assert invitation.dependency_id == turns.point.dependency_id
    assert [n.channel for n in invitations_sent()] == ["email"]  # email wins over SMS
    (message,) = [m for m in mail.outbox if "Sede central" in m.subject]
    assert message.to == ["ana@example.co"]
    found = LINK.search(message.body)
    assert found, message.body
    survey = f"/encuesta/{found.group(1)}/"
    with clock.frozen(MORNING + timedelta(hours=1)):
        html = client.get(survey).content.decode()
        assert "su turno A-001 en Sede central" in html
        assert 'data-many="Quedan {n} caracteres"' in html
        answered = client.post(
            survey, {"rating": "4", "solved": "yes", "comment": "La fila era muy larga."}
        )
        assert answered.status_code == 302
        assert "Ya respondió esta encuesta" in client.get(survey).content.decode()
        with override_settings(SURVEY_PETITION_SERVICE=turns.places.slug):
            petition = client.post(f"{survey}peticion/")
    assert petition["Location"] == f"/tramites/{turns.places.slug}/radicar/"
    draft = client.session["filing_drafts"][str(turns.places.pk)]
    assert "La fila era muy larga." in draft["answers"].values()


def test_only_a_phone_gets_a_text_message(turns: Turns) -> None:
    with clock.frozen(MORNING):
        served(turns, phone="3001234567")
    (notice,) = invitations_sent()
    assert (notice.channel, notice.recipient) == ("sms", "3001234567")
    assert "/encuesta/" in notice.context["survey_url"]
    assert notice.reference == "A-001"


def test_no_contact_no_show_or_survey_off_invite_nobody(turns: Turns) -> None:
    with clock.frozen(MORNING):
        served(turns)  # no email, no phone
        no_show = called(turns, email="ana@example.co")
        ticket_no_show(ticket=no_show, actor=turns.official)
        Survey.objects.create(entity=turns.point.entity, service=turns.places, active=False)
        served(turns, email="ana@example.co")
    assert not Invitation.objects.exists()
    assert invitations_sent() == []


def test_once_per_ticket_after_recalls_a_second_finish_and_a_transfer(turns: Turns) -> None:
    with clock.frozen(MORNING):
        ticket = called(turns, email="ana@example.co")
        ticket_recall(ticket=ticket, actor=turns.official)
        ticket_start(ticket=ticket, actor=turns.official)
        ticket_finish(ticket=ticket, actor=turns.official)
        with pytest.raises(TurnError):
            ticket_finish(ticket=ticket, actor=turns.official)
        moved = ticket_transfer(
            ticket=called(turns, email="ben@example.co"),
            service=turns.certificates,
            actor=turns.official,
        )
        # The transferred ticket invites nobody; the one it became does, once served.
        assert Invitation.objects.count() == 1
        again = ticket_call_next(point=turns.point, desk="1", actor=turns.official)
        assert again is not None and again.pk == moved.pk
        ticket_finish(ticket=ticket_start(ticket=again, actor=turns.official), actor=turns.official)
    assert sorted(Invitation.objects.values_list("ticket__code", flat=True)) == ["A-001", "C-001"]
    assert sorted(n.recipient for n in invitations_sent()) == ["ana@example.co", "ben@example.co"]


def test_a_checked_in_booking_is_invited_after_the_desk_finishes(turns: Turns) -> None:
    point, service = turns.point, turns.places
    schedule = Schedule.objects.create(point=point, service=service, slot_minutes=20, capacity=3)
    SchedulePeriod.objects.create(
        schedule=schedule,
        weekday=MORNING.weekday(),
        opens=MORNING.time(),
        closes=(MORNING + timedelta(hours=4)).time(),
    )
    with clock.frozen(MORNING - timedelta(days=1)):
        booking = booking_create(
            point=point,
            service=service,
            starts_at=MORNING + timedelta(hours=1),
            holder=holder(email="", phone="3109876543", language="en"),
        )
    with clock.frozen(MORNING + timedelta(minutes=50)):
        checked = booking_check_in(booking=booking, actor=turns.official, id_number="1012345678")
        ticket = ticket_call_next(point=point, desk="2", actor=turns.official)
        assert ticket is not None and ticket.code == checked.turn_code
        ticket_finish(
            ticket=ticket_start(ticket=ticket, actor=turns.official), actor=turns.official
        )
    invitation = Invitation.objects.get(ticket=ticket)
    assert invitation.language == "en"
    (notice,) = invitations_sent()
    assert (notice.channel, notice.recipient, notice.language) == ("sms", "3109876543", "en")
    assert "/en/" in notice.context["survey_url"]


def test_figures_count_turns_by_hand(turns: Turns) -> None:
    with clock.frozen(MORNING):
        tickets = [served(turns, phone="300000000" + str(n)) for n in range(3)]
        case = file_one(turns.places).case
        invitation_open(case=case)
    for ticket, rating, solved in ((tickets[0], 5, "yes"), (tickets[1], 2, "no")):
        with clock.frozen(MORNING + timedelta(hours=2)):
            survey_answer(
                invitation=Invitation.objects.get(ticket=ticket), rating=rating, solved=solved
            )
    with clock.frozen(MORNING + timedelta(hours=3)):
        survey_answer(invitation=Invitation.objects.get(case=case), rating=3, solved="partly")
    march = {"entity": turns.point.entity, "start": date(2026, 3, 1), "end": date(2026, 3, 31)}
    figures = satisfaction_figures(**march)
    # 3 turns and 1 case invited; 2 turns and the case answered: (5 + 2 + 3) / 3 = 3.33.
    assert (figures.invited, figures.answered, figures.average) == (4, 3, 3.33)
    assert (figures.solved, figures.partly) == (1, 1)
    channels = {
        key: (f.invited, f.answered, f.average)
        for key, _l, f in satisfaction_breakdown(by="channel", **march)
    }
    # The turns: (5 + 2) / 2 = 3.5; the case was filed online.
    assert channels == {"in_person": (3, 2, 3.5), "online": (1, 1, 3.0)}
    points = {label: f.invited for _k, label, f in satisfaction_breakdown(by="point", **march)}
    assert points == {"Sede central": 3, "sin punto de atención": 1}
    places = satisfaction_breakdown(by="service", **march)
    assert [(f.invited, f.answered) for _k, _l, f in places] == [(4, 3)]


def test_the_office_reads_a_turn_comment_by_its_ticket(turns: Turns, client: Client) -> None:
    with clock.frozen(MORNING):
        ticket = served(turns, phone="3001234567")
    with clock.frozen(MORNING + timedelta(hours=1)):
        survey_answer(
            invitation=Invitation.objects.get(ticket=ticket),
            rating=2,
            solved="partly",
            comment="No había dónde sentarse.",
        )
    approver = factories.official(Dependency.objects.get(code="DIR-COBERTURA"), Role.APPROVER)
    factories.enrol_totp(approver)
    client.force_login(approver)
    with clock.frozen(MORNING + timedelta(days=3)):
        html = client.get("/espacio/encuestas/").content.decode()
    assert "No había dónde sentarse." in html
    assert "turno A-001 en Sede central" in html


def test_an_invitation_belongs_to_a_case_or_a_ticket_never_both(turns: Turns) -> None:
    with clock.frozen(MORNING):
        ticket = served(turns, phone="3001234567")
        case = file_one(turns.places).case
    both = Invitation.objects.get(ticket=ticket)
    both.case = case
    with pytest.raises(IntegrityError), transaction.atomic():
        both.save()
    neither = Invitation.objects.get(ticket=ticket)
    neither.ticket = None
    with pytest.raises(IntegrityError), transaction.atomic():
        neither.save()
