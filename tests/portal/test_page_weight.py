"""A first visit to a public page that does not update itself fits in the first round trip of
a new connection (14 KB: ten TCP segments) on a slow phone network: its HTML, CSS and
JavaScript, compressed as they are sent. The pages that poll still get htmx."""

from __future__ import annotations

import gzip
import re
from datetime import time
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.test import Client

from tests.cases.test_case_file import file_one
from ventanilla.catalog.models import Service
from ventanilla.organization.models import Locality, ServicePoint, ServicePointKind

FIRST_ROUND_TRIP = 14 * 1024
ASSET = re.compile(r'<(?:link|script)\b[^>]*?(?:href|src)="/static/([^"?#]+\.(?:css|js))"')


def first_visit(client: Client, url: str) -> tuple[str, int, list[str]]:
    """The page as a browser gets it (its HTML compressed by the server) and the bytes of the
    page and of every stylesheet and script it loads, each compressed with gzip."""
    response = client.get(url, HTTP_ACCEPT_ENCODING="gzip, deflate, br")
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    html = gzip.decompress(response.content).decode()
    total = len(response.content)
    assets = ASSET.findall(html)
    for name in assets:
        path = finders.find(name)
        assert path, name
        total += len(gzip.compress(Path(path).read_bytes(), 9))
    return html, total, assets


@pytest.fixture
def many_points(reference_service: Service) -> None:
    """As many schools with a full week of hours as the page lists without a locality."""
    school = ServicePoint.objects.get(name="Colegio Kennedy IED")
    kennedy = Locality.objects.get(code="08")
    for number in range(2, 26):
        point = ServicePoint.objects.create(
            entity=school.entity,
            dependency=school.dependency,
            code=f"IED-{number:04d}",
            name=f"Colegio Distrital Número {number} Sede A",
            kind=ServicePointKind.SCHOOL,
            address=f"Carrera {number} No. {number + 10}-{number + 20} Sur",
            locality=kennedy,
            phone=f"601 555 {number:04d}",
        )
        for weekday in range(5):
            point.hours.create(weekday=weekday, opens=time(7), closes=time(12))
            point.hours.create(weekday=weekday, opens=time(13), closes=time(16))
        point.hours.create(weekday=5, opens=time(8), closes=time(12))


PAGES = [
    "/",
    "/en/",
    "/tramites/",
    "/tramites/?q=certificado+de+estudios",
    "/tramites/solicitud-cupo-escolar/",
    "/tramites/solicitud-cupo-escolar/?localidad=08",
    "/en/services/solicitud-cupo-escolar/",
    "/seguimiento/",
    "/citas/",
    "/cumplimiento/",
    "/datos-abiertos/",
    "/verificar/",
    "/turnos/",
    "/cupos/",
    "/cuenta/login/",
]


@pytest.mark.parametrize("url", PAGES)
def test_a_first_visit_fits_in_the_first_round_trip(
    client: Client, many_points: None, url: str
) -> None:
    html, total, assets = first_visit(client, url)
    assert "htmx" not in html, "a page that does not poll does not load htmx"
    assert any(a.endswith(".css") for a in assets)  # the page is styled
    assert total <= FIRST_ROUND_TRIP, f"{url}: {total} bytes ({assets})"


def test_the_service_page_with_many_points_is_measured_with_them(
    client: Client, many_points: None
) -> None:
    html = client.get("/tramites/solicitud-cupo-escolar/").content.decode()
    assert html.count('class="point"') == 25


def test_a_page_that_polls_still_loads_htmx(client: Client, reference_service: Service) -> None:
    filing = file_one(reference_service)
    number = filing.case.filing_number
    client.post("/seguimiento/", {"filing_number": number, "code": filing.verification_code})
    html = client.get(f"/seguimiento/{number}/").content.decode()
    assert "hx-trigger" in html
    assert re.search(r'<script src="/static/django_htmx/htmx-2\.min\.[^"]*js" defer>', html)
    assert 'name="htmx-config"' in html
