"""The inbox over many cases: the same number of queries however many cases a tab holds, and
counts that stop at a cap and say so."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tests import factories
from tests.cases.test_case_file import file_one
from ventanilla.cases import inbox
from ventanilla.cases.models import Case
from ventanilla.catalog.models import Service
from ventanilla.organization.models import Dependency, Role

TABS = ["mine", "unassigned", "all", "to_approve", "team", "transferred", "closed"]


def copies(case: Case, how_many: int, **fields: Any) -> None:
    """`how_many` more cases like `case` (numbers of their own), written at once."""
    last = Case.objects.order_by("-sequence").values_list("sequence", flat=True)[0]
    rows = []
    for offset in range(1, how_many + 1):
        row = Case.objects.get(pk=case.pk)
        row.pk = None
        row.sequence = last + offset
        row.filing_number = f"SED-2026-{last + offset:06d}"
        for name, value in fields.items():
            setattr(row, name, value)
        rows.append(row)
    Case.objects.bulk_create(rows)


def queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_every_tab_reads_the_same_number_of_queries_for_3_cases_and_for_30(
    client: Client, reference_service: Service, team: dict[str, Any]
) -> None:
    case = file_one(reference_service).case
    client.force_login(team["supervisor"])
    copies(case, 1, assignee=team["supervisor"])
    copies(case, 1, response_draft="Respuesta proyectada", sla_state="overdue")
    # What every page reads the same (definitions, the entities a scope covers) is remembered
    # by the process after its first visit: compare the visits after that.
    for tab in TABS:
        queries(client, f"/espacio/?pestana={tab}")
    few = {tab: queries(client, f"/espacio/?pestana={tab}") for tab in TABS}
    copies(case, 9, assignee=team["supervisor"])
    copies(case, 9, response_draft="Respuesta proyectada", sla_state="overdue")
    copies(case, 9, sla_state="due_soon")
    assert Case.objects.count() == 30
    many = {tab: queries(client, f"/espacio/?pestana={tab}") for tab in TABS}
    assert many == few
    # Deeper pages and a filter by state cost no more either.
    assert queries(client, "/espacio/?pestana=all&pagina=2") == few["all"]
    assert queries(client, "/espacio/?pestana=all&termino=overdue") == few["all"]


def test_counts_under_the_cap_are_exact_and_the_pages_are_numbered(
    client: Client, reference_service: Service, team: dict[str, Any]
) -> None:
    case = file_one(reference_service).case
    copies(case, 26, sla_state="overdue")
    client.force_login(team["handler"])
    html = client.get("/espacio/?pestana=unassigned").content.decode()
    assert "Vencidos: <strong>26</strong>" in html
    assert "A tiempo: <strong>1</strong>" in html
    assert "Total: <strong>27</strong>" in html
    assert "Página 1 de 2" in html
    assert "Contamos hasta" not in html
    second = client.get("/espacio/?pestana=unassigned&pagina=2").content.decode()
    assert "Página 2 de 2" in second and 'rel="next"' not in second
    assert len(re.findall(r">(SED-2026-\d{6})<", second)) == 2
    # A page past the last shows the last, as before.
    assert "Página 2 de 2" in client.get("/espacio/?pestana=unassigned&pagina=9").content.decode()


@pytest.fixture
def cap_of_5(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(inbox, "COUNT_CAP", 5)


@pytest.mark.usefixtures("cap_of_5")
def test_counts_past_the_cap_say_more_than_in_plain_words(
    client: Client, reference_service: Service, team: dict[str, Any]
) -> None:
    case = file_one(reference_service).case
    copies(case, 27, sla_state="overdue")
    copies(case, 2, sla_state="paused")
    client.force_login(team["handler"])
    html = client.get("/espacio/?pestana=unassigned").content.decode()
    assert "Vencidos: <strong>más de 5</strong>" in html
    assert "Esperando al ciudadano: <strong>2</strong>" in html
    assert "A tiempo: <strong>1</strong>" in html
    assert "Total: <strong>más de 5</strong>" in html
    assert "Contamos hasta 5 casos en cada cifra" in html
    # Past the cap the pages are not counted, but the next one is still there.
    assert "<span>Página 1</span>" in html and 'rel="next"' in html
    second = client.get("/espacio/?pestana=unassigned&pagina=2").content.decode()
    assert "<span>Página 2</span>" in second and 'rel="next"' not in second
    assert len(re.findall(r">(SED-2026-\d{6})<", second)) == 30 - 25
    english = client.get("/en/workspace/?pestana=unassigned").content.decode()
    assert "more than 5" in english and "We count up to 5 cases" in english


def test_a_cap_in_the_thousands_is_written_as_people_read_it() -> None:
    capped = inbox.Tally(1000, more=True)
    html = render_to_string("workspace/inbox.html#tally", {"tally": capped})
    assert "más de 1\xa0000" in html  # grouped as the Spanish locale writes numbers
    with translation.override("en"):
        html = render_to_string("workspace/inbox.html#tally", {"tally": capped})
    assert "more than 1,000" in html


def statements_naming(client: Client, url: str, word: str) -> tuple[str, int]:
    """The page's HTML and how many of its statements carry `word` (a search term)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    naming = [query for query in captured if word in query["sql"].lower()]
    return response.content.decode(), len(naming)


def test_a_search_is_run_once_and_gives_the_counts_and_the_pages_in_deadline_order(
    client: Client, reference_service: Service, team: dict[str, Any]
) -> None:
    case = file_one(reference_service).case
    first_due = case.due_date
    for days in range(27):
        copies(
            case,
            1,
            search_text=f" zanahoria {days} ",
            due_date=first_due + timedelta(days=40 - days),
            sla_state="overdue" if days % 3 == 0 else "on_time",
        )
    copies(case, 4, search_text=" remolacha ")
    client.force_login(team["handler"])
    queries(client, "/espacio/?pestana=unassigned")  # what the process remembers is read
    plain = queries(client, "/espacio/?pestana=unassigned")
    searched = "/espacio/?pestana=unassigned&q=zanahoria"
    html, naming = statements_naming(client, searched, "zanahoria")
    assert naming == 1
    assert queries(client, searched) == plain
    assert "Total: <strong>27</strong>" in html
    assert "Vencidos: <strong>9</strong>" in html and "A tiempo: <strong>18</strong>" in html
    assert "Página 1 de 2" in html
    shown = re.findall(r">(SED-2026-\d{6})<", html)
    due = dict(
        Case.objects.filter(filing_number__in=shown).values_list("filing_number", "due_date")
    )
    assert len(shown) == 25 and [due[number] for number in shown] == sorted(due.values())
    second, naming = statements_naming(
        client, "/espacio/?pestana=unassigned&q=zanahoria&pagina=2", "zanahoria"
    )
    assert naming == 1 and "Página 2 de 2" in second
    assert len(re.findall(r">(SED-2026-\d{6})<", second)) == 2
    # Filtered by state, the page lists that state's matches and the counts stay the tab's.
    overdue = client.get("/espacio/?pestana=unassigned&q=zanahoria&termino=overdue")
    listed = re.findall(r">(SED-2026-\d{6})<", overdue.content.decode())
    assert len(listed) == 9 and "Total: <strong>27</strong>" in overdue.content.decode()
    states = Case.objects.filter(filing_number__in=listed).values_list("sla_state", flat=True)
    assert set(states) == {"overdue"}
    # Someone who may not see these cases finds none of them.
    elsewhere = factories.official(Dependency.objects.get(code="DLE-08"), Role.HANDLER)
    factories.enrol_totp(elsewhere)
    client.force_login(elsewhere)
    html = client.get("/espacio/?pestana=all&q=zanahoria").content.decode()
    assert "Total: <strong>0</strong>" in html and not re.findall(r">(SED-2026-\d{6})<", html)


@pytest.mark.usefixtures("cap_of_5")
def test_a_search_past_the_cap_still_reaches_every_page(
    client: Client, reference_service: Service, team: dict[str, Any]
) -> None:
    case = file_one(reference_service).case
    copies(case, 30, search_text=" zanahoria ", sla_state="overdue")
    client.force_login(team["handler"])
    html = client.get("/espacio/?pestana=unassigned&q=zanahoria").content.decode()
    assert "Total: <strong>más de 5</strong>" in html
    assert "Vencidos: <strong>más de 5</strong>" in html
    assert len(re.findall(r">(SED-2026-\d{6})<", html)) == 25 and 'rel="next"' in html
    second = client.get("/espacio/?pestana=unassigned&q=zanahoria&pagina=2").content.decode()
    assert len(re.findall(r">(SED-2026-\d{6})<", second)) == 5 and 'rel="next"' not in second
