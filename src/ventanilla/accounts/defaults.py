"""The first data-processing notice, so that a new deployment can take sign-ups at once.

Administrators publish later versions in the admin; a version someone accepted never changes.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

VERSION = "2026-1"
TITLE_ES = "Autorización para el tratamiento de datos personales"
TITLE_EN = "Authorisation to process personal data"
IN_FORCE_FROM = datetime(2026, 1, 1, 5, 0, tzinfo=UTC)

BODY_ES = "\n\n".join(
    [
        (
            "La entidad que opera este portal, como responsable del tratamiento, recogerá y usará "
            "sus datos personales (nombres, documento de identidad, datos de contacto y lo que "
            "usted escriba o adjunte en sus solicitudes) para las siguientes finalidades: crear y "
            "administrar su cuenta; radicar, tramitar y responder sus solicitudes, peticiones, "
            "quejas, reclamos, sugerencias y denuncias; enviarle avisos sobre el estado de sus "
            "trámites; agendar sus citas y turnos; medir la calidad del servicio con encuestas; y "
            "producir estadísticas sin datos que lo identifiquen."
        ),
        (
            "Sus datos solo se compartirán con las dependencias y entidades que deban atender su "
            "solicitud, o con otras autoridades cuando la ley lo exija. No se venden ni se usan con"
            " fines comerciales."
        ),
        (
            "Como titular, usted tiene derecho a conocer, actualizar y rectificar sus datos; pedir "
            "prueba de esta autorización; ser informado sobre el uso que se les ha dado; revocar la"
            " autorización o pedir que se supriman cuando no exista un deber legal de conservarlos;"
            " presentar quejas ante la Superintendencia de Industria y Comercio; y acceder "
            "gratuitamente a sus datos. Responder preguntas sobre datos sensibles o sobre niñas, "
            "niños y adolescentes es opcional."
        ),
        (
            "Puede ejercer estos derechos desde «Mi cuenta» o por los canales de contacto que "
            "aparecen al pie de cada página. Este aviso se expide en cumplimiento de la Ley 1581 de"
            " 2012 y el Decreto 1074 de 2015."
        ),
    ]
)

BODY_EN = "\n\n".join(
    [
        (
            "The entity that runs this portal, as data controller, will collect and use your "
            "personal data (names, identity document, contact details and whatever you write or "
            "attach in your requests) for these purposes: creating and managing your account; "
            "filing, handling and answering your requests, petitions, complaints, claims, "
            "suggestions and reports; notifying you of the status of your procedures; booking your "
            "appointments and turns; measuring service quality through surveys; and producing "
            "statistics that do not identify you."
        ),
        (
            "Your data will only be shared with the departments and entities that must handle your "
            "request, or with other authorities when the law requires it. It is never sold or used "
            "for commercial purposes."
        ),
        (
            "As the data subject you have the right to know, update and correct your data; to ask "
            "for proof of this authorisation; to be told how your data has been used; to withdraw "
            "the authorisation or ask for deletion when there is no legal duty to keep the data; to"
            " complain to the Superintendence of Industry and Commerce; and to access your data "
            "free of charge. Answering questions about sensitive data or about children and "
            "adolescents is optional."
        ),
        (
            'You can exercise these rights from "My account" or through the contact channels shown '
            "at the foot of every page. This notice is issued under Ley 1581 de 2012 and Decreto "
            "1074 de 2015."
        ),
    ]
)


def ensure_first_consent_text(model: Any) -> None:
    """Create the first notice when it is missing (`model` is ConsentText, real or historical)."""
    model.objects.get_or_create(
        version=VERSION,
        defaults={
            "title_es": TITLE_ES,
            "title_en": TITLE_EN,
            "body_es": BODY_ES,
            "body_en": BODY_EN,
            "in_force_from": IN_FORCE_FROM,
        },
    )
