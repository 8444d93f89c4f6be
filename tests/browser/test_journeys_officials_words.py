"""Officials' actions in words, in a real browser: the route names people, the inbox's dates
read in the official's language, one box drafts the answer, a transfer's destination is found
by typing (with and without JavaScript), and a supervisor's figures open the cases behind them.
Every page is checked by axe."""

from __future__ import annotations

from typing import Any

from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import Visitor
from tests.browser.test_journeys_filing import services  # noqa: F401
from tests.browser.test_journeys_workspace import at, open_box, sign_in
from tests.cases.test_case_file import file_one
from tests.catalog.fixtures import organisation  # noqa: F401
from ventanilla.cases.models import Case
from ventanilla.cases.upkeep import cases_refresh_sla
from ventanilla.catalog.models import Service
from ventanilla.core import clock
from ventanilla.organization.models import Dependency, Level, Role

PHONE = {"width": 360, "height": 800}
DESK = {"width": 1280, "height": 900}
TRANSFER = "Trasladar a otra dependencia o entidad"
DRAFT = "Proyectar la respuesta y pasar a asignación de cupo"


def schools(local: Dependency, how_many: int) -> None:
    """A local directorate with as many schools as a real one: far too many for a list."""
    for number in range(2, how_many + 2):
        Dependency.objects.create(
            entity=local.entity,
            parent=local,
            code=f"IED-{number:04d}",
            name=f"Colegio Distrital {number}",
            level=Level.INSTITUTIONAL,
        )


def test_a_handler_reads_names_drafts_once_and_finds_the_destination_by_typing(
    new_visitor: Any,
    services: dict[str, Service],  # noqa: F811
) -> None:
    coverage = Dependency.objects.get(code="DIR-COBERTURA")
    local = Dependency.objects.get(code="DLE-08")
    schools(local, 80)
    Dependency.objects.filter(code="IED-0001").update(name="Colegio Técnico Kennedy")
    handler = factories.official(
        coverage, Role.HANDLER, first_name="Hugo", last_name="Pérez", email="hugo@sed.gov.co"
    )
    secret = factories.enrol_totp(handler)
    colleague = factories.official(
        coverage, Role.HANDLER, first_name="Lina", last_name="Rojas", email="lina@sed.gov.co"
    )
    colleague_secret = factories.enrol_totp(colleague)
    with clock.frozen(at("2026-03-02")):
        kept = file_one(services["school_place"]).case
        moved = file_one(services["school_place"]).case

    official = new_visitor(viewport=PHONE)
    page = official.page
    with clock.frozen(at("2026-03-03")):
        sign_in(official, "hugo@sed.gov.co", secret)
        official.goto("/espacio/?pestana=unassigned")
        # The due date in words, in the official's language.
        expect(page.locator("table.inbox")).to_contain_text("24 de marzo de 2026")
        official.click_and_wait(page.get_by_role("link", name=kept.filing_number))

        # Starting the case is not drafting an answer: no "respuesta proyectada" box on it.
        expect(
            page.locator("details.action-box summary", has_text="Iniciar revisión")
        ).to_be_visible()
        expect(page.get_by_label("Respuesta proyectada", exact=False)).to_have_count(0)
        page.get_by_label("Asignar").select_option("mi")
        official.click_and_wait(page.get_by_role("button", name="Guardar asignación"))
        official.click_and_wait(page.get_by_role("button", name="Iniciar revisión"))

        # The route names the person, never their address.
        route = page.locator(".route")
        expect(route).to_contain_text("De nadie a Hugo Pérez")
        assert "hugo@sed.gov.co" not in route.inner_text()

        # One box drafts the answer: it saves the draft, or sends it for sign-off.
        summaries = page.locator("details.action-box summary")
        expect(summaries.filter(has_text="Proyectar")).to_have_count(1)
        open_box(official, DRAFT)
        box = page.locator("details.action-box", has=page.locator("summary", has_text=DRAFT))
        box.get_by_label("Texto de la respuesta").fill("Se asigna cupo en el Colegio Kennedy.")
        official.click_and_wait(box.get_by_role("button", name="Guardar borrador"))
        expect(page.get_by_text("Guardamos la respuesta proyectada.")).to_be_visible()
        expect(page.get_by_label("Texto de la respuesta")).to_have_value(
            "Se asigna cupo en el Colegio Kennedy."
        )
        assert Case.objects.get(pk=kept.pk).stage == "revision"  # saved, not sent
        official.click_and_wait(page.get_by_role("button", name=DRAFT))
        kept.refresh_from_db()
        assert (kept.stage, kept.response_draft) == (
            "asignacion",
            "Se asigna cupo en el Colegio Kennedy.",
        )

        # The transfer: no list of every office; typing narrows it (htmx)…
        official.goto(f"/espacio/casos/{moved.filing_number}/")
        open_box(official, TRANSFER)
        expect(page.locator("select[name=dependencia]")).to_have_count(0)
        expect(page.locator("input[name=dependencia]")).to_have_count(0)
        search = page.get_by_label("Buscar la dependencia de destino")
        search.press_sequentially("tecnico", delay=30)  # no accent: it still finds "Técnico"
        expect(page.get_by_label("Colegio Técnico Kennedy")).to_be_visible()
        expect(page.locator("input[name=dependencia]")).to_have_count(1)
        search.fill("")
        search.press_sequentially("distrital", delay=30)
        expect(page.get_by_text("escriba más para encontrar otras")).to_be_visible()
        expect(page.locator("input[name=dependencia]")).to_have_count(20)

        # …and a transfer with no destination is refused in words.
        official.goto(f"/espacio/casos/{moved.filing_number}/")
        open_box(official, TRANSFER)
        page.locator("#f-trasladar-c").fill("Es del colegio.")
        official.click_and_wait(page.get_by_role("button", name=TRANSFER))
        expect(page.locator(".error-summary")).to_contain_text(
            "Elija una dependencia de la misma entidad."
        )

    # Without htmx (a script that does not load), the same search is a plain form, and the
    # keyboard does it all.
    plain = new_visitor(viewport=DESK)
    ppage = plain.page
    ppage.route(
        "**/htmx-2.min.js",
        lambda route: route.fulfill(body="", content_type="application/javascript"),
    )
    with clock.frozen(at("2026-03-04")):
        sign_in(plain, "lina@sed.gov.co", colleague_secret)
        plain.goto(f"/espacio/casos/{moved.filing_number}/")
        open_box(plain, TRANSFER)
        ppage.get_by_label("Buscar la dependencia de destino").fill("kennedy")
        plain.press_and_wait(ppage.get_by_label("Buscar la dependencia de destino"))
        expect(ppage.get_by_label("Colegio Técnico Kennedy")).to_be_checked()
        ppage.locator("#f-trasladar-c").fill("Lo atiende el colegio.")
        plain.click_and_wait(ppage.get_by_role("button", name=TRANSFER))
    moved.refresh_from_db()
    assert moved.dependency.code == "IED-0001"


def test_a_supervisor_opens_the_cases_behind_each_figure(
    new_visitor: Any,
    services: dict[str, Service],  # noqa: F811
) -> None:
    root = Dependency.objects.get(code="DESPACHO")
    coverage = Dependency.objects.get(code="DIR-COBERTURA")
    secrets = {}
    for email in ("sara@sed.gov.co", "teo@sed.gov.co"):
        boss = factories.official(root, Role.SUPERVISOR, first_name="Sara", email=email)
        secrets[email] = factories.enrol_totp(boss)
    handler = factories.official(
        coverage, Role.HANDLER, first_name="Hugo", last_name="Pérez", email="hugo@sed.gov.co"
    )
    with clock.frozen(at("2026-02-02")):
        forgotten = file_one(services["school_place"]).case  # due 23 February, nobody holds it
        held = file_one(services["school_place"]).case
    Case.objects.filter(pk=held.pk).update(assignee=handler)
    with clock.frozen(at("2026-03-03")):
        cases_refresh_sla()

    # Two supervisors, so that no one-time code is used twice.
    for viewport, email in ((PHONE, "sara@sed.gov.co"), (DESK, "teo@sed.gov.co")):
        visitor = new_visitor(viewport=viewport)
        page = visitor.page
        with clock.frozen(at("2026-03-03")):
            sign_in(visitor, email, secrets[email])
            visitor.goto("/espacio/equipo/")
            people = page.locator(
                "section", has=page.get_by_role("heading", name="Por funcionario")
            )
            nobody = people.get_by_role("row", name="Sin asignar")
            expect(nobody).to_be_visible()
            expect(people.get_by_role("row", name="Hugo Pérez")).to_be_visible()
            assert "hugo@sed.gov.co" not in people.inner_text()
            expect(page.get_by_role("heading", name="Por dependencia")).to_be_visible()
            expect(page.get_by_role("heading", name="Por servicio")).to_be_visible()
            late = page.locator("section", has=page.get_by_role("heading", name="Casos vencidos"))
            row = late.get_by_role("row", name=forgotten.filing_number)
            expect(row).to_contain_text("23 de febrero de 2026")
            expect(row.locator("td.num")).to_have_text("6")  # 24 Feb … 3 Mar, business days
            # The unassigned row's overdue figure is a link to exactly those cases.
            visitor.click_and_wait(nobody.get_by_role("link").last)
            expect(page.get_by_text("Solo los casos sin asignar.")).to_be_visible()
            inbox = page.locator("table.inbox")
            expect(inbox).to_contain_text(forgotten.filing_number)
            expect(inbox).not_to_contain_text(held.filing_number)


def test_english_dates_read_in_english(
    new_visitor: Any,
    services: dict[str, Service],  # noqa: F811
) -> None:
    coverage = Dependency.objects.get(code="DIR-COBERTURA")
    handler = factories.official(coverage, Role.HANDLER, email="hugo@sed.gov.co")
    secret = factories.enrol_totp(handler)
    with clock.frozen(at("2026-03-02")):
        file_one(services["school_place"])
    visitor: Visitor = new_visitor(viewport=PHONE)
    with clock.frozen(at("2026-03-03")):
        sign_in(visitor, "hugo@sed.gov.co", secret)
        visitor.goto("/en/workspace/?pestana=unassigned")
        expect(visitor.page.locator("table.inbox")).to_contain_text("March 24, 2026")
