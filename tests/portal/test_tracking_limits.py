"""Tracking limits count per real client behind our proxies, only wrong codes count, and a
stranger's guesses from elsewhere never lock the owner out."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from tests.cases.test_case_file import file_one
from ventanilla.cases.models import Case
from ventanilla.catalog.models import Service
from ventanilla.core import clock

BOGOTA = ZoneInfo("America/Bogota")
WRONG = "AAAAA-AAAAA"


@pytest.fixture
def filed(reference_service: Service) -> tuple[Case, str]:
    filing = file_one(reference_service)
    return filing.case, filing.verification_code


def track(client: Client, number: str, code: str, address: str) -> Any:
    return client.post(
        "/seguimiento/",
        {"filing_number": number, "code": code},
        REMOTE_ADDR="10.0.0.1",  # the load balancer
        HTTP_X_FORWARDED_FOR=f"203.0.113.250, {address}",  # the first entry is the client's word
    )


def test_behind_one_proxy_each_client_has_its_own_budget(
    client: Client, filed: tuple[Case, str], settings: Any
) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    case, code = filed
    for n in range(20):  # 20 wrong codes from 20 addresses: nobody is stopped
        assert track(Client(), case.filing_number, WRONG, f"198.51.100.{n}").status_code == 200
    owner = track(client, case.filing_number, code, "192.0.2.7")
    assert owner.status_code == 302
    assert owner["Location"] == f"/seguimiento/{case.filing_number}/"


def test_one_client_guessing_is_stopped_and_told_how_long_to_wait(
    client: Client, filed: tuple[Case, str], settings: Any
) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    case, code = filed
    at = datetime(2026, 3, 27, 10, 2, tzinfo=BOGOTA)
    with clock.frozen(at):
        statuses = [
            track(client, case.filing_number, WRONG, "198.51.100.9").status_code for _ in range(6)
        ]
        assert statuses == [200] * 5 + [429]  # five wrong codes for one number
        refused = track(client, case.filing_number, code, "198.51.100.9")
        assert refused.status_code == 429
        assert refused["Retry-After"] == str(13 * 60)  # the 15-minute window ends at 10:15
        assert "Espere 13 minutos" in refused.content.decode()
        # The owner, elsewhere, is not touched by it.
        assert track(Client(), case.filing_number, code, "192.0.2.7").status_code == 302
    with clock.frozen(at + timedelta(minutes=14)):
        assert track(client, case.filing_number, code, "198.51.100.9").status_code == 302


def test_right_codes_never_count(client: Client, filed: tuple[Case, str], settings: Any) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    case, code = filed
    for _ in range(30):  # a school office tracking many times from one address
        assert track(client, case.filing_number, code, "192.0.2.7").status_code == 302


def test_without_trusted_proxies_the_forwarded_header_changes_nothing(
    client: Client, filed: tuple[Case, str], settings: Any
) -> None:
    settings.TRUSTED_PROXY_COUNT = 0
    case, _code = filed
    statuses = [
        track(client, case.filing_number, WRONG, f"198.51.100.{n}").status_code for n in range(12)
    ]
    assert 429 in statuses  # one REMOTE_ADDR, whatever the header claims


def test_a_slow_brake_per_number_stops_guessing_from_many_addresses(
    client: Client, filed: tuple[Case, str], settings: Any
) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    case, _code = filed
    with clock.frozen(datetime(2026, 3, 27, 10, 0, tzinfo=BOGOTA)):
        statuses = [
            track(client, case.filing_number, WRONG, f"198.51.{n // 200}.{n % 200}").status_code
            for n in range(201)
        ]
    assert statuses[:200] == [200] * 200 and statuses[200] == 429


def test_the_api_counts_per_client_too(
    client: Client, filed: tuple[Case, str], settings: Any
) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    case, code = filed

    def api(code: str, address: str) -> Any:
        return client.get(
            f"/api/v1/cases/{case.filing_number}",
            {"code": code},
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=address,
        )

    for n in range(20):
        assert api(WRONG, f"198.51.100.{n}").status_code == 404
    assert api(code, "192.0.2.7").status_code == 200
    for _ in range(5):
        api(WRONG, "198.51.100.99")
    refused = api(code, "198.51.100.99")
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0 and "try again" in refused.json()["detail"]
