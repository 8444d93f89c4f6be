"""A guest (a verified email, no account) follows, answers and receives their case through the
link sent to that email; nobody else gets in with it."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests import factories
from tests.cases.test_case_file import file_one
from ventanilla.cases.filing import Contact
from ventanilla.cases.guest_access import guest_token
from ventanilla.cases.models import Case, Message
from ventanilla.cases.services import NotAllowed, TransitionInput, case_transition, message_post
from ventanilla.cases.workflow import Actor, actions_for
from ventanilla.catalog.models import Service
from ventanilla.core import clock
from ventanilla.notifications.models import Notification
from ventanilla.organization.models import Dependency, Role

pytestmark = pytest.mark.django_db
BOGOTA = ZoneInfo("America/Bogota")
PDF = b"%PDF-1.4\n% prueba\n"


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(hour=10, tzinfo=BOGOTA)


@pytest.fixture
def staff(reference_service: Service) -> dict[str, Any]:
    coverage = Dependency.objects.get(code="DIR-COBERTURA")
    return {
        "handler": factories.official(coverage, Role.HANDLER),
        "approver": factories.official(coverage, Role.APPROVER),
    }


@pytest.fixture
def waiting(reference_service: Service) -> Case:
    """A guest's case (Marta Díaz, marta@example.co) waiting for her information."""
    with clock.frozen(at("2026-03-02")):
        case = file_one(reference_service).case
    with clock.frozen(at("2026-03-03")):
        return factories.information_requested(case, "Envíe el recibo.")


def emailed_link(case: Case, event: str) -> str:
    notice = Notification.objects.get(reference=case.filing_number, event=event, channel="email")
    return urlsplit(notice.context["tracking_path"]).path


def test_the_guest_answers_from_the_emailed_link_and_the_clock_restarts(waiting: Case) -> None:
    link = emailed_link(waiting, "information_requested")
    assert link.startswith(f"/solicitudes/{waiting.filing_number}/acceso/")
    guest = Client()
    page = guest.get(link, follow=True)
    html = page.content.decode()
    assert page.redirect_chain[-1][0] == f"/solicitudes/{waiting.filing_number}/"
    assert "Envíe el recibo." in html  # what was asked
    assert f'action="/solicitudes/{waiting.filing_number}/responder/"' in html
    with clock.frozen(at("2026-03-05")):
        answered = guest.post(
            f"/solicitudes/{waiting.filing_number}/responder/",
            {
                "respuesta": "Adjunto el recibo de la luz.",
                "adjuntos": SimpleUploadedFile("recibo.pdf", PDF, "application/pdf"),
            },
        )
    assert answered.status_code == 302
    case = Case.objects.get(pk=waiting.pk)
    assert not case.is_paused and case.stage == "revision"
    assert case.documents.filter(original_name="recibo.pdf").exists()
    event = case.timeline.order_by("-sequence").first()
    assert event is not None and event.actor_label == "Marta Díaz" and event.actor_id is None
    assert Message.objects.filter(case=case, from_citizen=True, author=None).exists()
    guest.post(f"/solicitudes/{case.filing_number}/mensaje/", {"mensaje": "¿Ya lo recibieron?"})
    assert case.messages.filter(body="¿Ya lo recibieron?", from_citizen=True).exists()


def test_the_guest_reads_the_answer_and_downloads_its_document(
    reference_service: Service, staff: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    with clock.frozen(at("2026-03-02")):
        case = file_one(reference_service).case
    with clock.frozen(at("2026-03-04")), django_capture_on_commit_callbacks(execute=True):
        case = case_transition(case=case, action="iniciar_revision", actor=staff["handler"])
        case = case_transition(
            case=case,
            action="negar",
            actor=staff["approver"],
            payload=TransitionInput(comment="No hay cupos en la localidad."),
        )
    link = emailed_link(case, "case_closed")
    guest = Client()
    html = guest.get(link, follow=True).content.decode()
    assert "No hay cupos en la localidad." in html
    # The answer comes first, before the route, with its document one tap away.
    assert html.index("No hay cupos en la localidad.") < html.index('id="case-status"')
    issued = case.issued_documents.get(kind="answer")
    assert (
        f'href="/solicitudes/{case.filing_number}/expedidos/{issued.pk}/" download>'
        f"Descargar la respuesta {issued.number} (PDF)</a>"
    ) in html
    download = guest.get(f"/solicitudes/{case.filing_number}/expedidos/{issued.pk}/")
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    response = case.documents.get(is_response=True)
    download = guest.get(f"/solicitudes/{case.filing_number}/documentos/{response.pk}/")
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_a_forged_or_foreign_link_opens_nothing(waiting: Case) -> None:
    token = guest_token(waiting)
    guest = Client()
    for path in [
        f"/solicitudes/{waiting.filing_number}/acceso/{token[:-2]}xx/",  # forged
        f"/solicitudes/SED-2026-999999/acceso/{token}/",  # another number
    ]:
        page = guest.get(path)
        assert page.status_code == 404 and "Este enlace ya no sirve" in page.content.decode()
    # The case's email changed: the old link no longer opens it.
    Case.objects.filter(pk=waiting.pk).update(contact_email="otra@example.co")
    assert guest.get(f"/solicitudes/{waiting.filing_number}/acceso/{token}/").status_code == 404
    # Without the link, the page sends the visitor to sign in; posting changes nothing.
    page = Client().get(f"/solicitudes/{waiting.filing_number}/")
    assert page.status_code == 302 and "/cuenta/login/" in page["Location"]
    Client().post(f"/solicitudes/{waiting.filing_number}/responder/", {"respuesta": "x"})
    assert Case.objects.get(pk=waiting.pk).is_paused


def test_a_link_expires(waiting: Case, monkeypatch: pytest.MonkeyPatch) -> None:
    token = guest_token(waiting)
    import time

    later = time.time() + 121 * 24 * 3600
    monkeypatch.setattr(time, "time", lambda: later)
    assert Client().get(f"/solicitudes/{waiting.filing_number}/acceso/{token}/").status_code == 404


def test_one_guests_link_does_not_open_another_guests_case(
    waiting: Case, reference_service: Service
) -> None:
    with clock.frozen(at("2026-03-02")):
        other = file_one(
            reference_service,
            contact=Contact(name="Pedro Ruiz", email="pedro@example.co"),
        ).case
    guest = Client()
    guest.get(f"/solicitudes/{waiting.filing_number}/acceso/{guest_token(waiting)}/")
    assert guest.get(f"/solicitudes/{waiting.filing_number}/").status_code == 200
    assert guest.get(f"/solicitudes/{other.filing_number}/").status_code == 302  # to sign in


def test_a_signed_in_citizen_cannot_use_a_guests_case_page(waiting: Case) -> None:
    citizen = Client()
    citizen.force_login(factories.user("ana@example.co"))
    assert citizen.get(f"/solicitudes/{waiting.filing_number}/").status_code == 404


def test_whoever_tracks_with_the_code_may_have_the_link_sent_to_the_guests_email(
    reference_service: Service, django_capture_on_commit_callbacks: Any
) -> None:
    with clock.frozen(at("2026-03-02")):
        filing = file_one(reference_service)
    visitor = Client()
    visitor.post(
        "/seguimiento/",
        {"filing_number": filing.case.filing_number, "code": filing.verification_code},
    )
    page = visitor.get(f"/seguimiento/{filing.case.filing_number}/").content.decode()
    assert "Enviarme el enlace" in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(5):
            visitor.post(f"/seguimiento/{filing.case.filing_number}/enlace/")
    sent = [m for m in mail.outbox if "Enlace para ver y responder" in m.subject]
    assert len(sent) == 3  # at most three an hour
    assert sent[0].to == ["marta@example.co"]
    assert f"/solicitudes/{filing.case.filing_number}/acceso/" in sent[0].body
    # A stranger who did not prove the code cannot ask for it.
    assert Client().post(f"/seguimiento/{filing.case.filing_number}/enlace/").status_code == 404


def test_the_services_refuse_the_guest_role_on_a_case_with_an_account(
    reference_service: Service,
) -> None:
    citizen = factories.user("ana@example.co")
    with clock.frozen(at("2026-03-02")):
        case = file_one(
            reference_service, filer_kind="citizen", applicant=citizen, contact=None
        ).case
    assert actions_for(case, user=None, as_actor=Actor.GUEST) == []
    with pytest.raises(NotAllowed):
        message_post(case=case, author=None, body="Hola", as_actor=Actor.GUEST)
    with pytest.raises(NotAllowed), clock.frozen(at("2026-03-03")):
        case_transition(case=case, action="desistir", actor=None, as_actor=Actor.GUEST)


def test_the_link_does_not_carry_the_email_address(waiting: Case) -> None:
    import base64

    token = guest_token(waiting)
    payload = token.split(":")[0]
    decoded = base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)).decode()
    assert "marta" not in decoded and "example.co" not in decoded


def test_an_english_speaking_guest_gets_the_link_in_english(waiting: Case) -> None:
    from ventanilla.cases.notify import case_link

    path = urlsplit(case_link(waiting, "en")).path
    assert path.startswith(f"/en/requests/{waiting.filing_number}/access/")
    page = Client().get(path, follow=True)
    assert page.redirect_chain[-1][0] == f"/en/requests/{waiting.filing_number}/"
    html = page.content.decode()
    assert "We asked you for information" in html and ">Send the information</button>" in html
