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
from enum import StrEnum
from typing import Any

from ventanilla.cases.models import Case, TimelineEvent

GENESIS = "0" * 64


class EventKind(StrEnum):
    """The kinds of route event the engine writes itself; an event of a workflow action has its
    effect's key as its kind (`catalog.effects`)."""

    FILED = "filed"
    ASSIGNMENT = "assignment"
    RESPONSE_DRAFTED = "response_drafted"
    MESSAGE = "message"
    NOTE = "note"
    REMINDER = "reminder"
    CLAIMED = "claimed"


# What an event's hash covers: its key in the canonical JSON → the TimelineEvent field. Declared
# once, for writing and for checking alike; a test fails if a field of the model is in neither
# this nor UNHASHED, so a new field cannot silently fall out of the hash.
HASHED = {
    "sequence": "sequence",
    "at": "at",
    "actor": "actor_id",
    "actor_label": "actor_label",
    "kind": "kind",
    "stage_from": "stage_from",
    "stage_to": "stage_to",
    "citizen_visible": "citizen_visible",
    "message": "message",
    "data": "data",
}
UNHASHED = frozenset({"id", "case", "previous_hash", "hash"})  # "case" goes in as its number


def canonical_content(event: TimelineEvent, filing_number: str) -> str:
    """The event as the hash sees it: sorted-key JSON of what it says happened."""
    content: dict[str, Any] = {"case": filing_number}
    for key, attribute in HASHED.items():
        content[key] = getattr(event, attribute)
    content["at"] = event.at.astimezone(UTC).isoformat()
    return json.dumps(
        content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str
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
    first: bool = False,
) -> TimelineEvent:
    """Append one event to `case`'s route. The caller holds the case row locked; `first` says
    the case was created in this transaction, so there is nothing before it to look up."""
    last = (
        None
        if first
        else TimelineEvent.objects.filter(case=case)
        .order_by("-sequence")
        .values_list("sequence", "hash")
        .first()
    )
    sequence, previous = (last[0] + 1, last[1]) if last else (1, GENESIS)
    event = TimelineEvent(
        case=case,
        sequence=sequence,
        at=at,
        actor_id=actor_id,
        actor_label=actor_label,
        kind=str(kind),
        stage_from=stage_from,
        stage_to=stage_to,
        citizen_visible=citizen_visible,
        message=message,
        data=data or {},
        previous_hash=previous,
    )
    event.hash = chain_hash(previous, canonical_content(event, case.filing_number))
    event.save(force_insert=True)
    return event


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
        if chain_hash(previous, canonical_content(event, case.filing_number)) != event.hash:
            return Break(case.filing_number, event.sequence, "its content was changed")
        previous = event.hash
        expected_sequence += 1
    return None
