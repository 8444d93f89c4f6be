"""The demo's school places: a season whose stage 1 is open on the day the demo loads, with
places at every school (each grade, in the school's shifts, less those of continuing students)
and a few hundred applications filed through the real `case_file`, some in priority groups with
their evidence approved, one waiting for review.

The rules are written as an administrator would (YAML, through `places.rules`); stage 1 opened a
week before the load and closes three weeks after, so the demo shows applying, the coverage
office's dry run and the public page of a season under way.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

import yaml

from ventanilla.accounts.selectors import consent_text_current
from ventanilla.cases.filing import Contact, FilingError, case_file
from ventanilla.cases.models import FilerKind, FilingChannel
from ventanilla.cases.uploads import Upload
from ventanilla.catalog.models import Service, VersionStatus
from ventanilla.core import clock
from ventanilla.demo.history import PDF
from ventanilla.demo.sync import Tally
from ventanilla.notifications.services import notifications_settle_history
from ventanilla.organization.models import Entity, ServicePoint, ServicePointKind
from ventanilla.places import selectors
from ventanilla.places.models import Application, Evidence, Offer, Season, SeasonRules
from ventanilla.places.services import season_saved

SCHOOL_PLACE = "solicitud-cupo-escolar"
TRANSFER = "traslado-por-cercania"
SEED = 2027
GRADES = [
    ("prejardin", "Prejardín", "Pre-kindergarten", True),
    ("jardin", "Jardín", "Kindergarten", True),
    ("transicion", "Transición", "Reception year", True),
    ("primero", "Primero", "First grade", False),
    ("segundo", "Segundo", "Second grade", False),
    ("tercero", "Tercero", "Third grade", False),
    ("cuarto", "Cuarto", "Fourth grade", False),
    ("quinto", "Quinto", "Fifth grade", False),
    ("sexto", "Sexto", "Sixth grade", False),
    ("septimo", "Séptimo", "Seventh grade", False),
    ("octavo", "Octavo", "Eighth grade", False),
    ("noveno", "Noveno", "Ninth grade", False),
    ("decimo", "Décimo", "Tenth grade", False),
    ("undecimo", "Undécimo", "Eleventh grade", False),
]
SHIFTS = [
    ("manana", "Mañana", "Morning"),
    ("tarde", "Tarde", "Afternoon"),
    ("unica", "Única", "Full day"),
]
GROUPS = [
    (
        "discapacidad",
        "Estudiante con discapacidad",
        "Student with a disability",
        "Certificado de discapacidad o concepto médico que la describa.",
        "A disability certificate or a medical report that describes it.",
    ),
    (
        "victima",
        "Víctima del conflicto armado",
        "Victim of the armed conflict",
        "Número o certificado del Registro Único de Víctimas.",
        "Number or certificate of the Victims' Registry (RUV).",
    ),
    (
        "etnia",
        "Comunidad étnica",
        "Ethnic community",
        "Certificado de la autoridad de la comunidad o del Ministerio del Interior.",
        "A certificate from the community's authority or the Ministry of the Interior.",
    ),
    (
        "sisben",
        "SISBEN grupo A o B",
        "SISBEN group A or B",
        "Consulta del puntaje del SISBEN IV en grupo A o B.",
        "SISBEN IV record in group A or B.",
    ),
]


def rules_document(stage1_opens: date, *, school_year: int) -> dict[str, Any]:
    """A season's rules as the demo writes them (three weeks of stage 1, results four days
    after it closes, six weeks of stage 2)."""
    stage1_closes = stage1_opens + timedelta(days=27)
    results_on = stage1_closes + timedelta(days=4)
    return {
        "title": {
            "es": f"Cupos escolares para el año {school_year}",
            "en": f"School places for the {school_year} school year",
        },
        "school_year": school_year,
        "stage1": {"opens": stage1_opens, "closes": stage1_closes},
        "results_on": results_on,
        "stage2": {
            "opens": results_on + timedelta(days=1),
            "closes": results_on + timedelta(days=42),
        },
        "grades": [
            {"key": k, "label": {"es": es, "en": en}, "early_childhood": early}
            for k, es, en, early in GRADES
        ],
        "shifts": [{"key": k, "label": {"es": es, "en": en}} for k, es, en in SHIFTS],
        "priority_groups": [
            {"key": k, "label": {"es": es, "en": en}, "evidence": {"es": ev_es, "en": ev_en}}
            for k, es, en, ev_es, ev_en in GROUPS
        ],
        "choices": {"min": 3, "max": 10},
        "tie_breaks": ["priority_group", "sibling", "distance", "lottery"],
        "acceptance_days": 5,
        "formalisation_days": 10,
    }


def rules_yaml(document: dict[str, Any]) -> str:
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)


def _rng(seed: str) -> random.Random:
    return random.Random(f"ventanilla-demo:places:{seed}")  # noqa: S311 - demo data


def _offers(season: Season, schools: list[ServicePoint]) -> int:
    rng = _rng("offers")
    rows = []
    for school in schools:
        single = rng.random() < 0.25
        shifts = ["unica"] if single else ["manana", "tarde"]
        for key, _es, _en, early in GRADES:
            if early and rng.random() < 0.4:
                continue  # not every school teaches pre-school
            for shift in shifts:
                capacity = rng.choice([25, 30, 35, 40]) if early else rng.choice([35, 38, 40, 42])
                share = 0.0 if key in {"prejardin", "jardin"} else rng.uniform(0.75, 0.97)
                rows.append(
                    Offer(
                        season=season,
                        point=school,
                        grade=key,
                        shift=shift,
                        capacity=capacity,
                        continuing=int(capacity * share),
                    )
                )
    Offer.objects.bulk_create(rows, batch_size=2000)
    return len(rows)


def _answers(
    rng: random.Random, season: Season, school: ServicePoint, number: int
) -> dict[str, Any] | None:
    grade = rng.choice(["prejardin", "jardin", "transicion", "primero", "sexto", "decimo"])
    lat = float(school.latitude or 0) + rng.uniform(-0.01, 0.01)
    lon = float(school.longitude or 0) + rng.uniform(-0.01, 0.01)
    home = {
        "line": f"Calle {rng.randint(1, 200)} Sur No. {rng.randint(1, 99)}-{rng.randint(1, 99)}",
        "locality": school.locality.code,
        "lat": round(lat, 6),
        "lon": round(lon, 6),
    }
    near = selectors.offers_near(
        season, grade=grade, home=selectors.home_of(home), limit=rng.randint(3, 8)
    )
    if len(near) < 3:
        return None
    group = rng.choices(["", *[g[0] for g in GROUPS]], weights=[88, 4, 4, 2, 2])[0]
    answers: dict[str, Any] = {
        "nombres_estudiante": f"Estudiante de demostración {number}",
        "documento_estudiante_numero": {"type": "TI", "number": f"{1100000000 + number}"},
        "fecha_nacimiento": "2019-03-14",
        "grado": grade,
        "procedencia": rng.choice(["primera_vez", "privado", "otra_ciudad"]),
        "tiene_hermanos": False,
        "discapacidad": group == "discapacidad",
        "direccion": home,
        "telefono_contacto": f"300{rng.randint(1000000, 9999999)}",
        "colegios": [n.value for n in near],
        "grupo_prioritario": group or "ninguno",
    }
    if group:
        answers["soporte_grupo"] = "soporte_grupo"
    return answers


def _applications(season: Season, service: Service, schools: list[ServicePoint], count: int) -> int:
    rng = _rng("applications")
    version = service.versions.get(status=VersionStatus.PUBLISHED)
    consent = consent_text_current()
    filed = 0
    for number in range(count):
        answers = _answers(rng, season, rng.choice(schools), number)
        if answers is None:
            continue
        documents = [Upload("documento_estudiante", "ti.pdf", PDF)]
        if "soporte_grupo" in answers:
            documents.append(Upload("soporte_grupo", "soporte.pdf", PDF))
        try:
            case_file(
                service_version=version,
                answers=answers,
                channel=FilingChannel.ONLINE,
                filer_kind=FilerKind.GUEST,
                contact=Contact(name=f"Acudiente {number}", email=f"acudiente{number}@example.org"),
                documents=documents,
                consent_text=consent,
                consent_method="online",
            )
        except FilingError:
            continue
        filed += 1
    # Most evidence already checked; a few left for the coverage office to review.
    pending = Application.objects.filter(season=season, evidence=Evidence.PENDING).order_by("pk")
    reviewed = list(pending.values_list("pk", flat=True))[3:]
    Application.objects.filter(pk__in=reviewed).update(evidence=Evidence.APPROVED)
    return filed


def places_load(*, applications: int = 240) -> dict[str, Tally]:
    """The demo season, when there is none yet."""
    if Season.objects.exists():
        return {"school-place seasons": Tally(unchanged=Season.objects.count())}
    service = Service.objects.filter(slug=SCHOOL_PLACE).first()
    entity = Entity.objects.filter(code="SED").first()
    if service is None or entity is None:
        return {}
    today = clock.now().date()
    school_year = today.year + 1
    season = Season.objects.create(
        entity=entity,
        service=service,
        transfer_service=Service.objects.filter(slug=TRANSFER).first(),
        code=str(school_year),
        name=f"Cupos escolares {school_year}",
    )
    SeasonRules.objects.create(
        season=season,
        number=1,
        text=rules_yaml(rules_document(today - timedelta(days=7), school_year=school_year)),
        notes="Reglas de la temporada, publicadas antes de abrir la etapa 1.",
        published_at=clock.now() - timedelta(days=14),
    )
    season_saved(season=season)
    schools = list(
        ServicePoint.objects.filter(
            entity=entity, kind=ServicePointKind.SCHOOL, latitude__isnull=False
        ).select_related("locality")
    )
    offers = _offers(season, schools)
    # Filed an hour ago and their receipts settled: the demo's families are not mailed today.
    now = clock.now()
    with clock.frozen(now - timedelta(hours=1)):
        filed = _applications(season, service, schools, applications)
    notifications_settle_history(before=now)
    return {
        "school-place seasons": Tally(created=1),
        "school-place offers": Tally(created=offers),
        "school-place applications": Tally(created=filed),
    }
