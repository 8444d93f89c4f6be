"""Filing: numbers, the legal clock from reception, the route's first event, the receipt."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from tests import factories
from tests.catalog.test_formkit import GOOD
from tests.factories import pdf_bytes
from ventanilla.accounts.selectors import consent_text_current
from ventanilla.cases.filing import Contact, FilingError, case_file, code_hash
from ventanilla.cases.models import Case, FilerKind
from ventanilla.cases.timeline import verify_chain
from ventanilla.cases.uploads import Upload
from ventanilla.catalog.models import Service
from ventanilla.core import clock

BOGOTA = ZoneInfo("America/Bogota")
PDF = pdf_bytes("prueba")


def file_one(service: Service, **overrides: Any) -> Any:
    arguments: dict[str, Any] = {
        "service_version": service.versions.get(),
        "answers": GOOD,
        "filer_kind": FilerKind.GUEST,
        "contact": Contact(name="Marta Díaz", email="marta@example.co"),
        "documents": [Upload("documento_estudiante", "ti.pdf", PDF)],
        "consent_text": consent_text_current(),
    }
    arguments.update(overrides)
    return case_file(**arguments)


def test_filing_numbers_the_case_and_starts_its_clock(
    reference_service: Service, django_capture_on_commit_callbacks: Any
) -> None:
    with (
        clock.frozen(datetime(2026, 3, 27, 10, 0, tzinfo=BOGOTA)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        filing = file_one(reference_service)
    case = filing.case
    assert case.filing_number == "SED-2026-000001"
    assert case.received_on == date(2026, 3, 27)
    assert case.due_date == date(2026, 4, 21)  # 15 business days, Holy Week in between
    assert case.sla_state == "on_time"
    assert case.verification_hash == code_hash(case.filing_number, filing.verification_code)
    assert case.documents.get().sha256
    assert verify_chain(case, case.timeline.all()) is None
    receipt = mail.outbox[-1]
    assert receipt.to == ["marta@example.co"]
    assert "SED-2026-000001" in receipt.body and filing.verification_code in receipt.body


def test_after_the_cutoff_it_is_received_the_next_business_day(reference_service: Service) -> None:
    with clock.frozen(datetime(2026, 4, 1, 17, 30, tzinfo=BOGOTA)):
        case = file_one(reference_service).case
    assert case.received_on == date(2026, 4, 6)  # Holy Thursday and Good Friday in between


def test_numbers_restart_each_year(reference_service: Service) -> None:
    with clock.frozen(datetime(2026, 12, 31, 23, 0, tzinfo=BOGOTA)):
        assert file_one(reference_service).case.filing_number == "SED-2026-000001"
    with clock.frozen(datetime(2027, 1, 1, 0, 30, tzinfo=BOGOTA)):
        assert file_one(reference_service).case.filing_number == "SED-2027-000001"


def test_bad_answers_store_nothing_and_burn_no_number(reference_service: Service) -> None:
    with pytest.raises(FilingError) as raised:
        file_one(reference_service, answers={**GOOD, "grado": "doctorado"})
    assert "grado" in raised.value.errors
    assert not Case.objects.exists()
    assert file_one(reference_service).case.sequence == 1


def test_a_missing_mandatory_document_is_an_error(reference_service: Service) -> None:
    with pytest.raises(FilingError) as raised:
        file_one(reference_service, documents=[])
    assert "documents.documento_estudiante" in raised.value.errors


def test_a_file_that_is_not_what_it_claims_is_refused(reference_service: Service) -> None:
    fake = Upload("documento_estudiante", "ti.pdf", b"MZ\x90\x00 not a pdf")
    with pytest.raises(FilingError) as raised:
        file_one(reference_service, documents=[fake])
    assert "documents.documento_estudiante" in raised.value.errors


def test_without_consent_nothing_is_filed(reference_service: Service) -> None:
    with pytest.raises(FilingError) as raised:
        file_one(reference_service, consent_text=None)
    assert "consent" in raised.value.errors
    assert not Case.objects.exists()


def test_anonymous_filing_is_refused_where_the_service_does_not_allow_it(
    reference_service: Service,
) -> None:
    with pytest.raises(FilingError) as raised:
        file_one(reference_service, filer_kind=FilerKind.ANONYMOUS, contact=None)
    assert "filer" in raised.value.errors


def test_a_citizen_files_with_their_own_profile(reference_service: Service) -> None:
    citizen = factories.user(
        "ana@example.co", first_name="Ana", last_name="Rojas", id_type="CC", id_number="52123456"
    )
    case = file_one(
        reference_service, filer_kind=FilerKind.CITIZEN, applicant=citizen, contact=None
    ).case
    assert case.applicant == citizen
    assert case.contact_id_number == "52123456"
    assert case.applicant_name == "Ana Rojas"


def test_a_place_that_does_not_offer_the_service_is_refused(reference_service: Service) -> None:
    """Whatever the surface, the domain checks the service point and the chosen dependency."""
    from ventanilla.organization.models import Dependency, ServicePoint

    with pytest.raises(FilingError) as raised:
        file_one(
            reference_service,
            service_point=ServicePoint.objects.get(code="SEDE"),  # an office; schools offer it
            chosen_dependency=Dependency.objects.get(code="DIR-COBERTURA"),  # not local
        )
    assert {"service_point", "chosen_dependency"} <= set(raised.value.errors)
    assert not Case.objects.exists()
