"""Default texts of the turn notices, in Spanish and English; administrators edit them in the
notification templates. (subject, email body, short text for SMS)."""

from __future__ import annotations

from typing import Any

TEMPLATES: dict[str, dict[str, tuple[str, str, str]]] = {
    "turn_near": {
        "es": (
            "Su turno {{ code }} está cerca",
            "Hola{% if name %}, {{ name }}{% endif %}:\n\nSu turno {{ code }} en {{ point }} "
            "está cerca: {% if ahead == 0 %}usted sigue{% else %}hay {{ ahead }} antes que "
            "usted{% endif %}. Acérquese a la sala de espera.\n\nSígalo en {{ ticket_url }}",
            "Turno {{ code }} en {{ point }}: ya casi es su turno. Acérquese. {{ ticket_url }}",
        ),
        "en": (
            "Your turn {{ code }} is near",
            "Hello{% if name %} {{ name }}{% endif %},\n\nYour turn {{ code }} at {{ point }} "
            "is near: {% if ahead == 0 %}you are next{% else %}{{ ahead }} ahead of "
            "you{% endif %}. Please come to the waiting room.\n\nFollow it at {{ ticket_url }}",
            "Turn {{ code }} at {{ point }}: you are almost next. Please come. {{ ticket_url }}",
        ),
    },
    "turn_called": {
        "es": (
            "¡Es su turno {{ code }}! Diríjase al puesto {{ desk }}",
            "Hola{% if name %}, {{ name }}{% endif %}:\n\nEs su turno {{ code }} en {{ point }}. "
            "Diríjase al puesto {{ desk }}.",
            "¡Es su turno {{ code }}! Diríjase al puesto {{ desk }} en {{ point }}.",
        ),
        "en": (
            "It is your turn {{ code }}! Go to desk {{ desk }}",
            "Hello{% if name %} {{ name }}{% endif %},\n\nIt is your turn {{ code }} at "
            "{{ point }}. Please go to desk {{ desk }}.",
            "It is your turn {{ code }}! Go to desk {{ desk }} at {{ point }}.",
        ),
    },
}


def ensure_turn_templates(model: Any) -> None:
    """Create any missing default template of the turn notices (`model` is
    NotificationTemplate, real or historical); edited templates are left alone."""
    for event, languages in TEMPLATES.items():
        for language, (subject, email_body, short) in languages.items():
            for channel, body in (("email", email_body), ("sms", short)):
                model.objects.get_or_create(
                    event=event,
                    channel=channel,
                    language=language,
                    defaults={"subject": subject, "body": body},
                )
