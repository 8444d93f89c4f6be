"""How a case reads to its citizen: plain-language stage and route, shared by the tracking
page and the citizen's area."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.utils.translation import get_language

from ventanilla.cases import selectors
from ventanilla.cases.citizen_text import event_text
from ventanilla.cases.models import Case
from ventanilla.catalog.selectors import complaint_service

LIVE_POLL_SECONDS = 10


def case_context(case: Case, *, public: bool) -> dict[str, Any]:
    definition = case.service_version.parsed
    language = get_language() or "es"
    route = [
        {"at": event.at, "text": event_text(event, case)} for event in selectors.citizen_route(case)
    ]
    return {
        "case": case,
        "definition": definition,
        "service_title": definition.title.get(language),
        "stage_label": definition.workflow.stage(case.stage).citizen_label.get(language),
        "route": route,
        "chain_head": selectors.last_hash(case),
        # Past its due date: said plainly, with what the citizen can do about it.
        "overdue": (overdue := selectors.is_overdue(case)),
        "complaint_service": complaint_service(case.entity_id) if overdue else None,
        "public": public,
        "poll_seconds": LIVE_POLL_SECONDS,
    }


def poll_unchanged(request: HttpRequest, case: Case) -> bool:
    """A live-status poll from a page that already shows the case as it is: the page sends the
    route's head hash it has, and gets an empty 204 back while it still matches — a few hundred
    bytes instead of the whole status on a phone's metered connection."""
    shown = request.GET.get("huella", "")
    return (
        bool(request.headers.get("HX-Request"))
        and bool(shown)
        and (shown == selectors.last_hash(case))
    )
