"""How each step of a case's route reads to the citizen, in plain language and without the
officials' comments (the tracking page, the citizen's area and the API all use it)."""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ventanilla.cases.effects import CaseEffect
from ventanilla.cases.models import Case, TimelineEvent
from ventanilla.cases.timeline import EventKind
from ventanilla.catalog.effects import effect_for


def event_text(event: TimelineEvent, case: Case) -> str:
    """What happened, as the citizen reads it, without the officials' comments."""
    workflow = case.service_version.parsed.workflow
    language = get_language() or "es"
    stage = (
        workflow.stage(event.stage_to).citizen_label.get(language)
        if event.stage_to and event.stage_to in {s.key for s in workflow.stages}
        else ""
    )
    texts: dict[str, str] = {
        EventKind.FILED: _("Recibimos su solicitud."),
        EventKind.MESSAGE: _("Hay un mensaje nuevo."),
        EventKind.REMINDER: _("Le recordamos que debe enviarnos la información."),
        EventKind.CLAIMED: _("La solicitud quedó en la cuenta de quien la radicó."),
    }
    if event.kind in texts:
        return texts[event.kind]
    try:
        effect = effect_for(event.kind)
    except KeyError:
        return stage
    if isinstance(effect, CaseEffect):
        return effect.citizen_text(event, stage)
    return stage
