"""What an official reads and does, in words: one drafting step, a destination found by typing,
names in the route, a supervisor's figures that filter the inbox."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tests.cases.test_case_file import file_one
from tests.workspace.test_workspace_flows import at, login
from ventanilla.calendars.business import calendar_for
from ventanilla.cases.legal import days_overdue
from ventanilla.cases.models import Case
from ventanilla.cases.upkeep import cases_refresh_sla
from ventanilla.catalog.models import Service
from ventanilla.core import clock
from ventanilla.notifications.models import Notification
from ventanilla.organization.models import Dependency, Level
from ventanilla.organization.selectors import dependencies_matching


def test_only_the_drafting_step_keeps_its_text_as_the_answer_and_the_citizen_is_not_told_it(
    reference_service: Service, team: dict[str, Any]
) -> None:
    case = file_one(reference_service).case
    officer = login(Client(), team["handler"])
    base = f"/espacio/casos/{case.filing_number}/accion/"
    officer.post(f"{base}iniciar_revision/", {"comentario": "Empiezo hoy."})
    assert Case.objects.get(pk=case.pk).response_draft == ""  # a comment, not an answer
    before = Notification.objects.count()
    officer.post(f"{base}pasar_asignacion/", {"comentario": "Se asigna cupo en el Kennedy."})
    case.refresh_from_db()
    assert (case.stage, case.response_draft) == ("asignacion", "Se asigna cupo en el Kennedy.")
    assert case.response_drafted_by == team["handler"]
    told = Notification.objects.all()[before:]
    assert all("Kennedy" not in str(n.context) for n in told)


def test_the_drafting_box_saves_a_draft_without_sending_it(
    reference_service: Service, team: dict[str, Any]
) -> None:
    case = file_one(reference_service).case
    officer = login(Client(), team["handler"])
    officer.post(f"/espacio/casos/{case.filing_number}/accion/iniciar_revision/")
    page = officer.get(f"/espacio/casos/{case.filing_number}/").content.decode()
    assert page.count("Guardar borrador") == 1  # one place to write the answer
    assert "Respuesta proyectada, para quien aprueba" not in page
    # "Guardar borrador" posts the drafting action's own field to the draft's address.
    officer.post(f"/espacio/casos/{case.filing_number}/proyectar/", {"comentario": "Borrador."})
    case.refresh_from_db()
    assert (case.stage, case.response_draft) == ("revision", "Borrador.")
    refused = officer.post(f"/espacio/casos/{case.filing_number}/proyectar/", {"comentario": " "})
    assert refused.status_code == 302
    page = officer.get(f"/espacio/casos/{case.filing_number}/").content.decode()
    assert "Escriba el texto de la respuesta." in page


def test_a_destination_is_found_by_typing_without_accents_and_a_few_at_a_time(
    reference_service: Service, team: dict[str, Any]
) -> None:
    local = Dependency.objects.get(code="DLE-08")
    for number in range(2, 40):
        Dependency.objects.create(
            entity=local.entity,
            parent=local,
            code=f"IED-{number:04d}",
            name=f"Colegio Distrital {number}",
            level=Level.INSTITUTIONAL,
        )
    Dependency.objects.filter(code="IED-0001").update(name="Colegio Técnico Kennedy")
    entity = local.entity_id
    found, more = dependencies_matching(entity_id=entity, text="TECNICO kennedy")
    assert [d.code for d in found] == ["IED-0001"] and not more
    found, more = dependencies_matching(entity_id=entity, text="distrital", limit=20)
    assert len(found) == 20 and more
    assert dependencies_matching(entity_id=entity, text="  ") == ([], False)
    case = file_one(reference_service).case
    officer = login(Client(), team["handler"])
    page = officer.get(f"/espacio/casos/{case.filing_number}/").content.decode()
    assert "Colegio Distrital 2<" not in page and 'name="destino"' in page  # no long list
    page = officer.get(f"/espacio/casos/{case.filing_number}/?destino=tecnico").content.decode()
    assert 'name="dependencia" value="' in page and "Colegio Técnico Kennedy" in page
    page = officer.get(f"/espacio/casos/{case.filing_number}/?destino=zzz").content.decode()
    assert "Ninguna dependencia tiene «zzz» en el nombre o el código." in page


def test_the_route_names_people_and_older_events_are_named_by_their_address(
    reference_service: Service, team: dict[str, Any]
) -> None:
    case = file_one(reference_service).case
    team["handler"].last_name = "Pérez"
    team["handler"].save()
    officer = login(Client(), team["handler"])
    officer.post(f"/espacio/casos/{case.filing_number}/asignar/", {"a": "mi"})
    page = officer.get(f"/espacio/casos/{case.filing_number}/").content.decode()
    assert "De nadie a Hugo Pérez" in page and team["handler"].email not in page
    event = case.timeline.filter(kind="assignment").get()
    assert event.data["to_name"] == "Hugo Pérez"


def test_days_overdue_counts_business_days_after_the_due_date() -> None:
    calendar = calendar_for()
    # Due Monday 23 February 2026; on Tuesday 3 March it is six business days late.
    assert days_overdue(date(2026, 2, 23), date(2026, 3, 3), calendar) == 6
    assert days_overdue(date(2026, 2, 23), date(2026, 2, 23), calendar) == 0
    assert days_overdue(date(2026, 2, 23), date(2026, 2, 1), calendar) == 0


def test_the_team_page_has_figures_that_filter_an_unassigned_row_and_bounded_queries(
    client: Client, reference_service: Service, team: dict[str, Any]
) -> None:
    with clock.frozen(at("2026-02-02")):
        forgotten = file_one(reference_service).case
        held = file_one(reference_service).case
    Case.objects.filter(pk=held.pk).update(assignee=team["handler"])
    with clock.frozen(at("2026-03-03")):
        cases_refresh_sla()
        login(client, team["supervisor"])
        client.get("/espacio/equipo/")  # what is remembered per process is read once
        with CaptureQueriesContext(connection) as few:
            page = client.get("/espacio/equipo/").content.decode()
        for _ in range(5):
            file_one(reference_service)
        with CaptureQueriesContext(connection) as more:
            client.get("/espacio/equipo/")
    assert len(more) == len(few)  # aggregates, not a query per row
    # The counts group the cases by ids alone (an index of open cases holds them all); the
    # names are read after, for the rows shown.
    counting = [query["sql"] for query in few if "COUNT(" in query["sql"]]
    assert len(counting) >= 3 and not [sql for sql in counting if "JOIN" in sql]
    assert "Hugo" in page and "Dependencia DIR-COBERTURA" in page
    assert "Sin asignar" in page and "Por dependencia" in page and "Por servicio" in page
    assert "/espacio/?pestana=team&amp;asignado=nadie&amp;termino=overdue" in page
    html = client.get("/espacio/?pestana=team&asignado=nadie&termino=overdue").content.decode()
    assert forgotten.filing_number in html and held.filing_number not in html
    assert "Solo los casos sin asignar." in html
    # Nonsense in the filters is ignored, not an error.
    assert client.get("/espacio/?pestana=team&asignado=x&dependencia=%27").status_code == 200
    # A handler is refused the team page.
    assert login(Client(), team["handler"]).get("/espacio/equipo/").status_code == 403
