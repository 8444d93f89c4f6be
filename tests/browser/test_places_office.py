"""The coverage office in a real browser, on a phone and a desktop: its season's dashboard, a
dry run and its page, the evidence to review and the released places. Every page is checked by
axe (the `visitor` fixture does it on each navigation)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from playwright.sync_api import expect

from tests import factories
from tests.browser.test_journeys_counter import PHONE, shot
from tests.browser.test_journeys_filing import services  # noqa: F401
from tests.browser.test_journeys_workspace import sign_in
from tests.catalog.fixtures import organisation  # noqa: F401
from tests.places.conftest import apply, schools_build
from ventanilla.catalog.models import Service
from ventanilla.demo.places import rules_document, rules_yaml
from ventanilla.organization.models import Dependency, Role
from ventanilla.places import selectors
from ventanilla.places.models import AllocationRun, Offer, Season, SeasonRules
from ventanilla.places.services import season_saved

DESKTOP = {"width": 1280, "height": 900}


def season_open_today(service: Service) -> Season:
    """A season of `service` whose stage 1 opened five days ago (the live server's clock is
    the real one)."""
    season = Season.objects.create(
        entity=service.entity, service=service, code="2027", name="Cupos escolares 2027"
    )
    schools = schools_build()
    today = selectors.season_today(season)
    SeasonRules.objects.create(
        season=season,
        number=1,
        text=rules_yaml(rules_document(today - timedelta(days=5), school_year=2027)),
        published_at=season.created_at,
    )
    for point in schools:
        Offer.objects.create(
            season=season, point=point, grade="primero", shift="manana", capacity=4, continuing=2
        )
    season_saved(season=season)
    return season


def test_the_office_runs_a_dry_allocation_and_reviews_evidence_on_desktop_and_phone(
    new_visitor: Any,
    services: dict[str, Service],  # noqa: F811
) -> None:
    season = season_open_today(services["school_place"])
    for n in range(3):
        apply(season.service, str(1012347000 + n))
    waiting = apply(season.service, "1012347100", group="victima")
    coverage = Dependency.objects.get(code="DIR-COBERTURA")
    approver = factories.official(coverage, Role.APPROVER, email="ana@sed.gov.co")
    secret = factories.enrol_totp(approver)

    office = new_visitor(viewport=DESKTOP)
    sign_in(office, "ana@sed.gov.co", secret)  # once: a TOTP code cannot be used twice
    for size, viewport in (("1280", DESKTOP), ("360", PHONE)):
        office.page.set_viewport_size(viewport)
        office.goto("/espacio/")
        office.click_and_wait(office.page.get_by_role("link", name="Cupos escolares"))
        office.click_and_wait(office.page.get_by_role("link", name=season.name))
        page = office.page
        expect(page.get_by_role("heading", level=1)).to_have_text(season.name)
        expect(page.get_by_text("Queda 1 soporte por revisar: un ensayo lo toma")).to_be_visible()
        shot(page, f"office-season-{size}")

        office.press_and_wait(page.get_by_role("button", name="Ensayar la asignación"))
        expect(page.get_by_text("No se le avisó a nadie")).to_be_visible()
        run = AllocationRun.objects.order_by("-number").first()
        assert run is not None and run.dry_run
        expect(page.get_by_text(run.inputs_sha256)).to_be_visible()
        shot(page, f"office-run-{size}")

        office.click_and_wait(page.get_by_role("link", name="Soportes por revisar"))
        expect(page.get_by_role("link", name=waiting.case.filing_number)).to_be_visible()
        shot(page, f"office-evidence-{size}")
        office.click_and_wait(page.get_by_role("link", name="Cupos liberados"))
        expect(page.get_by_text("Ningún cupo ha vuelto a quedar libre.")).to_be_visible()

    # The real run waits for stage 1 to close: the refusal says so on the dashboard.
    office.goto(f"/espacio/cupos/{season.code}/")
    page = office.page
    page.get_by_label("Entiendo que la asignación real se hace una sola vez", exact=False).check()
    office.press_and_wait(page.get_by_role("button", name="Hacer la asignación real"))
    expect(page.get_by_text("La asignación real se hace entre el cierre")).to_be_visible()
    assert not AllocationRun.objects.filter(dry_run=False).exists()
