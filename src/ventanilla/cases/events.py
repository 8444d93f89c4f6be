"""What happens to a case, for whoever wants to know: an explicit registry, not Django signals
(ADR 0001). The case engine publishes; apps subscribe without the engine importing them.

A subscriber declares the events it wants and whether it runs inside the transaction of the
change (its writes commit or roll back with it: the outbox does this) or after commit (it may
talk to the outside world or take its time; a failure there cannot undo the change).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from functools import partial
from typing import TYPE_CHECKING, Any

from django.db import transaction

if TYPE_CHECKING:
    from ventanilla.accounts.models import User
    from ventanilla.cases.models import Case

logger = logging.getLogger(__name__)


class CaseEvent(StrEnum):
    FILED = "filed"
    ACTION_TAKEN = "action_taken"  # every workflow action, whatever else it did
    STAGE_ENTERED = "stage_entered"
    INFORMATION_REQUESTED = "information_requested"
    INFORMATION_PROVIDED = "information_provided"
    INFORMATION_REMINDED = "information_reminded"
    TERM_EXTENDED = "term_extended"
    TRANSFERRED = "transferred"
    ANSWERED = "answered"
    CLOSED = "closed"
    REOPENED = "reopened"
    MESSAGE_POSTED = "message_posted"


@dataclass(frozen=True)
class Happened:
    """One change to a case and the events it amounts to (answering a case is also closing
    it): a subscriber is called once per change, whichever of its events it carries."""

    events: frozenset[CaseEvent]
    case: Case
    actor: User | None = None
    as_actor: str = "official"  # cases.workflow.Actor
    message: str = ""  # what the citizen is told, if anything
    context: dict[str, Any] = field(default_factory=dict)  # the event's own facts


Handler = Callable[[Happened], None]


@dataclass(frozen=True)
class _Subscription:
    handler: Handler
    events: frozenset[CaseEvent]
    after_commit: bool


_SUBSCRIPTIONS: list[_Subscription] = []


def subscribe(*events: CaseEvent, after_commit: bool = False) -> Callable[[Handler], Handler]:
    """Decorate a handler of `events`; register it from the subscribing app's `ready()`."""

    def register(handler: Handler) -> Handler:
        if not any(s.handler is handler for s in _SUBSCRIPTIONS):
            _SUBSCRIPTIONS.append(_Subscription(handler, frozenset(events), after_commit))
        return handler

    return register


def unsubscribe(handler: Handler) -> None:
    _SUBSCRIPTIONS[:] = [s for s in _SUBSCRIPTIONS if s.handler is not handler]


def publish(happened: Happened) -> None:
    """Call every subscriber of the events `happened` carries: now, inside the caller's
    transaction, or once it commits."""
    for subscription in list(_SUBSCRIPTIONS):
        if not subscription.events & happened.events:
            continue
        if subscription.after_commit:
            transaction.on_commit(partial(_after_commit, subscription.handler, happened))
        else:
            subscription.handler(happened)


def _after_commit(handler: Handler, happened: Happened) -> None:
    # The change is committed: a failing subscriber must not turn it into an error page.
    try:
        handler(happened)
    except Exception:
        logger.exception("case event subscriber %s failed", getattr(handler, "__name__", handler))
