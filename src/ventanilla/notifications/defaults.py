"""Default texts of every notification, in Spanish and English; administrators edit them.

Each event has (subject, email body, short text for SMS and in-app notices); events that only
ever go by email have no short text."""

from __future__ import annotations

from typing import Any

URL = "{{ tracking_path }}"

TEMPLATES: dict[str, dict[str, tuple[str, str, str | None]]] = {
    "case_filed": {
        "es": (
            "Radicamos su solicitud {{ filing_number }}",
            "Hola, {{ applicant_name }}:\n\nRecibimos su solicitud «{{ service_title_es }}».\n\n"
            "Número de radicado: {{ filing_number }}\n"
            "{% if code %}Código de verificación: {{ code }}\n{% endif %}"
            "Fecha máxima de respuesta: {{ due_date }}\n\n"
            "Siga su solicitud, responda lo que le pidamos y reciba la respuesta aquí: "
            + URL
            + "\n\nTambién puede consultarla en {{ site_name }}, sección «Seguimiento», con el "
            "número de radicado y el código.\n\n"
            "Guarde este correo: es su constancia de radicación.",
            "Radicado {{ filing_number }}. Código {{ code }}. "
            "Respuesta a más tardar el {{ due_date }}.",
        ),
        "en": (
            "We filed your request {{ filing_number }}",
            "Hello {{ applicant_name }},\n\nWe received your request “{{ service_title_en }}”.\n\n"
            "Filing number: {{ filing_number }}\n"
            "{% if code %}Verification code: {{ code }}\n{% endif %}"
            "Answer due by: {{ due_date }}\n\n"
            "Follow your request, answer what we ask and receive the answer here: "
            + URL
            + "\n\nYou can also check it on {{ site_name }}, under “Track”, with the filing "
            "number and the code.\n\nKeep this email: it is your filing receipt.",
            "Filed {{ filing_number }}. Code {{ code }}. Answer due by {{ due_date }}.",
        ),
    },
    "case_updated": {
        "es": (
            "Su solicitud {{ filing_number }} cambió de estado",
            "Hola, {{ applicant_name }}:\n\nSu solicitud {{ filing_number }} ahora está así: "
            "{{ stage_es }}.\n{% if message %}\n{{ message }}\n{% endif %}\n"
            "Fecha máxima de respuesta: {{ due_date }}\n\nVea el detalle en " + URL,
            "Su solicitud {{ filing_number }}: {{ stage_es }}.",
        ),
        "en": (
            "Your request {{ filing_number }} has changed",
            "Hello {{ applicant_name }},\n\nYour request {{ filing_number }} is now: "
            "{{ stage_en }}.\n{% if message %}\n{{ message }}\n{% endif %}\n"
            "Answer due by: {{ due_date }}\n\nSee the details at " + URL,
            "Your request {{ filing_number }}: {{ stage_en }}.",
        ),
    },
    "information_requested": {
        "es": (
            "Necesitamos información para su solicitud {{ filing_number }}",
            "Hola, {{ applicant_name }}:\n\nPara seguir con su solicitud {{ filing_number }} "
            "necesitamos lo siguiente:\n\n{{ message }}\n\nTiene plazo hasta el "
            "{{ information_deadline }}. Mientras tanto el término para respondernos está "
            "detenido. Si no recibimos la información a tiempo, la solicitud se cerrará por "
            "desistimiento (Ley 1755 de 2015, art. 17).\n\nResponda en " + URL,
            "Necesitamos información para {{ filing_number }}. Plazo: {{ information_deadline }}.",
        ),
        "en": (
            "We need information for your request {{ filing_number }}",
            "Hello {{ applicant_name }},\n\nTo go on with your request {{ filing_number }} we "
            "need the following:\n\n{{ message }}\n\nYou have until {{ information_deadline }}. "
            "Meanwhile the time we have to answer is stopped. If we do not receive the "
            "information in time, the request will be closed as withdrawn (Ley 1755 de 2015, "
            "art. 17).\n\nAnswer at " + URL,
            "We need information for {{ filing_number }}. Deadline: {{ information_deadline }}.",
        ),
    },
    "information_reminder": {
        "es": (
            "Recuerde: su plazo para responder vence el {{ information_deadline }}",
            "Hola, {{ applicant_name }}:\n\nSeguimos esperando la información que pedimos para "
            "su solicitud {{ filing_number }}. Su plazo vence el {{ information_deadline }}; "
            "después la solicitud se cerrará por desistimiento.\n\nResponda en " + URL,
            "Recuerde responder {{ filing_number }} antes del {{ information_deadline }}.",
        ),
        "en": (
            "Reminder: your time to answer ends on {{ information_deadline }}",
            "Hello {{ applicant_name }},\n\nWe are still waiting for the information we asked "
            "for your request {{ filing_number }}. Your time ends on {{ information_deadline }}; "
            "after that the request will be closed as withdrawn.\n\nAnswer at " + URL,
            "Remember to answer {{ filing_number }} before {{ information_deadline }}.",
        ),
    },
    "case_closed": {
        "es": (
            "Su solicitud {{ filing_number }} tiene respuesta",
            "Hola, {{ applicant_name }}:\n\nSu solicitud {{ filing_number }} quedó así: "
            "{{ stage_es }}.\n{% if message %}\n{{ message }}\n{% endif %}\n"
            "Vea la respuesta y descargue los documentos en " + URL,
            "{{ filing_number }}: {{ stage_es }}. Vea la respuesta en línea.",
        ),
        "en": (
            "Your request {{ filing_number }} has an answer",
            "Hello {{ applicant_name }},\n\nYour request {{ filing_number }} ended as follows: "
            "{{ stage_en }}.\n{% if message %}\n{{ message }}\n{% endif %}\n"
            "See the answer and download the documents at " + URL,
            "{{ filing_number }}: {{ stage_en }}. See the answer online.",
        ),
    },
    "message_received": {
        "es": (
            "Tiene un mensaje sobre su solicitud {{ filing_number }}",
            "Hola, {{ applicant_name }}:\n\nLe escribimos sobre su solicitud {{ filing_number }}:"
            "\n\n{{ message }}\n\nPuede respondernos en " + URL,
            "Mensaje nuevo sobre {{ filing_number }}.",
        ),
        "en": (
            "You have a message about your request {{ filing_number }}",
            "Hello {{ applicant_name }},\n\nWe wrote to you about your request "
            "{{ filing_number }}:\n\n{{ message }}\n\nYou can reply at " + URL,
            "New message about {{ filing_number }}.",
        ),
    },
    "guest_code": {
        "es": (
            "Su código para radicar en {{ site_name }}",
            "Su código es {{ code }}. Escríbalo en la página donde lo pidió. Si no fue usted, "
            "ignore este correo.",
            None,
        ),
        "en": (
            "Your code to file on {{ site_name }}",
            "Your code is {{ code }}. Type it on the page where you asked for it. If it was not "
            "you, ignore this email.",
            None,
        ),
    },
    "guest_link": {
        "es": (
            "Enlace para ver y responder su solicitud {{ filing_number }}",
            "Hola, {{ applicant_name }}:\n\nCon este enlace puede ver su solicitud "
            "{{ filing_number }}, responder lo que le pidamos y descargar la respuesta:\n\n"
            + URL
            + "\n\nSi no lo pidió usted, ignore este correo: nadie más lo recibió.",
            None,
        ),
        "en": (
            "Link to see and answer your request {{ filing_number }}",
            "Hello {{ applicant_name }},\n\nWith this link you can see your request "
            "{{ filing_number }}, answer what we ask you and download the answer:\n\n"
            + URL
            + "\n\nIf you did not ask for it, ignore this email: nobody else received it.",
            None,
        ),
    },
}


def ensure_default_templates(
    model: Any, templates: dict[str, dict[str, tuple[str, str, str | None]]] | None = None
) -> None:
    """Create any missing default template (`model` is NotificationTemplate, real or
    historical) of `templates` (this app's by default; another app passes its own events');
    templates administrators changed are left alone."""
    for event, languages in (TEMPLATES if templates is None else templates).items():
        for language, (subject, email_body, short) in languages.items():
            bodies = [("email", email_body)]
            if short is not None:
                bodies += [("sms", short), ("in_app", short)]
            for channel, body in bodies:
                model.objects.get_or_create(
                    event=event,
                    channel=channel,
                    language=language,
                    defaults={"subject": subject, "body": body},
                )
