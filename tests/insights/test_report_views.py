"""The legal PQRSD report, from a known set of cases built with the real services, on its page
and in its PDF, CSV and XLSX downloads; the expected figures are worked out by hand."""

from __future__ import annotations

import csv
import io
import re
import subprocess
import zipfile
from datetime import date, datetime
from typing import Any
from xml.etree import ElementTree
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from tests import factories
from tests.cases.test_case_file import file_one
from ventanilla.accounts.models import User
from ventanilla.cases.models import Case
from ventanilla.cases.services import TransitionInput, case_transition
from ventanilla.cases.workflow import Actor
from ventanilla.catalog.models import Service
from ventanilla.core import clock
from ventanilla.insights import exports
from ventanilla.insights.report import last_period
from ventanilla.organization.models import Dependency, Role

BOGOTA = ZoneInfo("America/Bogota")
URL = "/espacio/informes/pqrsd/"
CITIZEN_ACTIONS = ("responder_informacion", "desistir")
FIRST_HALF = {"entidad": "", "periodo": "custom", "desde": "2026-01-01", "hasta": "2026-06-30"}


def at(day: str) -> datetime:
    return datetime.fromisoformat(day).replace(hour=10, tzinfo=BOGOTA)


def act(case: Case, action: str, actor: Any, day: str, **payload: Any) -> Case:
    with clock.frozen(at(day)):
        return case_transition(
            case=case,
            action=action,
            actor=actor,
            as_actor=Actor.CITIZEN if action in CITIZEN_ACTIONS else Actor.OFFICIAL,
            payload=TransitionInput(comment="Texto.", **payload),
        )


def answer(case: Case, people: dict[str, User], day: str, action: str = "asignar_cupo") -> None:
    case = act(case, "pasar_asignacion", people["handler"], day) if action != "negar" else case
    act(case, action, people["approver"], day)


@pytest.fixture
def scenario(reference_service: Service) -> dict[str, Any]:
    """In SED, from 2 March 2026 (15 business days of term; 23 March, 2 and 3 April are
    holidays): five requests for information and three complaints."""
    coverage = Dependency.objects.get(code="DIR-COBERTURA")
    people = {
        "handler": factories.official(coverage, Role.HANDLER),
        "approver": factories.official(coverage, Role.APPROVER),
        "supervisor": factories.official(coverage.parent, Role.SUPERVISOR),
    }
    secrets = {name: factories.enrol_totp(person) for name, person in people.items()}
    sg_root = factories.dependency("DESPACHO-SG", entity_code="SG")
    info = factories.service_variant(reference_service, "acceso-informacion")
    complaint = factories.service_variant(reference_service, "queja")
    Service.objects.filter(pk=info.pk).update(petition_type="information")
    Service.objects.filter(pk=complaint.pk).update(petition_type="complaint")
    citizen = factories.user("ana@example.co")
    cases = {}
    with clock.frozen(at("2026-03-02")):
        names = [(f"I{n}", info) for n in range(1, 6)] + [(f"Q{n}", complaint) for n in range(1, 4)]
        for name, service in names:
            filed = file_one(service, filer_kind="citizen", applicant=citizen, contact=None)
            cases[name] = act(filed.case, "iniciar_revision", people["handler"], "2026-03-02")
    answer(cases["I1"], people, "2026-03-05")  # 3 business days
    answer(cases["I2"], people, "2026-03-09", action="negar")  # refused, 5 days
    paused = act(cases["I3"], "pedir_informacion", people["handler"], "2026-03-03")
    paused = act(paused, "responder_informacion", citizen, "2026-03-05")  # 4 and 5 paused
    answer(paused, people, "2026-03-12")  # 8 business days less 2 paused: 6
    act(cases["I4"], "trasladar", people["handler"], "2026-03-04", target_entity=sg_root.entity)
    # I5 stays open. Q1: extended to 10 April, answered on 6 April (22 business days, on time).
    extended = act(
        cases["Q1"], "prorrogar", people["handler"], "2026-03-03", new_due_date=date(2026, 4, 10)
    )
    answer(extended, people, "2026-04-06")
    answer(cases["Q2"], people, "2026-04-08")  # due 24 March: late, 24 business days
    act(cases["Q3"], "desistir", citizen, "2026-03-04")  # withdrawn
    return {**people, "sed": coverage.entity, "supervisor_secret": secrets["supervisor"]}


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def report_query(scenario: dict[str, Any], **more: str) -> dict[str, str]:
    return {**FIRST_HALF, "entidad": str(scenario["sed"].pk), **more}


# The rows worked out by hand: received, transferred, answered, refused, withdrawn, on time,
# late, open at the end, average and median business days.
# Written as the Spanish page and PDF write them (a decimal comma).
INFORMATION = ["5", "1", "2", "1", "0", "3", "0", "1", "4,7", "5"]  # days 3, 5, 6
COMPLAINT = ["3", "0", "2", "0", "1", "1", "1", "0", "23,0", "23,0"]  # days 22, 24
TOTAL = ["8", "1", "4", "1", "1", "4", "1", "1", "12,0", "6"]  # days 3, 5, 6, 22, 24


def test_the_page_shows_the_figures_worked_out_by_hand(scenario: dict[str, Any]) -> None:
    with clock.frozen(at("2026-07-15")):
        page = signed_in(scenario["supervisor"]).get(URL, report_query(scenario))
    assert page.status_code == 200
    html = page.content.decode()
    by_type, rest = html.split('id="report-information"')
    types = table_rows(by_type)
    assert types["Solicitud de acceso a información pública"] == INFORMATION
    assert types["Queja"] == COMPLAINT
    assert types["Total"] == TOTAL
    rows = table_rows(rest)
    assert rows["Queja"] == COMPLAINT
    assert rows["Total"] == COMPLAINT  # the complaints' own total
    assert rows["Solicitudes en que se negó el acceso"] == ["1"]
    numbers = re.findall(r"<th scope=\"row\">(SED-2026-\d+)</th>", html)
    assert len(numbers) == 3  # I1, I2 and I3 answered; I4 went to SG, I5 is open
    assert "Ley 1474 de 2011, art. 76" in html and "Decreto 1081 de 2015" in html


def table_rows(html: str) -> dict[str, list[str]]:
    """Each table row of `html` by its first cell, tags stripped."""
    return {
        cells[0]: cells[1:]
        for cells in (
            [
                re.sub(r"<[^>]+>", "", c).strip()
                for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)
            ]
            for row in re.findall(r"<tr>(.*?)</tr>", html, re.S)
        )
        if cells
    }


def test_csv_and_xlsx_hold_the_same_numbers(scenario: dict[str, Any]) -> None:
    client = signed_in(scenario["supervisor"])
    with clock.frozen(at("2026-07-15")):
        got = client.get(URL, report_query(scenario, formato="csv"))
        body = b"".join(got.streaming_content)
        workbook = client.get(URL, report_query(scenario, formato="xlsx")).content
    assert body.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    lines = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    cells = {(s, r, c): v for s, r, c, v in lines[1:]}
    info = "Solicitud de acceso a información pública"
    assert cells[("Peticiones por tipo", info, "Recibidas")] == "5"
    assert cells[("Peticiones por tipo", info, "Trasladadas")] == "1"
    assert cells[("Peticiones por tipo", "Total", "Fuera de término")] == "1"
    assert cells[("Peticiones por tipo", "Total", "Días hábiles promedio")] == "12.0"
    sheets = xlsx_rows(workbook)
    assert sheets["Peticiones por tipo"][info] == [5, 1, 2, 1, 0, 3, 0, 1, 4.7, 5]
    assert sheets["Quejas, reclamos, sugerencias y"]["Total"][:8] == [3, 0, 2, 0, 1, 1, 1, 0]


def test_the_pdf_carries_the_same_tables(
    scenario: dict[str, Any], tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(exports, "PDF_REQUEST_ROWS", 2)  # a long list is cut, and says so
    with clock.frozen(at("2026-07-15")):
        got = signed_in(scenario["supervisor"]).get(URL, report_query(scenario, formato="pdf"))
    assert got["Content-Type"] == "application/pdf"
    path = tmp_path / "report.pdf"
    path.write_bytes(got.content)
    text = subprocess.run(  # noqa: S603
        ["/usr/bin/pdftotext", "-layout", str(path), "-"], capture_output=True, check=True
    ).stdout.decode()
    total = next(line for line in text.splitlines() if line.strip().startswith("Total"))
    assert total.split()[1:] == TOTAL
    assert "Ley 1474 de 2011, art. 76" in text
    assert "SED-2026-000002" in text and "SED-2026-000003" not in text
    assert "1 más está en las descargas CSV y XLSX" in " ".join(text.split())


def test_a_bad_period_is_explained_and_keeps_what_was_typed(scenario: dict[str, Any]) -> None:
    query = report_query(scenario, desde="2026-06-30", hasta="2026-01-01")
    html = signed_in(scenario["supervisor"]).get(URL, query).content.decode()
    assert "La fecha final no puede ser anterior a la inicial." in html
    assert 'value="2026-06-30"' in html and 'value="2026-01-01"' in html
    assert "Descargar en PDF" not in html  # no report for a period that does not exist
    missing = signed_in(scenario["supervisor"]).get(URL, report_query(scenario, desde=""))
    assert "Escriba la fecha inicial del periodo." in missing.content.decode()


def test_only_supervisors_of_the_whole_entity_see_it(scenario: dict[str, Any]) -> None:
    for person in ("handler", "approver"):
        assert signed_in(scenario[person]).get(URL).status_code == 403
    other = factories.official(Dependency.objects.get(code="DESPACHO-SG"), Role.SUPERVISOR)
    factories.enrol_totp(other)
    html = signed_in(other).get(URL, report_query(scenario)).content.decode()
    assert "Escoja una opción válida" in html or "Select a valid choice" in html
    assert "Descargar en PDF" not in html


@pytest.mark.parametrize(
    ("kind", "today", "period"),
    [
        ("semester", date(2026, 7, 15), (date(2026, 1, 1), date(2026, 6, 30))),
        ("semester", date(2026, 3, 1), (date(2025, 7, 1), date(2025, 12, 31))),
        ("quarter", date(2026, 5, 2), (date(2026, 1, 1), date(2026, 3, 31))),
        ("month", date(2026, 1, 20), (date(2025, 12, 1), date(2025, 12, 31))),
        ("month", date(2026, 3, 31), (date(2026, 2, 1), date(2026, 2, 28))),
    ],
)
def test_presets_are_the_last_whole_periods(kind: str, today: date, period: Any) -> None:
    assert last_period(kind, today) == period


def xlsx_rows(content: bytes) -> dict[str, dict[str, list[Any]]]:
    """Each sheet's rows by their first cell, read straight from the workbook's XML."""
    ns = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}
    book = zipfile.ZipFile(io.BytesIO(content))
    shared = []
    if "xl/sharedStrings.xml" in book.namelist():
        root = ElementTree.fromstring(book.read("xl/sharedStrings.xml"))  # noqa: S314
        shared = ["".join(t.text or "" for t in si.iter(f"{{{ns['m']}}}t")) for si in root]
    names = [
        s.get("name", "")
        for s in ElementTree.fromstring(book.read("xl/workbook.xml")).iter(f"{{{ns['m']}}}sheet")  # noqa: S314
    ]
    sheets: dict[str, dict[str, list[Any]]] = {}
    for index, name in enumerate(names, start=1):
        root = ElementTree.fromstring(book.read(f"xl/worksheets/sheet{index}.xml"))  # noqa: S314
        rows: dict[str, list[Any]] = {}
        for row in root.iter(f"{{{ns['m']}}}row"):
            values: list[Any] = []
            for cell in row.findall("m:c", ns):
                kind, raw = cell.get("t"), cell.findtext("m:v", "", ns)
                if kind == "s":
                    values.append(shared[int(raw)])
                elif kind == "inlineStr":
                    values.append("".join(t.text or "" for t in cell.iter(f"{{{ns['m']}}}t")))
                else:
                    values.append(float(raw) if raw else "")
            if values:
                rows[str(values[0])] = values[1:]
        sheets[name] = rows
    return sheets
