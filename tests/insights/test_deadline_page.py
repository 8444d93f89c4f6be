"""The public page of how well each entity keeps its legal deadlines, from the same cases as the
report (tests/insights/test_report_views.py), with the figures worked out by hand."""

from __future__ import annotations

import re
from html import unescape
from typing import Any

from django.core.cache import cache
from django.test import Client

from tests.insights.test_report_views import at, scenario  # noqa: F401
from ventanilla.core import clock
from ventanilla.insights.refresh import figures_refresh


def text(html: str) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html)))


def test_shares_medians_and_trend_per_entity_and_service(scenario: dict[str, Any]) -> None:  # noqa: F811
    cache.clear()
    with clock.frozen(at("2026-05-10")):
        figures_refresh()
        html = Client().get("/cumplimiento/").content.decode()
    page = text(html)
    # April 2026: Q1 on time, Q2 late. May 2025 to April 2026: I1, I2, I3 and Q1 on time.
    assert "A tiempo en abril 2026 50 % (1 de 2 respuestas)" in page
    assert "A tiempo en los últimos 12 meses 80 % (4 de 5 respuestas)" in page
    assert "Mediana de días hábiles para responder 6" in page  # 3, 5, 6, 22, 24
    assert "marzo 2026 100 % abril 2026 50 %" in page  # the entity's trend
    information, complaint = (
        text(part)
        for part in html.split('id="servicio-acceso-informacion"')[1].split('id="servicio-queja"')
    )
    assert "A tiempo el último mes sin respuestas" in information
    assert "A tiempo en los últimos 12 meses 100 % (3 de 3 respuestas)" in information
    assert "Mediana de días hábiles 5" in information  # 3, 5, 6
    assert "marzo 2026 100 % abril 2026 sin respuestas" in information
    assert "A tiempo el último mes 50 % (1 de 2 respuestas)" in complaint
    assert "Mediana de días hábiles 23" in complaint  # between 22 and 24, as the report says
    assert "Cómo se calcula" in page and "cada 10 minutos" in page
    assert "Entidad SG" not in page  # its only case (moved there) is still open


def test_the_page_is_kept_until_the_next_refresh(scenario: dict[str, Any]) -> None:  # noqa: F811
    cache.clear()
    with clock.frozen(at("2026-04-15")):
        assert "Todavía no hay cifras" in Client().get("/cumplimiento/").content.decode()
        figures_refresh()
        march = text(Client().get("/cumplimiento/").content.decode())
        english = text(Client().get("/en/deadlines/").content.decode())
    assert "A tiempo en marzo 2026 100 % (3 de 3 respuestas)" in march
    assert "On time in March 2026" in english


def test_every_service_page_links_to_its_line(scenario: dict[str, Any]) -> None:  # noqa: F811
    html = Client().get("/tramites/queja/").content.decode()
    assert 'href="/cumplimiento/#servicio-queja"' in html
    assert "¿Cumplimos los plazos? Vea cómo respondemos este trámite" in html
