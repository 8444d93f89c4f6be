"""What a family is told about its school place (email, text message, in-app), in words: the
result with its reason, a place taken in stage 2, a place released, evidence not accepted. The
events join the notifications registry when Django starts; their default texts are created by
this app's data migration and edited in the admin."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from ventanilla.notifications.models import event_register

if TYPE_CHECKING:
    from ventanilla.places.models import Application, Assignment
    from ventanilla.places.rules import SeasonDefinition

RESULT = "place_result"
CLAIMED = "place_claimed"
RELEASED = "place_released"
EVIDENCE = "place_evidence_rejected"

EVENTS = {
    RESULT: gettext_lazy("resultado de la asignación de cupos (etapa 1)"),
    CLAIMED: gettext_lazy("cupo tomado en la etapa 2"),
    RELEASED: gettext_lazy("cupo liberado (no se aceptó o no se formalizó a tiempo)"),
    EVIDENCE: gettext_lazy("el soporte del grupo prioritario no se aceptó"),
}

_LINK = "{{ tracking_path }}"

# (subject, email body, short text for SMS and in-app) per event and language.
TEMPLATES: dict[str, dict[str, tuple[str, str, str | None]]] = {
    RESULT: {
        "es": (
            "Resultado de su postulación {{ filing_number }}",
            "Hola, {{ applicant_name }}:\n\n{{ result_es }}\n\n"
            "Vea el resultado, acéptelo y formalice la matrícula aquí: " + _LINK,
            "Cupo escolar {{ filing_number }}: {{ result_short_es }} " + _LINK,
        ),
        "en": (
            "Result of your application {{ filing_number }}",
            "Hello {{ applicant_name }},\n\n{{ result_en }}\n\n"
            "See the result, accept it and complete the enrolment here: " + _LINK,
            "School place {{ filing_number }}: {{ result_short_en }} " + _LINK,
        ),
    },
    CLAIMED: {
        "es": (
            "Su cupo en {{ school }}",
            "Hola, {{ applicant_name }}:\n\n{{ result_es }}\n\n"
            "Acéptelo y formalice la matrícula aquí: " + _LINK,
            "Cupo escolar {{ filing_number }}: {{ result_short_es }} " + _LINK,
        ),
        "en": (
            "Your place at {{ school }}",
            "Hello {{ applicant_name }},\n\n{{ result_en }}\n\n"
            "Accept it and complete the enrolment here: " + _LINK,
            "School place {{ filing_number }}: {{ result_short_en }} " + _LINK,
        ),
    },
    RELEASED: {
        "es": (
            "Se liberó el cupo de su postulación {{ filing_number }}",
            "Hola, {{ applicant_name }}:\n\n{{ result_es }}\n\n"
            "Si todavía necesita un cupo, tome uno de los que quedan libres aquí: " + _LINK,
            "Cupo escolar {{ filing_number }}: {{ result_short_es }} " + _LINK,
        ),
        "en": (
            "The place of your application {{ filing_number }} was released",
            "Hello {{ applicant_name }},\n\n{{ result_en }}\n\n"
            "If you still need a place, take one of those still free here: " + _LINK,
            "School place {{ filing_number }}: {{ result_short_en }} " + _LINK,
        ),
    },
    EVIDENCE: {
        "es": (
            "El soporte de su grupo prioritario ({{ filing_number }})",
            "Hola, {{ applicant_name }}:\n\n{{ result_es }}\n\n"
            "Su postulación sigue activa, sin la prioridad del grupo. Si no está de acuerdo, "
            "puede presentar una petición desde aquí: " + _LINK,
            "Cupo escolar {{ filing_number }}: {{ result_short_es }} " + _LINK,
        ),
        "en": (
            "The evidence of your priority group ({{ filing_number }})",
            "Hello {{ applicant_name }},\n\n{{ result_en }}\n\n"
            "Your application is still active, without the group's priority. If you disagree, "
            "you can file a petition from here: " + _LINK,
            "School place {{ filing_number }}: {{ result_short_en }} " + _LINK,
        ),
    },
}


def register() -> None:
    for key, label in EVENTS.items():
        event_register(key, label)


def ordinal(rank: int) -> str:
    return _("%(n)s.ª opción") % {"n": rank}


def _place(assignment: Assignment, rules: SeasonDefinition) -> str:
    shift = rules.shift(assignment.offer.shift)
    grade = rules.grade(assignment.offer.grade)
    language = translation.get_language() or "es"
    return _("%(school)s, %(grade)s, jornada %(shift)s") % {
        "school": assignment.offer.point.name,
        "grade": grade.label.get(language) if grade else assignment.offer.grade,
        "shift": (shift.label.get(language) if shift else assignment.offer.shift).lower(),
    }


def reason_lines(assignment: Assignment | None, application: Application) -> list[str]:
    """Why the better choices went to others: "Su 1.ª opción, X, tenía 40 cupos y 112
    postulantes con mayor prioridad." One line per choice ranked above the place given."""
    lines = []
    source = assignment.reasons if assignment is not None else application_reasons(application)
    for outcome in source or []:
        places, ahead = int(outcome.get("capacity", 0)), int(outcome.get("ahead", 0))
        lines.append(
            _("Su %(choice)s, %(school)s, tenía %(places)s y %(ahead)s con mayor prioridad.")
            % {
                "choice": ordinal(int(outcome.get("rank", 0))),
                "school": outcome.get("school", ""),
                "places": ngettext("%(n)s cupo", "%(n)s cupos", places) % {"n": places},
                "ahead": ngettext("%(n)s postulante", "%(n)s postulantes", ahead) % {"n": ahead},
            }
        )
    return lines


def application_reasons(application: Application) -> list[dict[str, Any]]:
    return list(application.unplaced_reasons or [])


def result_text(
    assignment: Assignment | None, application: Application, rules: SeasonDefinition
) -> tuple[str, str]:
    """(The full result with its reasons, a short line) in the active language."""
    if assignment is None:
        short = _("No quedó un cupo en los colegios que eligió ni en uno cercano.")
        lines = [short, *reason_lines(None, application)]
        lines.append(
            _("Desde el %(day)s puede tomar uno de los cupos que queden libres.")
            % {"day": date_format(rules.stage2.opens, "DATE_FORMAT")}
        )
        return "\n".join(lines), short
    place = _place(assignment, rules)
    if assignment.stage == 2:
        short = _("Tomó un cupo en %(place)s.") % {"place": place}
    elif assignment.fallback:
        short = _(
            "Le asignamos un cupo en %(place)s, el colegio con cupo más cercano a su vivienda: "
            "ninguno de los que eligió tenía cupo para usted."
        ) % {"place": place}
    else:
        short = _("Le asignamos su %(choice)s: %(place)s.") % {
            "choice": ordinal(assignment.choice_rank or 1),
            "place": place,
        }
    deadline = _("Acepte el cupo a más tardar el %(day)s; si no, se libera para otra familia.") % {
        "day": date_format(assignment.accept_by, "DATE_FORMAT")
    }
    return "\n".join([short, *reason_lines(assignment, application), deadline]), short


def both_languages(make: Callable[..., tuple[str, str]], *args: Any) -> dict[str, str]:
    """`make(*args)` → (long, short) rendered in Spanish and in English, as template context."""
    context = {}
    for language in ("es", "en"):
        with translation.override(language):
            long, short = make(*args)
        context[f"result_{language}"] = long
        context[f"result_short_{language}"] = short
    return context
