"""An SMTP outage delays mail but loses none, sends none twice, and never fails a filing."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from django.test import Client

from tests.cases.test_case_file import file_one
from ventanilla.cases.models import Case
from ventanilla.catalog.models import Service
from ventanilla.core import clock
from ventanilla.notifications.models import Notification, State
from ventanilla.notifications.services import notifications_deliver_due


def test_mail_queued_during_an_outage_arrives_once_when_the_server_is_back(
    reference_service: Service, smtp: Any, django_capture_on_commit_callbacks: Any
) -> None:
    # The server is down: every filing still succeeds.
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            file_one(reference_service)
    assert Case.objects.count() == 3
    pending = Notification.objects.filter(channel="email")
    assert pending.count() == 3
    assert all(n.state == State.PENDING and n.attempts == 1 for n in pending)
    assert all("Connection refused" in n.last_error or "Errno" in n.last_error for n in pending)

    smtp.start()
    # Not before the backoff has passed.
    assert notifications_deliver_due() == 0
    with clock.frozen(clock.now() + timedelta(minutes=2)):
        assert notifications_deliver_due() == 3
        assert notifications_deliver_due() == 0  # nothing is sent twice
    assert sorted(r[0][0] for r in smtp.inbox.received) == ["marta@example.co"] * 3
    assert len(smtp.inbox.received) == 3
    assert Notification.objects.filter(state=State.SENT, channel="email").count() == 3


def test_a_working_server_gets_the_receipt_at_once(
    reference_service: Service, smtp: Any, django_capture_on_commit_callbacks: Any
) -> None:
    smtp.start()
    with django_capture_on_commit_callbacks(execute=True):
        case = file_one(reference_service).case
    assert len(smtp.inbox.received) == 1
    assert case.filing_number.encode() in smtp.inbox.received[0][1]


def test_guest_codes_guest_links_and_account_mail_wait_out_an_outage(
    reference_service: Service, smtp: Any, django_capture_on_commit_callbacks: Any
) -> None:
    filing_url = "/tramites/solicitud-cupo-escolar/radicar/"
    guest, visitor, newcomer = Client(), Client(), Client()
    # The mail server is down while a guest asks for a code, a tracker for the guest link and a
    # newcomer signs up: every page still answers, and the mail waits in the outbox.
    with django_capture_on_commit_callbacks(execute=True):
        guest.post(filing_url, {"mode": "guest"})
        guest.post(
            f"{filing_url}sus-datos/",
            {"step": "details", "name": "Rosa Gil", "email": "rosa@example.co", "phone": ""},
        )
        filing = file_one(reference_service)
        number = filing.case.filing_number
        visitor.post("/seguimiento/", {"filing_number": number, "code": filing.verification_code})
        assert visitor.post(f"/seguimiento/{number}/enlace/").status_code == 302
        assert newcomer.post("/cuenta/signup/", signup_data()).status_code == 302
    waiting = Notification.objects.filter(event__in=["guest_code", "guest_link", "account_email"])
    assert sorted(waiting.values_list("event", "recipient", "state")) == [
        ("account_email", "luz.rojas@example.co", State.PENDING),
        ("guest_code", "rosa@example.co", State.PENDING),
        ("guest_link", "marta@example.co", State.PENDING),
    ]
    assert all(n.last_error for n in waiting)

    smtp.start()
    with clock.frozen(clock.now() + timedelta(minutes=2)):
        assert notifications_deliver_due() == 4  # and the case's receipt
    arrived = smtp.inbox.texts()
    assert re.search(r"Su código es \d{6}", arrived["rosa@example.co"])
    assert f"/solicitudes/{number}/acceso/" in arrived["marta@example.co"]
    assert "/cuenta/confirm-email/" in arrived["luz.rojas@example.co"]
    # Sent, the codes and links are erased from the outbox: it keeps no working key.
    for notice in waiting.all():
        assert (notice.state, notice.body, notice.context) == (State.SENT, "", {})


def signup_data() -> dict[str, str]:
    return {
        "first_name": "Luz Marina",
        "last_name": "Rojas Peña",
        "id_type": "CC",
        "id_number": "52123456",
        "email": "luz.rojas@example.co",
        "phone": "3001234567",
        "preferred_language": "es",
        "password1": "ventanas-abiertas-77",
        "password2": "ventanas-abiertas-77",
        "consent": "on",
        "consent_version": "2026-1",
    }
