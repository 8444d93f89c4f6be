"""The dashboards' figures and the legal report, from a known month of petitions (see
`scenario.py` for each case and its business days, counted by hand)."""

from __future__ import annotations

from datetime import date

import pytest

from tests.insights.scenario import Month, at, march
from ventanilla.cases.upkeep import cases_refresh_sla
from ventanilla.catalog.models import Service
from ventanilla.core import clock
from ventanilla.insights.models import CaseFact, Outcome
from ventanilla.insights.refresh import facts_backfill, figures_refresh
from ventanilla.insights.report import pqrsd_report
from ventanilla.insights.selectors import Scope, dashboard, deadline_boards
from ventanilla.organization.models import Dependency

MARCH = date(2026, 3, 1)


@pytest.fixture
def month(reference_service: Service) -> Month:
    built = march(reference_service)
    with clock.frozen(at("2026-04-01", 7)):
        cases_refresh_sla()
        figures_refresh()
    return built


def test_each_case_keeps_how_it_ended_and_the_business_days_it_took(month: Month) -> None:
    facts = {name: CaseFact.objects.filter(case=case).first() for name, case in month.cases.items()}
    assert {n: (f.outcome, f.answer_days, f.on_time) for n, f in facts.items() if f} == {
        "I1": (Outcome.ANSWERED, 3, True),
        "I2": (Outcome.ANSWERED, 9, True),
        "I3": (Outcome.REFUSED, 12, False),
        "I4": (Outcome.OPEN, None, None),  # its facts began with the transfer out
        "I5": (Outcome.ANSWERED, 12, True),
        "Q1": (Outcome.ANSWERED, 14, True),
        "Q2": (Outcome.WITHDRAWN, None, None),
        "Q3": (Outcome.OPEN, None, None),
        "Q4": (Outcome.ANSWERED, 15, True),
    }
    assert facts["I2"].information_requests == 1  # type: ignore[union-attr]
    assert facts["Q4"].internal_transfers == 1  # type: ignore[union-attr]
    assert facts["Q4"].closed_on == date(2026, 3, 25)  # type: ignore[union-attr]


def test_the_entity_dashboard_for_march(month: Month) -> None:
    board = dashboard(Scope(entity=month.entity, start=MARCH, end=MARCH))
    totals = board.totals
    # I4 went to SDS: it is that entity's case now, and a transfer out here.
    assert (totals.received, totals.answered, totals.refused, totals.withdrawn) == (8, 5, 1, 1)
    assert (totals.on_time, totals.late, totals.on_time_share) == (5, 1, 5 / 6)
    # Days 3, 9, 12, 12, 14, 15: mean 65 / 6, the 90th percentile is the 6th of 6 (nearest
    # rank), the median the mean of the 3rd and 4th.
    assert totals.average_days == pytest.approx(65 / 6)
    assert (totals.p90_days, totals.median_days) == (15, 12)
    assert (totals.with_information_request, totals.average_paused_days) == (1, 4.0)
    assert (totals.extended, totals.internal_transfers, totals.transferred_out) == (1, 1, 1)
    assert board.open_by_state == {"on_time": 0, "due_soon": 0, "overdue": 1, "paused": 0}
    # Q3, due 24 March, nobody at the local office took it: 8 calendar days overdue on 1 April.
    (unassigned,) = board.workload
    assert (unassigned.official, unassigned.open, unassigned.overdue) == ("Sin asignar", 1, 1)
    assert unassigned.days_overdue == 8
    assert [m for m, f in board.months] == [MARCH]
    assert board.refreshed_at is not None


def test_a_subtree_and_its_breakdowns(month: Month) -> None:
    root = Dependency.objects.get(code="DESPACHO")
    board = dashboard(Scope(entity=month.entity, start=MARCH, end=MARCH, dependency=root))
    lines = {line.label: line.figures for line in board.by_dependency}
    # Q3 was moved to the local office and waits there; the rest are at coverage.
    assert {label: f.received for label, f in lines.items()} == {
        "Dependencia DIR-COBERTURA": 7,
        "Dependencia DLE-08": 1,
    }
    assert lines["Dependencia DIR-COBERTURA"].answer_days_sum == 65
    local = Dependency.objects.get(code="DLE-08")
    narrowed = dashboard(Scope(entity=month.entity, start=MARCH, end=MARCH, dependency=local))
    assert (narrowed.totals.received, narrowed.totals.answered) == (1, 0)
    assert narrowed.open_by_state["overdue"] == 1
    # Its school has no cases; the office's own case is a line of its own.
    assert [(line.label, line.figures.received) for line in narrowed.by_dependency] == [
        ("Dependencia DLE-08", 1)
    ]
    services = {line.key: line.figures for line in board.by_service}
    assert services["acceso-informacion"].received == 4
    assert services["acceso-informacion"].transferred_out == 1
    assert (services["queja"].received, services["queja"].withdrawn) == (4, 1)
    only = dashboard(Scope(entity=month.entity, start=MARCH, end=MARCH, service=month.complaint))
    assert (only.totals.on_time, only.totals.late, only.totals.median_days) == (2, 0, 14.5)


def test_an_empty_period_has_no_figures_rather_than_zero_shares(month: Month) -> None:
    board = dashboard(Scope(entity=month.entity, start=date(2025, 1, 1), end=date(2025, 2, 1)))
    assert board.totals.received == 0
    assert board.totals.on_time_share is None and board.totals.p90_days is None
    assert [m for m, f in board.months] == [date(2025, 1, 1), date(2025, 2, 1)]


def test_the_receiving_entity_counts_the_transferred_request_as_its_own(month: Month) -> None:
    board = dashboard(Scope(entity=month.other, start=MARCH, end=MARCH))
    assert (board.totals.received, board.totals.transferred_out) == (1, 0)


def test_the_deadline_page_reads_last_month_and_the_year(month: Month) -> None:
    (board,) = deadline_boards(today=date(2026, 4, 15))
    assert board.entity == month.entity and board.last_month == MARCH
    assert (board.totals_month.on_time, board.totals_month.timed) == (5, 6)
    assert board.first_month == date(2025, 4, 1)
    lines = {line.service.slug: line for line in board.lines}
    assert (lines["acceso-informacion"].last_month.on_time_share) == 3 / 4
    assert lines["acceso-informacion"].last_year.median_days == 10.5  # 3, 9, 12, 12
    assert lines["queja"].last_year.median_days == 14.5  # 14, 15
    assert lines["queja"].trend[-1] == (MARCH, 1.0) and lines["queja"].trend[0][1] is None
    # A month later March is no longer "last month", but still within the year.
    (later,) = deadline_boards(today=date(2026, 5, 2))
    assert later.totals_month.timed == 0 and later.totals_year.timed == 6


def test_the_pqrsd_report_for_march(month: Month) -> None:
    report = pqrsd_report(entity=month.entity, start=date(2026, 3, 1), end=date(2026, 3, 31))
    info = report.information
    assert (info.received, info.transferred, info.answered, info.refused) == (5, 1, 3, 1)
    assert (info.on_time, info.late, info.open_at_end) == (3, 1, 0)
    assert (info.average_days, info.median_days) == (9.0, 10.5)
    assert [(r.filing_number, r.answer_days, r.refused) for r in report.information_requests] == [
        (month.cases["I1"].filing_number, 3, False),
        (month.cases["I3"].filing_number, 12, True),
        (month.cases["I2"].filing_number, 9, False),
        (month.cases["I5"].filing_number, 12, False),
    ]
    complaints = {line.petition_type: line for line in report.complaints}["complaint"]
    assert (complaints.received, complaints.answered, complaints.withdrawn) == (4, 2, 1)
    assert (complaints.open_at_end, complaints.average_days) == (1, 14.5)
    total = report.total
    assert (total.received, total.transferred, total.answered, total.refused) == (9, 1, 5, 1)
    assert (total.on_time, total.late, total.withdrawn, total.open_at_end) == (5, 1, 1, 1)


def test_a_report_ending_before_the_answers_counts_them_open(month: Month) -> None:
    report = pqrsd_report(entity=month.entity, start=date(2026, 3, 1), end=date(2026, 3, 10))
    # By 10 March only I1 was answered and Q2 withdrawn; I4 had left for SDS.
    assert (report.information.answered, report.information.open_at_end) == (1, 3)
    assert report.complaints[0].open_at_end == 3


def test_cases_closed_before_facts_were_kept_get_them_from_their_route(month: Month) -> None:
    expected = {
        f.case_id: (f.outcome, f.answer_days, f.on_time, f.information_requests)
        for f in CaseFact.objects.exclude(outcome=Outcome.OPEN)
    }
    CaseFact.objects.all().delete()
    assert facts_backfill() == 7  # the closed ones; Q3 is open
    rebuilt = {
        f.case_id: (f.outcome, f.answer_days, f.on_time, f.information_requests)
        for f in CaseFact.objects.all()
    }
    assert rebuilt == expected
