"""The PQRSD report and the public deadline page in a real browser, at 360 and 1280 px: a
supervisor picks a period by keyboard, a bad period is explained, the report shows; anyone reads
the deadline page from a service page. Every page passes axe (the visitor checks each one)."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import Visitor
from tests.browser.test_journeys_counter import PHONE, shot
from tests.browser.test_journeys_workspace import sign_in
from tests.catalog.fixtures import organisation, reference_service  # noqa: F401
from tests.insights.test_report_views import scenario  # noqa: F401
from ventanilla.insights.refresh import figures_refresh

WIDE = {"width": 1280, "height": 900}


def test_a_supervisor_reads_the_report_of_a_period(
    visitor: Visitor,
    scenario: dict[str, Any],  # noqa: F811
) -> None:
    page = visitor.page
    sign_in(visitor, scenario["supervisor"].email, scenario["supervisor_secret"])
    for name, size in (("360", PHONE), ("1280", WIDE)):
        page.set_viewport_size(size)
        visitor.goto("/espacio/informes/pqrsd/")
        page.get_by_label("Periodo").select_option("custom")
        page.get_by_label("Desde").fill("2026-06-30")
        page.get_by_label("Hasta").fill("2026-01-01")
        visitor.click_and_wait(page.get_by_role("button", name="Ver el informe"))
        assert "La fecha final no puede ser anterior a la inicial." in page.content()
        assert page.get_by_label("Desde").input_value() == "2026-06-30"
        shot(page, f"report-error-{name}")
        page.get_by_label("Desde").fill("2026-01-01")
        page.get_by_label("Hasta").fill("2026-06-30")
        visitor.press_and_wait(page.get_by_role("button", name="Ver el informe"))
        assert page.get_by_role("link", name="Descargar en PDF").is_visible()
        table = page.get_by_role("table").first
        assert "Solicitud de acceso a información pública" in table.inner_text()
        shot(page, f"report-{name}")


def test_anyone_reads_the_deadline_page_from_a_service(
    visitor: Visitor,
    scenario: dict[str, Any],  # noqa: F811
) -> None:
    figures_refresh()
    page = visitor.page
    for name, size in (("360", PHONE), ("1280", WIDE)):
        page.set_viewport_size(size)
        visitor.goto("/tramites/queja/")
        link = page.get_by_role(
            "link", name="¿Cumplimos los plazos? Vea cómo respondemos este trámite"
        )
        visitor.click_and_wait(link)
        assert page.url.endswith("/cumplimiento/#servicio-queja")
        assert "Cómo se calcula" in page.content()
        shot(page, f"deadlines-{name}")
