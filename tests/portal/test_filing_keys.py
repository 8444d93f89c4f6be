"""Online filing: the idempotency key is looked up among the filer's own filings only."""

from __future__ import annotations

from django.test import Client

from tests import factories
from tests.portal.test_filing import BASE, fill_form
from ventanilla.cases.models import Case
from ventanilla.catalog.models import Service


def test_another_citizens_key_does_not_return_their_case(reference_service: Service) -> None:
    first, second = Client(), Client()
    first.force_login(factories.user())
    second.force_login(factories.user())
    key = fill_form(first)
    first.post(f"{BASE}revisar/", {"idempotency_key": key, "consent": "on"})
    fill_form(second)
    # The second browser's draft carries the first one's key.
    session = second.session
    session["filing_drafts"][str(reference_service.pk)]["idempotency_key"] = key
    session.save()
    done = second.post(f"{BASE}revisar/", {"idempotency_key": key, "consent": "on"})
    assert done.status_code == 302
    assert Case.objects.count() == 2
    assert len({case.applicant_id for case in Case.objects.all()}) == 2


def test_a_tracking_number_with_a_nul_is_a_field_error(client: Client, db: None) -> None:
    response = client.post("/seguimiento/", {"filing_number": "SED\x00", "code": "AAAAA-AAAAA"})
    assert response.status_code == 200
    assert "Los caracteres nulos no están permitidos." in response.content.decode()
    response = client.post("/seguimiento/", {"filing_number": "SED\x1b", "code": "AAAAA-AAAAA"})
    assert "Escriba este dato en una sola línea" in response.content.decode()
