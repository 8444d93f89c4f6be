"""Background upkeep of cases: the SLA state and information requests, as days pass."""

from __future__ import annotations

from django.tasks import task

from ventanilla.cases import documents, drafts, upkeep


@task()
def cases_refresh_sla() -> int:
    return upkeep.cases_refresh_sla()


@task()
def information_requests_upkeep() -> list[int]:
    reminded, withdrawn = upkeep.information_requests_upkeep()
    return [reminded, withdrawn]


@task()
def files_sweep() -> int:
    return documents.files_sweep()


@task()
def filing_drafts_sweep() -> list[int]:
    return list(drafts.filing_drafts_sweep())
