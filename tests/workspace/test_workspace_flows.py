"""The official's day: inbox, assignment, actions, a response document, transfers, assisted
filing."""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests import factories
from tests.cases.test_case_file import PDF, file_one
from tests.catalog.test_formkit import GOOD
from tests.portal.test_filing import SECTIONS
from ventanilla.accounts.models import Consent, User
from ventanilla.cases.models import AssignmentMode, AssignmentRule, Case
from ventanilla.cases.uploads import Upload
from ventanilla.catalog.models import Service
from ventanilla.catalog.services import service_version_create, service_version_publish
from ventanilla.core import clock
from ventanilla.organization.models import Dependency, Role

BOGOTA = ZoneInfo("America/Bogota")


def at(day: str, hour: int = 10) -> datetime:
    return datetime.fromisoformat(day).replace(hour=hour, tzinfo=BOGOTA)


def login(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


def test_inbox_sorts_by_due_date_and_its_query_count_does_not_grow(
    client: Client, reference_service: Service, team: dict[str, Any]
) -> None:
    for day in ["2026-03-10", "2026-03-02", "2026-03-05"]:
        with clock.frozen(at(day)):
            file_one(reference_service)
    login(client, team["handler"])
    html = client.get("/espacio/?pestana=unassigned").content.decode()
    numbers = re.findall(r">(SED-2026-\d{6})<", html)
    due = {c.filing_number: c.due_date for c in Case.objects.all()}
    assert numbers == sorted(numbers, key=lambda n: due[n])
    with CaptureQueriesContext(connection) as few:
        client.get("/espacio/?pestana=unassigned")
    for _ in range(12):
        file_one(reference_service)
    with CaptureQueriesContext(connection) as many:
        client.get("/espacio/?pestana=unassigned")
    assert len(many) == len(few)


def test_inbox_search_finds_by_name_document_words_and_number(
    client: Client, reference_service: Service, team: dict[str, Any]
) -> None:
    case = file_one(reference_service).case  # Marta Díaz, asks about Venezuela
    other = file_one(reference_service, answers={**GOOD, "pais_origen": "Perú"}).case
    login(client, team["handler"])
    for query in ["marta diaz", "MARTA", case.filing_number.lower()]:
        html = client.get(f"/espacio/?pestana=unassigned&q={query}").content.decode()
        assert case.filing_number in html, query
    html = client.get("/espacio/?pestana=unassigned&q=venezuela").content.decode()
    assert case.filing_number in html and other.filing_number not in html
    html = client.get("/espacio/?pestana=unassigned&q=perú").content.decode()
    assert other.filing_number in html and case.filing_number not in html


def test_inbox_filters_by_service_by_name_and_then_by_stage(
    client: Client, reference_service: Service, team: dict[str, Any]
) -> None:
    waiting, reviewed = file_one(reference_service).case, file_one(reference_service).case
    login(client, team["handler"])
    client.post(f"/espacio/casos/{reviewed.filing_number}/accion/iniciar_revision/")
    html = client.get("/espacio/?pestana=unassigned").content.decode()
    title = reference_service.title_es
    assert f'<option value="{reference_service.slug}">{title}</option>' in html
    assert 'name="etapa"' not in html  # stages belong to a service: chosen after it
    html = client.get(
        f"/espacio/?pestana=mine&servicio={reference_service.slug}&etapa=revision"
    ).content.decode()
    assert '<option value="revision" selected>En revisión</option>' in html
    assert reviewed.filing_number in html and waiting.filing_number not in html
    html = client.get(
        f"/espacio/?pestana=unassigned&servicio={reference_service.slug}&etapa=recibida"
    ).content.decode()
    assert waiting.filing_number in html and reviewed.filing_number not in html


def test_an_approver_finds_the_answers_drafted_for_approval_in_their_own_tab(
    client: Client, reference_service: Service, team: dict[str, Any]
) -> None:
    drafted, other = file_one(reference_service).case, file_one(reference_service).case
    officer = login(Client(), team["handler"])
    officer.post(f"/espacio/casos/{drafted.filing_number}/accion/iniciar_revision/")
    officer.post(f"/espacio/casos/{drafted.filing_number}/accion/pasar_asignacion/")
    officer.post(
        f"/espacio/casos/{drafted.filing_number}/proyectar/", {"respuesta": "Se asigna cupo."}
    )
    assert "Respuestas por aprobar" not in officer.get("/espacio/").content.decode()
    # A handler asking for the tab by its address gets nothing: approving is not theirs.
    html = officer.get("/espacio/?pestana=to_approve").content.decode()
    assert drafted.filing_number not in html
    login(client, team["approver"])
    html = client.get("/espacio/?pestana=to_approve").content.decode()
    assert "Respuestas por aprobar" in html
    assert drafted.filing_number in html and other.filing_number not in html
    client.post(
        f"/espacio/casos/{drafted.filing_number}/accion/asignar_cupo/",
        {"comentario": "Se asigna cupo."},
    )
    assert drafted.filing_number not in client.get("/espacio/?pestana=to_approve").content.decode()


def test_the_approver_who_drafted_an_answer_does_not_find_it_to_approve(
    client: Client, reference_service: Service, team: dict[str, Any]
) -> None:
    case = file_one(reference_service).case
    head = login(Client(), team["approver"])
    head.post(f"/espacio/casos/{case.filing_number}/accion/iniciar_revision/")
    head.post(f"/espacio/casos/{case.filing_number}/accion/pasar_asignacion/")
    head.post(f"/espacio/casos/{case.filing_number}/proyectar/", {"respuesta": "Se asigna cupo."})
    assert case.filing_number not in head.get("/espacio/?pestana=to_approve").content.decode()
    page = head.get(f"/espacio/casos/{case.filing_number}/").content.decode()
    assert "Usted proyectó esta respuesta" in page and "/accion/asignar_cupo/" not in page
    refused = head.post(
        f"/espacio/casos/{case.filing_number}/accion/asignar_cupo/", {"comentario": "Sí."}
    )
    assert refused.status_code in {302, 403}
    assert not Case.objects.get(pk=case.pk).is_closed
    second = factories.official(case.dependency, Role.APPROVER)
    factories.enrol_totp(second)
    html = login(client, second).get("/espacio/?pestana=to_approve").content.decode()
    assert case.filing_number in html


def test_the_inbox_shows_which_citizens_wrote_and_wait_for_an_answer(
    client: Client, reference_service: Service, team: dict[str, Any]
) -> None:
    citizen = factories.user("ana@example.co", first_name="Ana")
    case = file_one(reference_service, filer_kind="citizen", applicant=citizen, contact=None).case
    quiet = file_one(reference_service).case
    writer = Client()
    writer.force_login(citizen)
    writer.post(f"/mi-cuenta/solicitudes/{case.filing_number}/mensaje/", {"mensaje": "¿Y?"})
    login(client, team["handler"])

    def waiting_rows() -> list[str]:
        html = client.get("/espacio/?pestana=unassigned").content.decode()
        rows = html.split("<tr class=")[1:]
        return [r for r in rows if "El ciudadano escribió" in r]

    (row,) = waiting_rows()
    assert case.filing_number in row and quiet.filing_number not in row
    client.post(
        f"/espacio/casos/{case.filing_number}/mensaje/", {"mensaje": "Ya lo estamos revisando."}
    )
    assert waiting_rows() == []


def test_a_handler_finds_a_colleagues_case_under_all_open_cases(
    client: Client, reference_service: Service, team: dict[str, Any]
) -> None:
    case = file_one(reference_service).case
    colleague = login(Client(), team["colleague"])
    colleague.post(f"/espacio/casos/{case.filing_number}/accion/iniciar_revision/")
    login(client, team["handler"])
    for tab in ["mine", "unassigned"]:
        assert case.filing_number not in client.get(f"/espacio/?pestana={tab}").content.decode()
    html = client.get(f"/espacio/?pestana=all&q={case.filing_number}").content.decode()
    assert "Todos los abiertos" in html and case.filing_number in html
    # Nothing outside the official's dependencies shows there.
    outsider = factories.official(
        factories.dependency("DLE-19", parent=Dependency.objects.get(code="DIR-COBERTURA").parent),
        Role.HANDLER,
    )
    factories.enrol_totp(outsider)
    html = login(Client(), outsider).get("/espacio/?pestana=all").content.decode()
    assert case.filing_number not in html


def test_sending_a_case_for_sign_off_carries_the_drafted_answer_to_the_approver(
    client: Client, reference_service: Service, team: dict[str, Any]
) -> None:
    drafted, bare = file_one(reference_service).case, file_one(reference_service).case
    officer = login(Client(), team["handler"])
    for case, comment in [(drafted, "Se asigna cupo en el Colegio Kennedy."), (bare, "")]:
        officer.post(f"/espacio/casos/{case.filing_number}/accion/iniciar_revision/")
        officer.post(
            f"/espacio/casos/{case.filing_number}/accion/pasar_asignacion/",
            {"comentario": comment},
        )
    assert Case.objects.get(pk=drafted.pk).response_draft == "Se asigna cupo en el Colegio Kennedy."
    login(client, team["approver"])
    html = client.get("/espacio/?pestana=to_approve").content.decode()
    # Both wait where only an approver may answer; one with the answer already written.
    assert drafted.filing_number in html and bare.filing_number in html
    page = client.get(f"/espacio/casos/{drafted.filing_number}/").content.decode()
    assert ">Se asigna cupo en el Colegio Kennedy.</textarea>" in page


def test_claim_assign_release(
    client: Client, reference_service: Service, team: dict[str, Any]
) -> None:
    case = file_one(reference_service).case
    login(client, team["handler"])
    base = f"/espacio/casos/{case.filing_number}/asignar/"
    client.post(base, {"a": "mi"})
    case.refresh_from_db()
    assert case.assignee == team["handler"]
    assert case.filing_number in client.get("/espacio/?pestana=mine").content.decode()
    client.post(base, {"a": str(team["colleague"].pk)})
    assert "workspace_errors" not in client.session, client.session.get("workspace_errors")
    case.refresh_from_db()
    assert case.assignee == team["colleague"]
    # The handler cannot take it back from a colleague; the supervisor can release it.
    client.post(base, {"a": "mi"})
    case.refresh_from_db()
    assert case.assignee == team["colleague"]
    login(client, team["supervisor"])
    client.post(base, {"a": "nadie"})
    case.refresh_from_db()
    assert case.assignee is None


@pytest.mark.parametrize("mode", [AssignmentMode.ROUND_ROBIN, AssignmentMode.FEWEST_OPEN])
def test_automatic_assignment_at_filing(
    reference_service: Service, team: dict[str, Any], mode: str
) -> None:
    coverage = Dependency.objects.get(code="DIR-COBERTURA")
    AssignmentRule.objects.create(dependency=coverage, mode=mode)
    assignees = [file_one(reference_service).case.assignee for _ in range(6)]
    handlers = {team["handler"], team["colleague"], team["approver"]}
    assert set(assignees) == handlers
    assert all(assignees.count(h) == 2 for h in handlers)


def test_request_information_extend_draft_and_approve_with_a_pdf(
    client: Client,
    reference_service: Service,
    team: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    citizen = factories.user("ana@example.co", first_name="Ana")
    with clock.frozen(at("2026-03-02")):
        case = file_one(
            reference_service, filer_kind="citizen", applicant=citizen, contact=None
        ).case
    number = case.filing_number
    officer = login(client, team["handler"])
    with clock.frozen(at("2026-03-03")):
        officer.post(f"/espacio/casos/{number}/accion/iniciar_revision/")
        officer.post(
            f"/espacio/casos/{number}/accion/pedir_informacion/",
            {"comentario": "Envíe el registro civil."},
        )
    case.refresh_from_db()
    assert case.is_paused
    citizen_client = Client()
    citizen_client.force_login(citizen)
    with clock.frozen(at("2026-03-05")):
        citizen_client.post(
            f"/mi-cuenta/solicitudes/{number}/responder/", {"respuesta": "Adjunto."}
        )
    case.refresh_from_db()
    assert not case.is_paused and case.due_date.isoformat() == "2026-03-26"
    with clock.frozen(at("2026-03-06")):
        officer.post(
            f"/espacio/casos/{number}/accion/prorrogar/",
            {"comentario": "Muchas solicitudes.", "nueva_fecha": "2026-04-08"},
        )
        officer.post(f"/espacio/casos/{number}/accion/pasar_asignacion/")
        officer.post(
            f"/espacio/casos/{number}/proyectar/",
            {"respuesta": "Se asigna cupo en el Colegio Kennedy."},
        )
        refused = officer.post(f"/espacio/casos/{number}/accion/asignar_cupo/", {"comentario": "x"})
    assert refused.status_code == 302 and not Case.objects.get(pk=case.pk).is_closed
    approver = Client()
    approver.force_login(team["approver"])
    page = approver.get(f"/espacio/casos/{number}/").content.decode()
    assert "Se asigna cupo en el Colegio Kennedy." in page  # the draft is there to approve
    # The full route reads in the workflow's words, not in its keys.
    route = page[page.index('id="route-title"') :]
    assert "<strong>Pedir información al ciudadano</strong>: En revisión → Esperando" in route
    assert "<strong>Prorrogar el término</strong>" in route
    assert "Vence: 8 de abril de 2026" in route
    assert "<strong>Respuesta proyectada para aprobación</strong>" in route
    assert "request_information" not in route and "esperando_ciudadano" not in route
    with clock.frozen(at("2026-03-09")), django_capture_on_commit_callbacks(execute=True):
        approver.post(
            f"/espacio/casos/{number}/accion/asignar_cupo/",
            {"comentario": "Se asigna cupo en el Colegio Kennedy."},
        )
    case.refresh_from_db()
    assert case.is_closed and case.stage == "cerrada"
    response = case.documents.get(is_response=True)
    assert response.original_name == "respuesta-SED-2026-S000001.pdf"
    page = citizen_client.get(f"/mi-cuenta/solicitudes/{number}/").content.decode()
    assert "Se asigna cupo en el Colegio Kennedy." in page  # the answer, on the page too
    download = citizen_client.get(f"/solicitudes/{number}/documentos/{response.pk}/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"%PDF")


def test_competence_transfer_keeps_the_number_and_both_entities_see_it(
    client: Client, reference_service: Service, team: dict[str, Any]
) -> None:
    sg_root = factories.dependency("DESPACHO-SG", entity_code="SG")
    sg_official = factories.official(sg_root, Role.HANDLER)
    factories.enrol_totp(sg_official)
    # The receiving entity already numbered cases 1 and 2 of its own this year: the moved case
    # keeps its SED number and must not collide with them.
    sg_service = Service.objects.create(
        slug="peticion-sg",
        entity=sg_root.entity,
        dependency=sg_root,
        category=reference_service.category,
        kind="petition",
        channels=["online"],
    )
    published = service_version_create(
        service=sg_service, definition=reference_service.versions.get().definition
    )
    service_version_publish(version=published)
    with clock.frozen(at("2026-03-02")):
        for _ in range(2):
            file_one(sg_service)
    with clock.frozen(at("2026-03-02")):
        late = file_one(reference_service).case
        case = file_one(reference_service).case
    officer = login(client, team["handler"])
    with clock.frozen(at("2026-03-10")):  # 6 business days after reception: too late
        officer.post(
            f"/espacio/casos/{late.filing_number}/accion/trasladar/",
            {"comentario": "No es de la SED.", "entidad": str(sg_root.entity_id)},
        )
    late.refresh_from_db()
    assert late.entity.code == "SED"
    with clock.frozen(at("2026-03-06")):
        officer.post(
            f"/espacio/casos/{case.filing_number}/accion/trasladar/",
            {"comentario": "Compete a la Secretaría General.", "entidad": str(sg_root.entity_id)},
        )
    case.refresh_from_db()
    assert case.entity.code == "SG" and case.filing_number.startswith("SED-2026-")
    assert (case.filing_entity.code, case.sequence) == ("SED", 2)
    assert case.received_on.isoformat() == "2026-03-06"  # the receiving entity's own reception
    sg = Client()
    sg.force_login(sg_official)
    assert case.filing_number in sg.get("/espacio/?pestana=unassigned").content.decode()
    transferred = officer.get("/espacio/?pestana=transferred").content.decode()
    assert case.filing_number in transferred
    assert officer.get(f"/espacio/casos/{case.filing_number}/").status_code == 200  # read-only
    assert (
        officer.post(f"/espacio/casos/{case.filing_number}/accion/iniciar_revision/").status_code
        == 403
    )


def test_assisted_filing_for_a_new_citizen_registers_them_with_verbal_consent(
    client: Client, reference_service: Service, team: dict[str, Any]
) -> None:
    login(client, team["handler"])
    data = {
        "channel": "in_person",
        "id_type": "CC",
        "id_number": "79.845.123",
        "first_name": "José",
        "last_name": "Pérez",
        "email": "jose@example.co",
        "phone": "3201234567",
        "consent": "on",
        "document_seen": "on",
        "idempotency_key": "mostrador-1",
    }
    for _key, section in SECTIONS:
        data.update(section)
    from django.core.files.uploadedfile import SimpleUploadedFile

    data["documento_documento_estudiante"] = SimpleUploadedFile(
        "ti.pdf", factories.pdf_bytes("x"), "application/pdf"
    )
    response = client.post("/espacio/radicar/solicitud-cupo-escolar/", data)
    html = response.content.decode()
    case = Case.objects.get()
    assert case.filing_number in html and "receipt__code" in html
    assert (case.channel, case.filed_by) == ("in_person", team["handler"])
    jose = User.objects.get(id_number="79845123")
    assert case.applicant == jose
    assert (jose.id_verification, jose.id_verified_by) == ("official", team["handler"])
    consent = Consent.objects.get(user=jose)
    assert (consent.method, consent.recorded_by) == ("verbal_counter", team["handler"])


def test_assisted_filing_without_consent_files_nothing_and_keeps_the_answers(
    client: Client, reference_service: Service, team: dict[str, Any]
) -> None:
    login(client, team["handler"])
    data = {
        "channel": "phone",
        "id_type": "CC",
        "id_number": "79845123",
        "first_name": "José",
        "last_name": "Pérez",
        "phone": "3201234567",
    }
    for _key, section in SECTIONS:
        data.update(section)
    html = client.post("/espacio/radicar/solicitud-cupo-escolar/", data).content.decode()
    assert not Case.objects.exists()
    assert "Sin la autorización no se puede radicar." in html
    assert 'value="Sofía Ramírez"' in html


def test_the_team_page_is_for_supervisors_and_shows_workload(
    client: Client, reference_service: Service, team: dict[str, Any]
) -> None:
    with clock.frozen(at("2026-03-02")):
        case = file_one(reference_service).case
    login(client, team["handler"])
    client.post(f"/espacio/casos/{case.filing_number}/asignar/", {"a": "mi"})
    assert client.get("/espacio/equipo/").status_code == 403
    login(client, team["supervisor"])
    with clock.frozen(at("2026-04-01")):
        from ventanilla.cases.upkeep import cases_refresh_sla

        cases_refresh_sla()
    html = client.get("/espacio/equipo/").content.decode()
    assert "Hugo" in html and case.filing_number in html  # overdue, listed for the supervisor


def test_a_supervisor_reopens_a_closed_case_and_a_handler_cannot(
    client: Client,
    reference_service: Service,
    team: dict[str, Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    with clock.frozen(at("2026-03-02")):
        case = file_one(reference_service).case
    number = case.filing_number
    login(client, team["approver"])
    with clock.frozen(at("2026-03-03")), django_capture_on_commit_callbacks(execute=True):
        client.post(f"/espacio/casos/{number}/accion/iniciar_revision/")
        client.post(f"/espacio/casos/{number}/accion/negar/", {"comentario": "No hay cupos."})
    case.refresh_from_db()
    assert case.is_closed and case.documents.filter(is_response=True).exists()
    login(client, team["handler"])
    client.post(f"/espacio/casos/{number}/accion/reabrir/", {"comentario": "Revisar."})
    case.refresh_from_db()
    assert case.is_closed
    login(client, team["supervisor"])
    with clock.frozen(at("2026-03-04")):
        client.post(f"/espacio/casos/{number}/accion/reabrir/", {"comentario": "Hay un cupo."})
    case.refresh_from_db()
    assert not case.is_closed and case.stage == "revision"
    assert case.sla_state != "closed"


def test_a_refused_action_keeps_what_the_official_typed(
    client: Client, reference_service: Service, team: dict[str, Any]
) -> None:
    with clock.frozen(at("2026-03-02")):
        case = file_one(reference_service).case
    number = case.filing_number
    login(client, team["handler"])
    with clock.frozen(at("2026-03-03")):
        client.post(f"/espacio/casos/{number}/accion/iniciar_revision/")
        response = client.post(
            f"/espacio/casos/{number}/accion/prorrogar/",
            {"comentario": "Muchas solicitudes este mes.", "nueva_fecha": "2026-12-31"},
            follow=True,
        )
    html = response.content.decode()
    assert "no puede pasar del" in html
    assert "Muchas solicitudes este mes." in html
    assert 'value="2026-12-31"' in html


def test_in_english_the_case_says_when_it_was_filed_not_filing_number_twice(
    client: Client, reference_service: Service, team: dict[str, Any]
) -> None:
    case = file_one(reference_service).case
    login(client, team["handler"])
    html = client.get(f"/en/workspace/cases/{case.filing_number}/").content.decode()
    assert "<dt>Filed</dt>" in html
    assert "<strong>Filed</strong>: Received" in html


def test_the_official_reads_the_answers_as_the_citizen_did(
    client: Client, reference_service: Service, team: dict[str, Any]
) -> None:
    receipt = Upload("recibo_servicio", "recibo.pdf", PDF)
    student = Upload("documento_estudiante", "ti.pdf", PDF)
    case = file_one(
        reference_service,
        answers={**GOOD, "recibo": "recibo_servicio"},
        documents=[student, receipt],
    ).case
    page = login(client, team["handler"]).get(f"/espacio/casos/{case.filing_number}/")
    html = page.content.decode()
    assert "<dt>Grado que va a cursar</dt><dd>Primero</dd>" in html
    assert "<dd>Calle 38 Sur No. 72-15, Kennedy</dd>" in html
    assert "<dd>Sí</dd>" in html
    assert "<dd>recibo_servicio</dd>" not in html  # the documents list shows the file instead
    assert "recibo.pdf" in html
