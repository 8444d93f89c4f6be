"""The operations that change a case after filing, in one place for the surfaces to call.
Each lives in the module of its concept: acting through the workflow (`transitions`, with the
effects in `effects/`), messages and notes (`messages`), assignment (`assignment`), answers
(`responses`), claims (`claims`), upkeep as days pass (`upkeep`); filing is `filing`."""

from __future__ import annotations

from ventanilla.cases.effects import NotAllowed, TransitionError, TransitionInput
from ventanilla.cases.messages import case_note_add, message_post
from ventanilla.cases.transitions import case_transition

__all__ = [
    "NotAllowed",
    "TransitionError",
    "TransitionInput",
    "case_note_add",
    "case_transition",
    "message_post",
]
