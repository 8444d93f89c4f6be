"""Applying for a school place is filing a case of the season's service through the ordinary
`case_file`. This module adds what a season asks on top of the form's rules — a filing check
(the stage is open, the student has no other application, the schools teach the grade) — and
writes the application's allocation side when the case is filed, in the filing's transaction,
where a unique constraint (one active application per student) has the last word.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ventanilla.cases import filing_checks
from ventanilla.cases.events import CaseEvent, Happened, subscribe
from ventanilla.cases.filing import FilingError
from ventanilla.core import clock
from ventanilla.organization.models import Locality, ServicePoint
from ventanilla.places import selectors
from ventanilla.places.models import Application, Choice, Evidence, Season
from ventanilla.places.rules import SeasonDefinition

NO_GROUP = ("", "ninguno")


def _student(answers: Mapping[str, Any], rules: SeasonDefinition) -> tuple[str, str] | None:
    given = answers.get(rules.answers.student_document)
    if not isinstance(given, Mapping) or not given.get("type") or not given.get("number"):
        return None
    return str(given["type"]), str(given["number"])


def _group(answers: Mapping[str, Any], rules: SeasonDefinition) -> str:
    group = answers.get(rules.answers.priority_group)
    return "" if group in NO_GROUP or not isinstance(group, str) else group


def _already(season: Season, student: tuple[str, str]) -> str | None:
    existing = selectors.active_application(season, *student)
    if existing is None:
        return None
    return _(
        "Este estudiante ya tiene una postulación activa en esta temporada: la solicitud "
        "%(number)s. Siga esa solicitud; no hace falta otra."
    ) % {"number": existing.case.filing_number}


def _closed(rules: SeasonDefinition, stage: str) -> str:
    when = {
        "stage1": date_format(rules.stage1.opens, "DATE_FORMAT"),
        "stage1_end": date_format(rules.stage1.closes, "DATE_FORMAT"),
        "stage2": date_format(rules.stage2.opens, "DATE_FORMAT"),
    }
    if stage == "before":
        return _("Las postulaciones abren el %(stage1)s.") % when
    if stage == "allocation":
        return (
            _(
                "La etapa 1 cerró el %(stage1_end)s. Desde el %(stage2)s podrá tomar uno de los "
                "cupos que queden libres."
            )
            % when
        )
    return _("Las postulaciones de esta temporada ya cerraron.")


def application_check(request: filing_checks.Request) -> dict[str, list[str]]:
    """What a season asks of an application besides the form's own rules."""
    service_id = request.version.service_id
    if service_id not in selectors.season_service_ids():
        return {}
    found = selectors.season_of_service(service_id)
    if found is None:
        return {}  # a season without published rules does not apply yet
    season, rules_row = found
    rules = rules_row.parsed
    names = rules.answers
    stage = rules.stage_on(selectors.season_today(season))
    if stage not in {"stage1", "stage2"}:
        return {"service": [_closed(rules, stage)]}
    answers = request.answers
    errors: dict[str, list[str]] = {}

    def fail(key: str, message: str) -> None:
        errors.setdefault(key, []).append(message)

    student = _student(answers, rules)
    if student is None:
        fail(names.student_document, _("Escriba el tipo y el número de documento del estudiante."))
    else:
        message = _already(season, student)
        if message:
            fail(names.student_document, message)
    grade = str(answers.get(names.grade) or "")
    if rules.grade(grade) is None:
        fail(names.grade, _("Elija uno de los grados que se ofrecen en esta temporada."))
    shift = answers.get(names.shift)
    if shift and rules.shift(str(shift)) is None and shift != "cualquiera":
        fail(names.shift, _("Elija una de las jornadas de la lista."))
    if selectors.home_of(answers.get(names.home)) is None:
        fail(names.home, _("Escriba la dirección y elija la localidad de la vivienda."))
    group = _group(answers, rules)
    if group and rules.group(group) is None:
        fail(names.priority_group, _("Elija uno de los grupos de la lista, o «ninguno»."))
    if stage == "stage1" and rules.stage1_open_to == "priority_groups" and not group:
        fail(
            names.priority_group,
            _("En la etapa 1 solo se postulan los grupos prioritarios. Elija el suyo."),
        )
    sibling = answers.get(names.sibling_school)
    if sibling and not ServicePoint.objects.filter(code=sibling, active=True).exists():
        fail(names.sibling_school, _("Elija el colegio de los hermanos de la lista."))
    if stage == "stage1" and rules.grade(grade) is not None:
        _check_schools(season, rules, grade, answers.get(names.schools) or [], fail)
    return errors


def _check_schools(
    season: Season, rules: SeasonDefinition, grade: str, values: list[str], fail: Any
) -> None:
    key = rules.answers.schools
    offers = selectors.offers_by_value(season, values, grade)
    unknown = [v for v in values if v not in offers]
    if unknown:
        fail(
            key,
            _("Estos colegios no ofrecen el grado elegido en esta temporada: %(list)s.")
            % {"list": ", ".join(unknown)},
        )
    available = selectors.offers_of_grade(season, grade)
    if not available:
        fail(
            rules.answers.grade,
            _("Ningún colegio ofrece ese grado en esta temporada. Escríbanos por una petición."),
        )
        return
    wanted = min(rules.choices.min, available)
    if len(values) < wanted:
        fail(
            key,
            _("Elija al menos %(n)s colegios, en el orden en que los prefiere.") % {"n": wanted},
        )
    if len(values) > rules.choices.max:
        fail(key, _("Elija como máximo %(n)s colegios.") % {"n": rules.choices.max})


@subscribe(CaseEvent.FILED)
def application_record(happened: Happened) -> None:
    """Write the allocation side of an application when its case is filed (same transaction)."""
    case = happened.case
    service_id = case.service_version.service_id
    if service_id not in selectors.season_service_ids():
        return
    found = selectors.season_of_service(service_id)
    if found is None:
        return
    season, rules_row = found
    rules = rules_row.parsed
    names = rules.answers
    answers = case.answers
    student = _student(answers, rules)
    home = selectors.home_of(answers.get(names.home))
    if student is None or home is None:
        return  # the filing check refused these; a case filed otherwise is not an application
    group = _group(answers, rules)
    sibling = answers.get(names.sibling_school)
    stage = rules.stage_on(selectors.season_today(season))
    try:
        with transaction.atomic():
            application = Application.objects.create(
                season=season,
                case=case,
                stage=2 if stage == "stage2" else 1,
                student_id_type=student[0],
                student_id_number=student[1],
                grade=str(answers.get(names.grade) or ""),
                shift=str(answers.get(names.shift) or ""),
                home_locality=Locality.objects.get(code=home.locality),
                home_latitude=home.latitude,
                home_longitude=home.longitude,
                home_located=home.located,
                disability=answers.get(names.disability) is True,
                sibling_point=ServicePoint.objects.filter(code=sibling).first()
                if sibling
                else None,
                group=group,
                evidence=Evidence.PENDING if group else Evidence.NONE,
                created_at=clock.now(),
            )
    except IntegrityError as error:
        # Two filings for one student at once: the second meets the first.
        message = _already(season, student) or _("Este estudiante ya tiene una postulación.")
        raise FilingError({names.student_document: [message]}) from error
    values = answers.get(names.schools) or []
    offers = selectors.offers_by_value(season, values, application.grade)
    Choice.objects.bulk_create(
        Choice(application=application, rank=rank, offer=offers[value])
        for rank, value in enumerate((v for v in values if v in offers), start=1)
    )


def register_all() -> None:
    filing_checks.register(application_check)
