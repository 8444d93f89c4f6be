"""A citizen adds to their account a case filed without it, with its number and code."""

from __future__ import annotations

from typing import Any

from django.test import Client

from tests import factories
from tests.cases.test_case_file import file_one
from ventanilla.cases.filing import Contact
from ventanilla.cases.models import Case, FilerKind, FilingChannel
from ventanilla.catalog.models import Service
from ventanilla.organization.models import Dependency, Role

CLAIM = "/mi-cuenta/solicitudes/agregar/"


def at_the_counter(service: Service, **contact: str) -> Any:
    values = {"name": "José Pérez", "phone": "3201234567", "id_type": "CC", "id_number": "79845123"}
    values.update(contact)
    official = factories.official(Dependency.objects.get(code="DIR-COBERTURA"), Role.HANDLER)
    return file_one(
        service, contact=Contact(**values), filed_by=official, channel=FilingChannel.IN_PERSON
    )


def test_the_holder_claims_a_counter_case_and_works_it_from_the_account(
    client: Client, reference_service: Service
) -> None:
    filing = at_the_counter(reference_service)
    jose = factories.user("jose@example.co", id_type="CC", id_number="79845123")
    client.force_login(jose)
    assert (
        "Agregue esa solicitud a su cuenta"
        in client.get("/mi-cuenta/solicitudes/").content.decode()
    )
    response = client.post(
        CLAIM, {"filing_number": filing.case.filing_number, "code": filing.verification_code}
    )
    assert response["Location"] == f"/mi-cuenta/solicitudes/{filing.case.filing_number}/"
    case = Case.objects.get()
    assert (case.applicant, case.filer_kind) == (jose, FilerKind.CITIZEN)
    page = client.get(response["Location"]).content.decode()
    assert "La solicitud quedó en la cuenta de quien la radicó." in page
    assert filing.case.filing_number in client.get("/mi-cuenta/solicitudes/").content.decode()


def test_a_wrong_code_or_another_document_claims_nothing(
    client: Client, reference_service: Service
) -> None:
    filing = at_the_counter(reference_service)
    client.force_login(factories.user("otra@example.co", id_type="CC", id_number="1010101"))
    number = filing.case.filing_number
    wrong = client.post(CLAIM, {"filing_number": number, "code": "AAAAA-AAAAA"})
    assert "No encontramos una solicitud con ese número" in wrong.content.decode()
    other = client.post(CLAIM, {"filing_number": number, "code": filing.verification_code})
    html = other.content.decode()
    assert "se radicó con otro documento de identidad" in html
    assert f'value="{number}"' in html  # what was typed stays
    assert Case.objects.get().applicant is None


def test_a_case_in_another_account_or_anonymous_stays_where_it_is(
    client: Client, reference_service: Service
) -> None:
    owner = factories.user("duena@example.co")
    mine = file_one(reference_service, filer_kind=FilerKind.CITIZEN, applicant=owner, contact=None)
    client.force_login(factories.user("otra@example.co"))
    taken = client.post(
        CLAIM, {"filing_number": mine.case.filing_number, "code": mine.verification_code}
    )
    assert "ya está en otra cuenta" in taken.content.decode()
    assert Case.objects.get(pk=mine.case.pk).applicant == owner


def test_claiming_is_limited_like_tracking(client: Client, reference_service: Service) -> None:
    filing = at_the_counter(reference_service)
    client.force_login(factories.user("jose@example.co", id_type="CC", id_number="79845123"))
    for _ in range(5):
        client.post(CLAIM, {"filing_number": filing.case.filing_number, "code": "AAAAA-AAAAA"})
    right = client.post(
        CLAIM, {"filing_number": filing.case.filing_number, "code": filing.verification_code}
    )
    assert "Hubo demasiados intentos" in right.content.decode()
    assert Case.objects.get().applicant is None


def test_signing_in_is_needed(client: Client) -> None:
    assert client.get(CLAIM)["Location"].startswith("/cuenta/login/")
