"""A case past its due date says so plainly on the citizen's pages, and what they can do about
it: write to the office, or complain about the delay; a case on time says neither."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client

from tests import factories
from tests.cases.test_case_file import file_one
from ventanilla.cases.models import Case
from ventanilla.catalog.models import Service
from ventanilla.core import clock


def track(client: Client, case: Case, code: str) -> str:
    client.post("/seguimiento/", {"filing_number": case.filing_number, "code": code})
    response = client.get(f"/seguimiento/{case.filing_number}/")
    assert response.status_code == 200
    return response.content.decode()


def test_an_overdue_case_says_so_and_offers_a_complaint(
    client: Client, reference_service: Service
) -> None:
    complaint = factories.service_variant(reference_service, "queja-por-demora")
    Service.objects.filter(pk=complaint.pk).update(petition_type="complaint")
    filing = file_one(reference_service)
    case = filing.case
    on_time = track(client, case, filing.verification_code)
    assert "Su solicitud está vencida" not in on_time
    assert "Le responderemos a más tardar el" in on_time

    Case.objects.filter(pk=case.pk).update(due_date=clock.now().date() - timedelta(days=3))
    overdue = track(client, case, filing.verification_code)
    assert "Su solicitud está vencida" in overdue
    assert "Debíamos responderle a más tardar el" in overdue
    assert "Le responderemos a más tardar el" not in overdue
    assert 'href="/tramites/queja-por-demora/"' in overdue
    assert case.filing_number in overdue


def test_a_case_waiting_for_the_citizen_is_not_called_overdue(
    client: Client, reference_service: Service
) -> None:
    filing = file_one(reference_service)
    case = factories.information_requested(filing.case, "Envíe el recibo.")
    Case.objects.filter(pk=case.pk).update(due_date=clock.now().date() - timedelta(days=3))
    assert "Su solicitud está vencida" not in track(client, case, filing.verification_code)
