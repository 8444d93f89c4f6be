"""The runnable workflow effects: one class each, registered under the key a service
definition names. `cases.apps` imports this package when Django starts; another app adds an
effect the same way, from its own `AppConfig.ready` (see ARCHITECTURE.md)."""

from __future__ import annotations

from ventanilla.cases.effects import answers, clock, moves
from ventanilla.cases.effects.base import (
    CaseEffect,
    NotAllowed,
    PreparedOutdated,
    Step,
    TransitionError,
    TransitionInput,
    register,
)
from ventanilla.catalog.effects import effect_for

__all__ = [
    "CaseEffect",
    "NotAllowed",
    "PreparedOutdated",
    "Step",
    "TransitionError",
    "TransitionInput",
    "register",
    "runnable",
]

for _effect in (
    moves.Advance(),
    moves.DraftAnswer(),
    clock.RequestInformation(),
    clock.ProvideInformation(),
    clock.ExtendTerm(),
    moves.Transfer(),
    answers.CloseWithResponse(),
    answers.Reject(),
    answers.Withdraw(),
    moves.Reopen(),
):
    register(_effect)


def runnable(key: str) -> CaseEffect:
    """The effect `key` as the engine runs it; TransitionError when only the catalogue knows
    it (an app that declared it is not installed)."""
    effect = effect_for(key)
    if not isinstance(effect, CaseEffect):
        raise TransitionError(f"the effect `{key}` is declared but nothing runs it")
    return effect
