"""How an effect runs inside `case_transition`: the step it reads and changes, and its words.

`CaseEffect` extends the catalogue's `WorkflowEffect` (what a definition may say) with `apply`
(what happens to the locked case, inside the transaction) and the words of the route. The
engine (`cases.transitions`) does what every action does — move the stage, route the case to
the stage's owner, refresh the clock's state, append the route's event, publish the case
events — and calls the effect for the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from ventanilla.catalog.effects import WorkflowEffect
from ventanilla.catalog.effects import register as _register

if TYPE_CHECKING:
    from ventanilla.accounts.models import User
    from ventanilla.calendars.business import BusinessCalendar
    from ventanilla.cases.events import CaseEvent
    from ventanilla.cases.models import Case, TimelineEvent
    from ventanilla.cases.uploads import Upload
    from ventanilla.catalog.schema import Action, Stage, Workflow
    from ventanilla.organization.models import Dependency, Entity


class TransitionError(Exception):
    """The action cannot be taken: not allowed to this person, in this stage, or now."""


class NotAllowed(TransitionError):
    pass


class PreparedOutdated(Exception):
    """What the effect prepared before the transaction no longer fits (an answer's outgoing
    number was taken, or what it prints changed): the engine rolls back, discards it and
    prepares again."""


@dataclass
class TransitionInput:
    """What the person taking the action gives: a comment (the answer, for answering effects)
    and the inputs the effect declares (`WorkflowEffect.inputs`)."""

    comment: str = ""
    new_due_date: date | None = None
    target_dependency: Dependency | None = None
    target_entity: Entity | None = None
    attachments: list[Upload] = field(default_factory=list)


def answer_text(case: Case, payload: TransitionInput) -> str:
    """The answer an answering action gives: what was written now, else the drafted one."""
    return payload.comment.strip() or case.response_draft


@dataclass
class Step:
    """A transition being taken: the locked case and what the effect may read or change."""

    case: Case
    action: Action
    actor: User | None
    as_actor: str  # cases.workflow.Actor
    payload: TransitionInput
    workflow: Workflow
    target: Stage  # where the case goes; an effect may send it elsewhere
    today: date
    now: datetime  # when it happens; an answer is dated when it was rendered
    calendar: BusinessCalendar
    prepared: Any = None  # what the effect's `prepare` made before the transaction
    data: dict[str, object] = field(default_factory=dict)  # facts for the route's event
    events: set[CaseEvent] = field(default_factory=set)  # what happened, for subscribers
    citizen_message: str = ""  # what the citizen is told
    moved: bool = False  # the effect sent the case to another dependency itself


class CaseEffect(WorkflowEffect):
    """A runnable effect. Subclass the catalogue's declaration of the same key (or
    `WorkflowEffect` for a new one), implement `apply`, and `register` an instance."""

    def route_title(self) -> str:
        """How the officials' route names the step when the action is not in the workflow any
        more (a newer version); the action's own label comes first."""
        return str(self.label)

    def prepare(self, *, case: Case, actor: User | None, payload: TransitionInput) -> object | None:
        """Slow work done before the transaction and its locks (rendering a document, say),
        for `apply` to use as `step.prepared`. `case` is read without a lock: `apply` checks
        that what was prepared still fits and raises PreparedOutdated if not."""
        return None

    def discard(self, prepared: object) -> None:
        """Undo `prepare` when its result was not used (the transaction failed or must be
        tried again): delete what it stored."""

    def apply(self, step: Step) -> None:
        """Change `step.case` (locked) and say what happened; raise TransitionError with a
        message for the person when the action cannot be taken now."""

    def citizen_text(self, event: TimelineEvent, stage_label: str) -> str:
        """The step as the citizen reads it on their route."""
        return stage_label

    def route_detail(self, data: dict[str, object]) -> str:
        """Facts of the step's event that the officials' route shows beside its title."""
        return ""


def register(effect: CaseEffect) -> CaseEffect:
    """Make `effect` what service definitions mean by its key, and what the engine runs."""
    _register(effect)
    return effect
