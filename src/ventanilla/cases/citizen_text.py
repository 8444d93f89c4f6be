"""How each step of a case's route reads to the citizen, in plain language and without the
officials' comments (the tracking page, the citizen's area and the API all use it)."""

from __future__ import annotations

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from ventanilla.cases.models import Case, TimelineEvent


def event_text(event: TimelineEvent, case: Case) -> str:
    """What happened, as the citizen reads it, without the officials' comments."""
    workflow = case.service_version.parsed.workflow
    language = get_language() or "es"
    stage = (
        workflow.stage(event.stage_to).citizen_label.get(language)
        if event.stage_to and event.stage_to in {s.key for s in workflow.stages}
        else ""
    )
    texts = {
        "filed": _("Recibimos su solicitud."),
        "advance": _("Su solicitud avanzó: %(stage)s.") % {"stage": stage},
        "request_information": _("Le pedimos información para continuar."),
        "provide_information": _("Recibimos la información que nos envió."),
        "extend_term": _("Ampliamos el plazo para responder hasta el %(date)s.")
        % {"date": event.data.get("due_date", "")},
        "transfer": _("Pasamos su solicitud a la dependencia que debe atenderla."),
        "close_with_response": _("Le respondimos."),
        "reject": _("Su solicitud no procede; lea la respuesta."),
        "withdraw": _("La solicitud se cerró por desistimiento."),
        "reopen": _("Reabrimos su solicitud."),
        "message": _("Hay un mensaje nuevo."),
        "reminder": _("Le recordamos que debe enviarnos la información."),
        "claimed": _("La solicitud quedó en la cuenta de quien la radicó."),
    }
    return texts.get(event.kind, stage)
