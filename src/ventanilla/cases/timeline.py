"""The tamper-evident route of a case: each event chains the SHA-256 of the one before.

An event's hash covers its canonical content (sorted-key JSON of every field that tells what
happened) and the previous event's hash, so editing, deleting or reordering any event breaks
every hash after it. `verify_chain` finds the first broken link.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from ventanilla.cases.models import Case, TimelineEvent

GENESIS = "0" * 64


def canonical_content(
    *,
    filing_number: str,
    sequence: int,
    at: datetime,
    actor_id: int | None,
    actor_label: str,
    kind: str,
    stage_from: str,
    stage_to: str,
    citizen_visible: bool,
    message: str,
    data: dict[str, Any],
) -> str:
    return json.dumps(
        {
            "case": filing_number,
            "sequence": sequence,
            "at": at.astimezone(UTC).isoformat(),
            "actor": actor_id,
            "actor_label": actor_label,
            "kind": kind,
            "stage_from": stage_from,
            "stage_to": stage_to,
            "citizen_visible": citizen_visible,
            "message": message,
            "data": data,
        },
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        default=str,
    )


def chain_hash(previous_hash: str, content: str) -> str:
    return hashlib.sha256(f"{previous_hash}\n{content}".encode()).hexdigest()


def event_append(
    *,
    case: Case,
    at: datetime,
    kind: str,
    actor_id: int | None,
    actor_label: str,
    stage_from: str = "",
    stage_to: str = "",
    citizen_visible: bool = True,
    message: str = "",
    data: dict[str, Any] | None = None,
) -> TimelineEvent:
    """Append one event to `case`'s route. The caller holds the case row locked."""
    last = (
        TimelineEvent.objects.filter(case=case)
        .order_by("-sequence")
        .values_list("sequence", "hash")
        .first()
    )
    sequence, previous = (last[0] + 1, last[1]) if last else (1, GENESIS)
    payload = data or {}
    content = canonical_content(
        filing_number=case.filing_number,
        sequence=sequence,
        at=at,
        actor_id=actor_id,
        actor_label=actor_label,
        kind=kind,
        stage_from=stage_from,
        stage_to=stage_to,
        citizen_visible=citizen_visible,
        message=message,
        data=payload,
    )
    return TimelineEvent.objects.create(
        case=case,
        sequence=sequence,
        at=at,
        actor_id=actor_id,
        actor_label=actor_label,
        kind=kind,
        stage_from=stage_from,
        stage_to=stage_to,
        citizen_visible=citizen_visible,
        message=message,
        data=payload,
        previous_hash=previous,
        hash=chain_hash(previous, content),
    )


@dataclass(frozen=True)
class Break:
    case: str
    sequence: int
    reason: str


def verify_chain(case: Case, events: Iterable[TimelineEvent]) -> Break | None:
    """The first event of `case` whose link is broken, or None when the route is intact."""
    previous = GENESIS
    expected_sequence = 1
    for event in events:
        if event.sequence != expected_sequence:
            return Break(case.filing_number, expected_sequence, "an event is missing")
        if event.previous_hash != previous:
            return Break(case.filing_number, event.sequence, "it does not follow the event before")
        content = canonical_content(
            filing_number=case.filing_number,
            sequence=event.sequence,
            at=event.at,
            actor_id=event.actor_id,
            actor_label=event.actor_label,
            kind=event.kind,
            stage_from=event.stage_from,
            stage_to=event.stage_to,
            citizen_visible=event.citizen_visible,
            message=event.message,
            data=event.data,
        )
        if chain_hash(previous, content) != event.hash:
            return Break(case.filing_number, event.sequence, "its content was changed")
        previous = event.hash
        expected_sequence += 1
    return None
