"""Applying for a school place is filing a case of the season's service through the ordinary
`case_file`. This module adds what a season asks on top of the form's rules — a filing check
(the stage is open, the student has no other application, the schools teach the grade) — and
writes the application's allocation side when the case is filed, in the filing's transaction,
where a unique constraint (one active application per student) has the last word.

A filing of the season's transfer service is a transfer: a student already at a public school
asks for one nearer home, which the season's rules allow when the current school is farther
than their threshold; every ranked school must then be nearer home than the current one.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from ventanilla.cases import filing_checks
from ventanilla.cases.events import CaseEvent, Happened, subscribe
from ventanilla.cases.filing import FilingError
from ventanilla.core import clock
from ventanilla.organization.models import Locality, ServicePoint
from ventanilla.places import selectors
from ventanilla.places.allocation import distance_m
from ventanilla.places.models import Application, Choice, Evidence, Offer, Season
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


@dataclass(frozen=True)
class Current:
    """A transfer's school now, and how far it is from home."""

    point: ServicePoint
    metres: int


def _km(value: float) -> str:
    """Kilometres as the family reads them: 1,4 km; 2 km."""
    rounded = round(value, 1)
    return number_format(rounded, decimal_pos=0 if rounded == int(rounded) else 1)


def _metres_to(home: selectors.Home, point: ServicePoint) -> int | None:
    if point.latitude is None or point.longitude is None:
        return None
    return distance_m(home.latitude, home.longitude, float(point.latitude), float(point.longitude))


def _check_transfer(
    rules: SeasonDefinition, answers: Mapping[str, Any], grade: str, fail: Any
) -> Current | None:
    """The current school of a transfer, when it is farther from home than the rules ask."""
    key = rules.answers.current_school
    code = answers.get(key)
    point = (
        ServicePoint.objects.filter(code=code, active=True).first()
        if isinstance(code, str) and code
        else None
    )
    if point is None:
        fail(key, _("Elija de la lista el colegio donde estudia ahora."))
        return None
    home = selectors.home_of(answers.get(rules.answers.home))
    if home is None:
        return None  # the home's own message says what is missing
    metres = _metres_to(home, point)
    if metres is None:
        fail(
            key,
            _(
                "No tenemos la ubicación de %(school)s, así que no podemos medir la distancia. "
                "Escríbanos por una petición."
            )
            % {"school": point.name},
        )
        return None
    limits = rules.transfer_distance
    given = rules.grade(grade)
    nearer = (given is not None and given.early_childhood) or answers.get(
        rules.answers.disability
    ) is True
    threshold = limits.early_childhood_or_disability_km if nearer else limits.km
    if metres <= threshold * 1000:
        fail(
            key,
            _(
                "Su colegio actual queda a %(distance)s km de su vivienda. El traslado por "
                "cercanía se pide cuando queda a más de %(km)s km (%(near_km)s km en primera "
                "infancia o con discapacidad)."
            )
            % {
                "distance": _km(metres / 1000),
                "km": _km(limits.km),
                "near_km": _km(limits.early_childhood_or_disability_km),
            },
        )
        return None
    return Current(point, metres)


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
    current = (
        _check_transfer(rules, answers, grade, fail)
        if service_id == season.transfer_service_id
        else None
    )
    if stage == "stage1" and rules.grade(grade) is not None:
        offers = _check_schools(season, rules, grade, answers.get(names.schools) or [], fail)
        if current is not None:
            _check_nearer(rules, answers, offers, current, fail)
    return errors


def _check_nearer(
    rules: SeasonDefinition,
    answers: Mapping[str, Any],
    offers: dict[str, Offer],
    current: Current,
    fail: Any,
) -> None:
    """A transfer ranks only schools nearer home than the one it leaves."""
    home = selectors.home_of(answers.get(rules.answers.home))
    if home is None:
        return
    farther = []
    for value in answers.get(rules.answers.schools) or []:  # in the family's order
        offer = offers.get(value)
        if offer is None:
            continue  # refused already: the school does not teach the grade
        metres = _metres_to(home, offer.point)
        if (metres is None or metres >= current.metres) and offer.point.name not in farther:
            farther.append(offer.point.name)
    if farther:
        fail(
            rules.answers.schools,
            _(
                "Estos colegios no quedan más cerca de su vivienda que %(current)s, y un traslado "
                "por cercanía solo puede pedir colegios más cercanos: %(list)s."
            )
            % {"current": current.point.name, "list": ", ".join(farther)},
        )


def _check_schools(
    season: Season, rules: SeasonDefinition, grade: str, values: list[str], fail: Any
) -> dict[str, Offer]:
    """The ranked offers found; the ones not found, and the wrong counts, refused."""
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
        return offers
    wanted = min(rules.choices.min, available)
    if len(values) < wanted:
        fail(
            key,
            _("Elija al menos %(n)s colegios, en el orden en que los prefiere.") % {"n": wanted},
        )
    if len(values) > rules.choices.max:
        fail(key, _("Elija como máximo %(n)s colegios.") % {"n": rules.choices.max})
    return offers


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
    transfer = service_id == season.transfer_service_id
    current = answers.get(names.current_school) if transfer else None
    stage = rules.stage_on(selectors.season_today(season))
    try:
        with transaction.atomic():
            application = Application.objects.create(
                season=season,
                case=case,
                stage=2 if stage == "stage2" else 1,
                kind=Application.Kind.TRANSFER if transfer else Application.Kind.NEW,
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
                current_point=ServicePoint.objects.filter(code=current).first()
                if current
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
