"""The supervisors' dashboard in a real browser, on a desktop and a phone: the scope chooser
(a plain GET form, used with the keyboard), the figures, the charts with their tables and a
breakdown's link. Every page is checked by axe (the `visitor` fixture does it on each
navigation)."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests import factories
from tests.browser.test_journeys_counter import PHONE, shot
from tests.browser.test_journeys_workspace import sign_in
from tests.catalog.fixtures import organisation, reference_service  # noqa: F401
from tests.insights.test_dashboard_views import cases, people  # noqa: F401
from ventanilla.cases.models import Case
from ventanilla.organization.models import Role

DESKTOP = {"width": 1280, "height": 900}


def test_a_supervisor_chooses_a_period_and_reads_the_figures_on_desktop_and_phone(
    new_visitor: Any,
    cases: dict[str, Case],  # noqa: F811
    people: dict[str, Any],  # noqa: F811
) -> None:
    head_office = people["coverage"].parent
    sara = factories.official(head_office, Role.SUPERVISOR, email="sara@sed.gov.co")
    secret = factories.enrol_totp(sara)
    supervisor = new_visitor(viewport=DESKTOP)
    sign_in(supervisor, "sara@sed.gov.co", secret)
    for size, viewport in (("1280", DESKTOP), ("360", PHONE)):
        supervisor.page.set_viewport_size(viewport)
        supervisor.goto("/espacio/")
        page = supervisor.page
        supervisor.click_and_wait(page.get_by_role("link", name="Cifras", exact=True))
        expect(page.get_by_role("heading", level=1)).to_contain_text("Cifras de gestión")
        page.get_by_label("Desde el mes").fill("2026-03")
        page.get_by_label("Hasta el mes").fill("2026-04")
        supervisor.press_and_wait(page.get_by_role("button", name="Ver cifras"))
        expect(page.get_by_text("Cifras actualizadas el")).to_be_visible()
        received = page.locator("dt", has_text="Recibidas").first.locator("xpath=../dd")
        expect(received).to_have_text("4")
        chart = page.get_by_role("img", name="Respuestas por mes, a tiempo y fuera de término")
        expect(chart).to_be_visible()
        expect(page.locator("caption", has_text="Respuestas por mes")).to_be_attached()
        shot(page, f"dashboard-{size}")
        # The head office is the entity's only top level: its children are the lines.
        coverage = people["coverage"]
        supervisor.click_and_wait(page.locator("table").get_by_role("link", name=coverage.name))
        expect(page.get_by_role("heading", level=1)).to_contain_text(coverage.name)
        shot(page, f"dashboard-narrowed-{size}")
