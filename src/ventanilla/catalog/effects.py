"""Workflow effects: what an action does besides moving a case to its next stage.

An effect is one small class: its key (what a service definition names in `effect:`), its
words for administrators, which roles may hold it, what it asks of the definition (a closing
effect must lead to a terminal stage…) and which inputs it takes. The catalogue validates
definitions with these; the app that runs cases subclasses them to apply the effect
(`cases.effects`). A new effect is one module and one `register(...)` call, from that app's
`AppConfig.ready`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from ventanilla.catalog.schema import Action, Workflow

# Who may hold an action, by the kind of role (`RoleName` values).
OFFICIALS = frozenset({"viewer", "handler", "approver", "supervisor", "administrator"})
CITIZEN = "citizen"
SYSTEM = "system"
ANYONE = OFFICIALS | {CITIZEN, SYSTEM}


class WorkflowEffect:
    """What the catalogue knows of an effect; `cases.effects` adds how it is applied."""

    key: ClassVar[str]
    label: ClassVar[str | Promise]  # what it does, in the admin's words
    roles: ClassVar[frozenset[str]] = ANYONE  # the roles an action with it may name
    ends_case: ClassVar[bool] = False  # it closes the case: the action leads to a terminal stage
    reopens: ClassVar[bool] = False  # it leads from terminal stages back into the workflow
    answers: ClassVar[bool] = False  # it issues the written answer to the citizen
    asks_citizen: ClassVar[bool] = False  # it needs a citizen who can answer (no anonymous)
    keeps_owner: ClassVar[bool] = False  # the case stays where the effect put it
    drafts: ClassVar[bool] = False  # its comment is the answer drafted for whoever signs it
    inputs: ClassVar[frozenset[str]] = frozenset()  # what the official gives besides a comment

    def definition_problems(self, action: Action, workflow: Workflow) -> list[str]:
        """What is wrong with `action` in `workflow` for this effect, beyond the general rules."""
        return []


_REGISTRY: dict[str, WorkflowEffect] = {}


def register(effect: WorkflowEffect) -> WorkflowEffect:
    """Make `effect` available to service definitions under its key (replacing one with the
    same key, so that the app that runs it can extend what the catalogue declared)."""
    _REGISTRY[effect.key] = effect
    return effect


def effect_for(key: str) -> WorkflowEffect:
    """The registered effect `key`; KeyError when nobody registered it."""
    return _REGISTRY[key]


def effect_keys() -> list[str]:
    return sorted(_REGISTRY)


# The effects of Ley 1755 de 2015 as the catalogue declares them: art. 17 information requests,
# art. 14 extension, art. 21 transfer, the answer, withdrawal. `cases.effects` registers the
# runnable versions of the same keys.


class Advance(WorkflowEffect):
    key = "advance"
    label = _("avanza")


class DraftAnswer(WorkflowEffect):
    """The one step that sends the answer a handler wrote to whoever signs it: the comment is
    the answer, kept as the case's draft; other actions into the same stage carry none."""

    key = "draft_answer"
    label = _("proyecta la respuesta y la pasa a firma")
    roles = OFFICIALS
    drafts = True

    def definition_problems(self, action: Action, workflow: Workflow) -> list[str]:
        signed = any(
            effect_for(other.effect).answers and action.to_stage in other.from_stages
            for other in workflow.actions
        )
        if signed:
            return []
        return [
            f"action `{action.key}` drafts the answer, but no answering action leaves "
            f"`{action.to_stage}`"
        ]


class RequestInformation(WorkflowEffect):
    key = "request_information"
    label = _("pide información (detiene el término)")
    roles = OFFICIALS
    asks_citizen = True

    def definition_problems(self, action: Action, workflow: Workflow) -> list[str]:
        answered = any(
            other.effect == ProvideInformation.key and action.to_stage in other.from_stages
            for other in workflow.actions
        )
        if answered:
            return []
        return [
            f"action `{action.key}` asks the citizen for information, but no "
            f"`provide_information` action leaves `{action.to_stage}`"
        ]


class ProvideInformation(WorkflowEffect):
    key = "provide_information"
    label = _("entrega la información (reanuda el término)")
    roles = OFFICIALS | {CITIZEN}
    asks_citizen = True


class ExtendTerm(WorkflowEffect):
    key = "extend_term"
    label = _("prorroga el término")
    roles = OFFICIALS
    inputs = frozenset({"new_due_date"})


class Transfer(WorkflowEffect):
    key = "transfer"
    label = _("traslada")
    roles = OFFICIALS
    keeps_owner = True
    inputs = frozenset({"target_dependency", "target_entity"})


class CloseWithResponse(WorkflowEffect):
    key = "close_with_response"
    label = _("cierra con respuesta")
    roles = OFFICIALS
    ends_case = True
    answers = True


class Reject(CloseWithResponse):
    key = "reject"
    label = _("rechaza")


class Withdraw(WorkflowEffect):
    key = "withdraw"
    label = _("cierra por desistimiento")
    ends_case = True


class Reopen(WorkflowEffect):
    key = "reopen"
    label = _("reabre")
    roles = OFFICIALS
    reopens = True
    keeps_owner = True


for _effect in (
    Advance,
    DraftAnswer,
    RequestInformation,
    ProvideInformation,
    ExtendTerm,
    Transfer,
    CloseWithResponse,
    Reject,
    Withdraw,
    Reopen,
):
    register(_effect())
