"""An administrator who is not a programmer builds a new service in the structured editor, with
six questions (one shown only after a yes, one a file), two documents and a three-stage
workflow, and publishes it; a citizen then files it on a phone. axe checks every page of both."""

from __future__ import annotations

from collections.abc import Callable

from playwright.sync_api import expect

from tests import factories
from tests.browser.conftest import Visitor
from tests.browser.test_catalog_editor import sign_in_administrator
from tests.browser.test_journeys_filing import PDF, submit_and_read_receipt
from tests.browser.test_journeys_forms import _sign_in
from tests.catalog.fixtures import organisation_build
from ventanilla.cases.models import Case
from ventanilla.catalog.models import Category, Service, VersionStatus
from ventanilla.organization.models import Dependency


def test_an_administrator_builds_a_service_and_a_citizen_files_it_on_a_phone(
    new_visitor: Callable[..., Visitor],
) -> None:
    organisation_build()
    Category.objects.create(slug="becas", name_es="Becas y apoyos", name_en="Grants and support")
    staff = factories.user("admin@sed.gov.co", staff=True, is_superuser=True)
    secret = factories.enrol_totp(staff)
    admin = new_visitor(viewport={"width": 1280, "height": 900})
    page = admin.page
    sign_in_administrator(admin, "admin@sed.gov.co", secret)
    admin.goto("/admin/catalog/service/add/")
    page.get_by_label("Identificador").fill("apoyo-transporte")
    coverage = Dependency.objects.get(code="DIR-COBERTURA")
    page.get_by_label("Entidad").select_option(str(coverage.entity_id))
    page.get_by_label("Dependencia responsable").select_option(str(coverage.pk))
    page.get_by_label("Categoría").select_option(label="Becas y apoyos")
    page.locator("#id_kind").select_option("procedure")
    page.get_by_label("en línea").check()
    admin.click_and_wait(page.get_by_role("button", name="Guardar", exact=True))
    expect(page.locator(".messagelist")).to_contain_text("primer borrador")

    # The editor: texts in both languages.
    page.locator("#ed-title-es").fill("Apoyo de transporte escolar")
    page.locator("#ed-title-en").fill("School transport support")
    page.locator("#ed-summary-es").fill("Pida el apoyo para llegar al colegio.")
    page.locator("#ed-summary-en").fill("Ask for support to get to school.")

    def add(list_id: str, name: str) -> None:
        admin.click_and_wait(
            page.locator(f"#{list_id}").get_by_role("button", name=name, exact=True).last
        )

    # Two documents.
    for i, (key, es, en) in enumerate(
        [
            ("documento_identidad", "Documento de identidad", "Identity document"),
            ("certificado_estudio", "Certificado de estudio", "Certificate of studies"),
        ]
    ):
        add("ed-documents", "Añadir documento")
        page.locator(f"#ed-documents-{i}-key").fill(key)
        page.locator(f"#ed-documents-{i}-name-es").fill(es)
        page.locator(f"#ed-documents-{i}-name-en").fill(en)
        page.locator(f"#ed-documents-{i}-description-es").fill("Una copia que se lea bien.")
        page.locator(f"#ed-documents-{i}-description-en").fill("A copy that reads well.")
        page.locator(f"#ed-documents-{i}-kind").fill(key)

    # Three questions more than the example's three: one shown only after a yes, a file, a choice.
    fields = "ed-form-sections-0-fields"
    for _ in range(3):
        add(fields, "Añadir pregunta")
    urgent = f"#{fields}-3"
    page.locator(f"{urgent}-key").fill("detalle_urgencia")
    page.locator(f"{urgent}-type").select_option("long_text")
    page.locator(f"{urgent}-label-es").fill("¿Por qué es urgente?")
    page.locator(f"{urgent}-label-en").fill("Why is it urgent?")
    page.locator(f"{urgent}-visible_if").locator("xpath=..").locator("summary").click()
    page.locator(f"{urgent}-visible_if-field").select_option("es_urgente")
    page.locator(f"{urgent}-visible_if-equals").fill("true")
    certificate = f"#{fields}-4"
    page.locator(f"{certificate}-key").fill("certificado")
    page.locator(f"{certificate}-type").select_option("file")
    page.locator(f"{certificate}-label-es").fill("Certificado de estudio")
    page.locator(f"{certificate}-label-en").fill("Certificate of studies")
    page.locator(f"{certificate}-document").select_option("certificado_estudio")
    shift = f"#{fields}-5"
    page.locator(f"{shift}-key").fill("jornada")
    page.locator(f"{shift}-type").select_option("choice")
    page.locator(f"{shift}-label-es").fill("Jornada")
    page.locator(f"{shift}-label-en").fill("School day")
    for i, (value, es, en) in enumerate(
        [("manana", "Mañana", "Morning"), ("tarde", "Tarde", "Afternoon")]
    ):
        add(f"{fields}-5-choices", "Añadir opción")
        page.locator(f"{shift}-choices-{i}-value").fill(value)
        page.locator(f"{shift}-choices-{i}-label-es").fill(es)
        page.locator(f"{shift}-choices-{i}-label-en").fill(en)
    assert page.locator("#ed-workflow-stages").locator(".ed-row").count() == 3
    admin.click_and_wait(page.get_by_role("button", name="Publicar").first)
    expect(page.locator(".messagelist")).to_contain_text("se publicó")

    service = Service.objects.get(slug="apoyo-transporte")
    version = service.versions.get()
    assert version.status == VersionStatus.PUBLISHED
    parsed = version.parsed
    assert len(parsed.form.fields) == 6 and len(parsed.documents) == 2
    assert len(parsed.workflow.stages) == 3

    # A citizen files it on a phone.
    citizen = factories.user("ana@example.co", first_name="Ana", last_name="Rojas")
    phone = new_visitor(viewport={"width": 360, "height": 800})
    page = phone.page
    _sign_in(phone, "ana@example.co")
    phone.goto("/tramites/?q=transporte")
    phone.click_and_wait(page.get_by_role("link", name="Apoyo de transporte escolar"))
    phone.click_and_wait(page.get_by_role("link", name="Iniciar en línea"))
    page.get_by_label("¿Qué necesita?").fill("Transporte para llegar al colegio desde Bosa.")
    why = page.get_by_label("¿Por qué es urgente?")
    expect(why).to_be_hidden()
    page.get_by_role("group", name="¿Es urgente?").get_by_label("Sí").check()
    expect(why).to_be_visible()
    why.fill("La ruta pasa a las cinco de la mañana.")
    pdf = {"mimeType": "application/pdf", "buffer": PDF}
    page.get_by_label("Certificado de estudio").set_input_files(
        files=[{"name": "certificado.pdf", **pdf}]
    )
    page.get_by_label("Mañana").check()
    phone.click_and_wait(page.get_by_role("button", name="Continuar"))
    # The documents page asks only the document no question asked.
    expect(page.get_by_text("Certificado de estudio")).to_have_count(0)
    page.get_by_label("Documento de identidad").set_input_files(
        files=[{"name": "cedula.pdf", **pdf}]
    )
    phone.click_and_wait(page.get_by_role("button", name="Continuar"))
    expect(page.get_by_text("certificado.pdf")).to_be_visible()
    expect(page.get_by_text("La ruta pasa a las cinco de la mañana.")).to_be_visible()
    number, _code = submit_and_read_receipt(phone)

    case = Case.objects.get(filing_number=number)
    assert case.applicant == citizen and case.service_version == version
    assert case.answers["detalle_urgencia"] == "La ruta pasa a las cinco de la mañana."
    assert case.answers["jornada"] == "manana" and case.answers["es_urgente"] is True
    names = {d.key: d.original_name for d in case.documents.all()}
    assert names == {"documento_identidad": "cedula.pdf", "certificado_estudio": "certificado.pdf"}
