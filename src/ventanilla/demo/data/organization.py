"""The two demo entities: the Secretariat of Education and the Secretaría General.

The dependency trees follow the real structure of both secretariats in outline (Decreto 330 de
2008 for the SED); codes are ours. Each root's code is the entity's code, so paths read
`SED/DLE-08/IED-0001/` as in the architecture notes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time

from ventanilla.organization.models import Weekday

WEEKDAYS = (
    Weekday.MONDAY,
    Weekday.TUESDAY,
    Weekday.WEDNESDAY,
    Weekday.THURSDAY,
    Weekday.FRIDAY,
)

# (weekday, opens, closes) rows
type Hours = tuple[tuple[int, time, time], ...]


def weekdays(*intervals: tuple[time, time]) -> Hours:
    """The same intervals every day from Monday to Friday."""
    return tuple((day.value, opens, closes) for day in WEEKDAYS for opens, closes in intervals)


OFFICE_HOURS = weekdays((time(7, 0), time(16, 30)))


@dataclass(frozen=True)
class Unit:
    """A dependency and the units under it."""

    code: str
    name: str
    children: tuple[Unit, ...] = ()


@dataclass(frozen=True)
class PointData:
    code: str
    name: str
    dependency: str
    address: str
    locality: str
    latitude: str
    longitude: str
    desks: int
    hours: Hours
    phone: str = ""


@dataclass(frozen=True)
class EntityData:
    code: str
    name: str
    short_name: str
    website: str
    email: str
    phone: str
    address: str
    tree: Unit
    hours: Hours = OFFICE_HOURS
    closures: tuple[tuple[date, str], ...] = ()
    points: tuple[PointData, ...] = field(default=())


# Libraries and community centres that lend a hall for the enrolment campaign: number, name,
# address, locality, latitude, longitude.
ENROLMENT_POINTS = (
    (
        "1",
        "Biblioteca El Tintal",
        "Avenida Ciudad de Cali No. 6C-09",
        "08",
        "4.642200",
        "-74.154600",
    ),
    ("2", "Bosa Centro", "Calle 65 Sur No. 80C-35", "07", "4.618500", "-74.190300"),
    ("3", "Suba Tibabuyes", "Carrera 141 No. 142-30", "11", "4.744100", "-74.096800"),
    (
        "4",
        "Ciudad Bolívar Arborizadora",
        "Carrera 38 No. 70-17 Sur",
        "19",
        "4.556000",
        "-74.158000",
    ),
)
ENROLMENT_POINT_HOURS: Hours = (
    *weekdays((time(7, 0), time(16, 0))),
    (Weekday.SATURDAY.value, time(8, 0), time(13, 0)),
)

SED = EntityData(
    code="SED",
    name="Secretaría de Educación del Distrito",
    short_name="Educación",
    website="https://www.educacionbogota.edu.co",
    email="contacto.sed@demo.ventanilla.co",
    phone="601 324 1000",
    address="Avenida El Dorado No. 66-63, Bogotá D.C.",
    closures=(
        # Día del Servidor Público (27 June, Decreto 2865 de 2013) falls on a Saturday in 2026
        # and on a Sunday in 2027: the institutional day moves to the Friday before.
        (date(2026, 6, 26), "Jornada institucional: Día del Servidor Público"),
        (date(2026, 12, 11), "Jornada institucional de cierre de gestión"),
        (date(2027, 6, 25), "Jornada institucional: Día del Servidor Público"),
    ),
    tree=Unit(
        "SED",
        "Despacho de la Secretaría de Educación del Distrito",
        (
            Unit("OSC", "Oficina de Servicio a la Ciudadanía"),
            Unit("OAJ", "Oficina Asesora Jurídica"),
            Unit("OF-PLANEACION", "Oficina Asesora de Planeación"),
            Unit("OF-COMUNICACIONES", "Oficina Asesora de Comunicación y Prensa"),
            Unit("OCD", "Oficina de Control Disciplinario"),
            Unit("OF-CONTROL-INTERNO", "Oficina de Control Interno"),
            Unit(
                "SUB-ACCESO",
                "Subsecretaría de Acceso y Permanencia",
                (
                    Unit("DIR-COBERTURA", "Dirección de Cobertura"),
                    Unit("DIR-BIENESTAR", "Dirección de Bienestar Estudiantil"),
                ),
            ),
            Unit(
                "SUB-CALIDAD",
                "Subsecretaría de Calidad y Pertinencia",
                (
                    Unit("DIR-INCLUSION", "Dirección de Inclusión e Integración de Poblaciones"),
                    Unit("DIR-PREESCOLAR", "Dirección de Educación Preescolar y Básica"),
                    Unit("DIR-MEDIA", "Dirección de Educación Media"),
                ),
            ),
            Unit(
                "SUB-GESTION-INST",
                "Subsecretaría de Gestión Institucional",
                (
                    Unit(
                        "DIR-TALENTO-HUMANO",
                        "Dirección de Talento Humano",
                        (
                            Unit("OF-ESCALAFON", "Oficina de Escalafón Docente"),
                            Unit("OF-NOMINA", "Oficina de Nómina"),
                            Unit("OF-PERSONAL", "Oficina de Personal"),
                            Unit("OF-PRESTACIONES", "Oficina de Prestaciones Sociales"),
                        ),
                    ),
                    Unit(
                        "DIR-SERV-ADMIN",
                        "Dirección de Servicios Administrativos",
                        (Unit("ARCHIVO", "Archivo Central"),),
                    ),
                ),
            ),
            Unit(
                "SUB-INTEGRACION",
                "Subsecretaría de Integración Interinstitucional",
                (
                    Unit("DIR-INSPECCION", "Dirección de Inspección y Vigilancia"),
                    Unit(
                        "DIR-EDU-SUPERIOR",
                        "Dirección de Relaciones con los Sectores de Educación Superior y "
                        "Educación para el Trabajo",
                    ),
                ),
            ),
        ),
    ),
    points=(
        PointData(
            code="SEDE-CENTRAL",
            name="Sede central de la Secretaría de Educación",
            dependency="OSC",
            address="Avenida El Dorado No. 66-63",
            locality="13",
            latitude="4.648400",
            longitude="-74.099300",
            desks=8,
            hours=OFFICE_HOURS,
            phone="601 324 1000",
        ),
        # January's special enrolment points ("Agenda o consulta tu cita"): open only during
        # the enrolment campaign, by appointment (their schedules are demo/appointments.py's).
        *(
            PointData(
                code=f"PEM-{number}",
                name=f"Punto especial de matrícula {name}",
                dependency="DIR-COBERTURA",
                address=address,
                locality=locality,
                latitude=latitude,
                longitude=longitude,
                desks=10,
                hours=ENROLMENT_POINT_HOURS,
                phone="601 324 1000",
            )
            for number, name, address, locality, latitude, longitude in ENROLMENT_POINTS
        ),
    ),
)

SG = EntityData(
    code="SG",
    name="Secretaría General de la Alcaldía Mayor de Bogotá",
    short_name="Secretaría General",
    website="https://secretariageneral.gov.co",
    email="contacto.sg@demo.ventanilla.co",
    phone="601 381 3000",
    address="Carrera 8 No. 10-65, Bogotá D.C.",
    tree=Unit(
        "SG",
        "Despacho de la Secretaría General",
        (
            Unit(
                "DDCS",
                "Dirección Distrital de Calidad del Servicio",
                (
                    Unit(
                        "SUB-SEGUIMIENTO-IVC",
                        "Subdirección de Seguimiento a la Gestión de Inspección, Vigilancia y "
                        "Control",
                    ),
                ),
            ),
            Unit("DEF-CIUDADANIA", "Defensor de la Ciudadanía"),
        ),
    ),
    points=(
        PointData(
            code="SUPERCADE-CAD",
            name="SuperCADE CAD",
            dependency="DDCS",
            address="Carrera 30 No. 25-90",
            locality="13",
            latitude="4.627000",
            longitude="-74.080500",
            desks=8,
            # SuperCADEs also open on Saturday mornings.
            hours=(
                *weekdays((time(7, 0), time(17, 0))),
                (Weekday.SATURDAY.value, time(8, 0), time(12, 0)),
            ),
            phone="601 381 3000",
        ),
    ),
)

ENTITIES: tuple[EntityData, ...] = (SED, SG)

# School hours: the school's office serves both shifts, or the single shift of a jornada única.
SCHOOL_SHIFTS = weekdays((time(6, 30), time(12, 30)), (time(12, 30), time(18, 0)))
SCHOOL_SINGLE_SHIFT = weekdays((time(7, 0), time(15, 0)))
SUPPORT_CENTRE_HOURS = OFFICE_HOURS
SUPPORT_CENTRE_DESKS = 3
