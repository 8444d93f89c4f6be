"""The survey's link in the closing notice: added to the default case_closed texts (email and
text message, Spanish and English) and shown only when the notice carries `survey_url`."""

from __future__ import annotations

from typing import Any

from ventanilla.notifications.defaults import TEMPLATES

SUFFIXES: dict[tuple[str, str], str] = {
    ("email", "es"): (
        "{% if survey_url %}\n\n¿Cómo lo atendimos? Cuéntenos en una encuesta de un minuto, "
        "sin necesidad de cuenta: {{ survey_url }}{% endif %}"
    ),
    ("email", "en"): (
        "{% if survey_url %}\n\nHow did we do? Tell us in a one-minute survey, no account "
        "needed: {{ survey_url }}{% endif %}"
    ),
    ("sms", "es"): "{% if survey_url %} Califique la atención: {{ survey_url }}{% endif %}",
    ("sms", "en"): "{% if survey_url %} Rate our service: {{ survey_url }}{% endif %}",
}


def _default(channel: str, language: str) -> str:
    _subject, email, short = TEMPLATES["case_closed"][language]
    return email if channel == "email" else str(short)


def add_survey_link(model: Any) -> None:
    """Append the link to the case_closed templates administrators have not changed."""
    for (channel, language), suffix in SUFFIXES.items():
        model.objects.filter(
            event="case_closed",
            channel=channel,
            language=language,
            body=_default(channel, language),
        ).update(body=_default(channel, language) + suffix)


def remove_survey_link(model: Any) -> None:
    for (channel, language), suffix in SUFFIXES.items():
        model.objects.filter(
            event="case_closed",
            channel=channel,
            language=language,
            body=_default(channel, language) + suffix,
        ).update(body=_default(channel, language))


# The invitation after a finished turn: its own notice, by email or else by text message.
SURVEY_INVITATION = "survey_invitation"
TURN_TEMPLATES: dict[str, tuple[str, str, str]] = {
    "es": (
        "¿Cómo lo atendimos en {{ point }}?",
        "Hola{% if name %}, {{ name }}{% endif %}:\n\nGracias por venir a {{ point }} "
        "(turno {{ code }}). ¿Cómo lo atendimos? Cuéntenos en una encuesta de un minuto, sin "
        "necesidad de cuenta:\n\n{{ survey_url }}",
        "Gracias por venir a {{ point }}. Califique la atención: {{ survey_url }}",
    ),
    "en": (
        "How did we do at {{ point }}?",
        "Hello{% if name %} {{ name }}{% endif %},\n\nThank you for coming to {{ point }} "
        "(turn {{ code }}). How did we do? Tell us in a one-minute survey, no account "
        "needed:\n\n{{ survey_url }}",
        "Thank you for coming to {{ point }}. Rate our service: {{ survey_url }}",
    ),
}


def ensure_turn_templates(model: Any) -> None:
    """Create any missing default template of the invitation after a turn (`model` is
    NotificationTemplate, real or historical); edited templates are left alone."""
    for language, (subject, email_body, short) in TURN_TEMPLATES.items():
        for channel, body in (("email", email_body), ("sms", short)):
            model.objects.get_or_create(
                event=SURVEY_INVITATION,
                channel=channel,
                language=language,
                defaults={"subject": subject, "body": body},
            )


def remove_turn_templates(model: Any) -> None:
    model.objects.filter(event=SURVEY_INVITATION).delete()
