"""The open data's dictionary, as code: every dataset and every column, its type, what it means
in Spanish and English and, where it is enumerated, the values it may take.

The export writes exactly these columns in this order (`opendata.py`), the public page renders
them, and `table_schema` gives them as a Frictionless Table Schema for machines. A test checks
every exported file against it, so the dictionary cannot drift from the data.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ventanilla.cases.models import FilingChannel
from ventanilla.catalog.models import PetitionType, ServiceKind
from ventanilla.catalog.schema import TermUnit
from ventanilla.insights.models import Outcome
from ventanilla.organization.models import ServicePointKind

FILER_KINDS = ("person", "anonymous")
STATES = ("open", "closed")
FORMATS = ("csv", "json")


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a Table Schema type: string, integer, number, boolean, yearmonth
    es: str
    en: str
    enum: tuple[str, ...] = ()
    required: bool = False
    pattern: str = ""

    def description(self, language: str) -> str:
        return self.en if language == "en" else self.es


@dataclass(frozen=True)
class Dataset:
    key: str  # also the file name: cases.csv, cases.json
    title_es: str
    title_en: str
    description_es: str
    description_en: str
    columns: tuple[Column, ...]

    def title(self, language: str) -> str:
        return self.title_en if language == "en" else self.title_es

    def description(self, language: str) -> str:
        return self.description_en if language == "en" else self.description_es

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


QUARTER = r"^\d{4}-Q[1-4]$"

CASES = Dataset(
    key="cases",
    title_es="Solicitudes radicadas",
    title_en="Filed requests",
    description_es=(
        "Una fila por solicitud (PQRSD o trámite): qué servicio, por qué canal, cuándo se "
        "recibió y cerró, cómo terminó y cuánto tardó la respuesta. Sin datos personales."
    ),
    description_en=(
        "One row per request (petition or procedure): which service, through which channel, "
        "when it was received and closed, how it ended and how long the answer took. No "
        "personal data."
    ),
    columns=(
        Column(
            "row",
            "integer",
            "Número de fila de esta publicación; no identifica la solicitud ni se repite entre "
            "publicaciones.",
            "Row number in this release; it does not identify the request and changes between "
            "releases.",
            required=True,
        ),
        Column("entity", "string", "Código de la entidad.", "Entity code.", required=True),
        Column(
            "dependency",
            "string",
            "Código de la dependencia que la tiene a cargo.",
            "Code of the department in charge of it.",
            required=True,
        ),
        Column(
            "service",
            "string",
            "Identificador del servicio (ver el conjunto de servicios).",
            "Service identifier (see the services dataset).",
            required=True,
        ),
        Column(
            "petition_type",
            "string",
            "Tipo de petición en los informes de ley; vacío en los trámites.",
            "Petition type in the legal reports; empty for procedures.",
            enum=tuple(PetitionType.values),
        ),
        Column(
            "channel",
            "string",
            "Canal por el que se radicó.",
            "Channel it was filed through.",
            enum=tuple(FilingChannel.values),
            required=True,
        ),
        Column(
            "filer_kind",
            "string",
            "Quién radicó: una persona identificada o alguien anónimo.",
            "Who filed it: an identified person or someone anonymous.",
            enum=FILER_KINDS,
            required=True,
        ),
        Column(
            "received_month",
            "yearmonth",
            "Mes en que se recibió (AAAA-MM); vacío cuando se generalizó al trimestre.",
            "Month it was received (YYYY-MM); empty when coarsened to the quarter.",
        ),
        Column(
            "received_quarter",
            "string",
            "Trimestre en que se recibió (AAAA-Qn).",
            "Quarter it was received (YYYY-Qn).",
            required=True,
            pattern=QUARTER,
        ),
        Column(
            "locality",
            "string",
            "Código de la localidad del punto de atención donde se radicó; vacío si se radicó "
            "en línea o si se ocultó para proteger a la persona.",
            "Locality code of the service point where it was filed; empty when filed online or "
            "when hidden to protect the person.",
        ),
        Column(
            "state",
            "string",
            "Abierta o cerrada.",
            "Open or closed.",
            enum=STATES,
            required=True,
        ),
        Column(
            "outcome",
            "string",
            "Cómo terminó: abierta, respondida, negada o rechazada, desistida.",
            "How it ended: open, answered, refused or rejected, withdrawn.",
            enum=tuple(Outcome.values),
            required=True,
        ),
        Column(
            "closed_month",
            "yearmonth",
            "Mes en que se cerró (AAAA-MM); vacío si está abierta o se generalizó.",
            "Month it was closed (YYYY-MM); empty when open or coarsened.",
        ),
        Column(
            "closed_quarter",
            "string",
            "Trimestre en que se cerró (AAAA-Qn); vacío si está abierta.",
            "Quarter it was closed (YYYY-Qn); empty when open.",
            pattern=QUARTER,
        ),
        Column(
            "answer_business_days",
            "integer",
            "Días hábiles desde el recibo hasta la respuesta, sin los días en pausa por "
            "solicitud de información; vacío si no hay respuesta.",
            "Business days from reception to the answer, without the days paused for an "
            "information request; empty when there is no answer.",
        ),
        Column(
            "on_time",
            "boolean",
            "Respondida dentro del término legal; vacío si no hay respuesta.",
            "Answered within the legal term; empty when there is no answer.",
        ),
        Column(
            "information_requests",
            "integer",
            "Veces que se pidió información al peticionario.",
            "Times the petitioner was asked for more information.",
            required=True,
        ),
        Column(
            "extended",
            "boolean",
            "Se prorrogó el término.",
            "The term was extended.",
            required=True,
        ),
        Column(
            "internal_transfers",
            "integer",
            "Traslados entre dependencias de la entidad.",
            "Transfers between departments of the entity.",
            required=True,
        ),
        Column(
            "transferred_out",
            "boolean",
            "Se trasladó por competencia a otra entidad.",
            "It was transferred to another competent entity.",
            required=True,
        ),
    ),
)

SERVICES = Dataset(
    key="services",
    title_es="Servicios",
    title_en="Services",
    description_es="Los trámites y tipos de petición publicados, con su término legal y costo.",
    description_en="The published procedures and petition types, with their legal term and fee.",
    columns=(
        Column(
            "slug", "string", "Identificador del servicio.", "Service identifier.", required=True
        ),
        Column("title_es", "string", "Nombre en español.", "Name in Spanish.", required=True),
        Column("title_en", "string", "Nombre en inglés.", "Name in English.", required=True),
        Column("entity", "string", "Código de la entidad.", "Entity code.", required=True),
        Column(
            "dependency",
            "string",
            "Código de la dependencia responsable.",
            "Code of the responsible department.",
            required=True,
        ),
        Column(
            "kind",
            "string",
            "Trámite, otro procedimiento o tipo de petición.",
            "Procedure, other administrative procedure or petition type.",
            enum=tuple(ServiceKind.values),
            required=True,
        ),
        Column(
            "petition_type",
            "string",
            "Tipo de petición en los informes de ley; vacío en los trámites.",
            "Petition type in the legal reports; empty for procedures.",
            enum=tuple(PetitionType.values),
        ),
        Column("category", "string", "Categoría.", "Category.", required=True),
        Column(
            "term_amount",
            "integer",
            "Término legal para responder.",
            "Legal term to answer.",
            required=True,
        ),
        Column(
            "term_unit",
            "string",
            "Unidad del término.",
            "Unit of the term.",
            enum=tuple(TermUnit),
            required=True,
        ),
        Column(
            "fee_cop",
            "number",
            "Costo en pesos colombianos; 0 es gratuito.",
            "Fee in Colombian pesos; 0 is free.",
            required=True,
        ),
        Column(
            "channels",
            "string",
            "Canales por los que se radica, separados por «|»: online, in_person, phone.",
            "Channels it can be filed through, separated by '|': online, in_person, phone.",
            required=True,
            pattern=r"^(online|in_person|phone)(\|(online|in_person|phone))*$",
        ),
        Column(
            "version",
            "integer",
            "Número de la versión publicada.",
            "Number of the published version.",
            required=True,
        ),
    ),
)

SERVICE_POINTS = Dataset(
    key="service_points",
    title_es="Puntos de atención",
    title_en="Service points",
    description_es="Colegios, centros de atención y oficinas abiertos al público.",
    description_en="Schools, support centres and offices open to the public.",
    columns=(
        Column("code", "string", "Código del punto.", "Point code.", required=True),
        Column("name", "string", "Nombre.", "Name.", required=True),
        Column(
            "kind",
            "string",
            "Tipo de punto.",
            "Kind of point.",
            enum=tuple(ServicePointKind.values),
            required=True,
        ),
        Column("entity", "string", "Código de la entidad.", "Entity code.", required=True),
        Column("locality", "string", "Código de la localidad.", "Locality code."),
        Column("locality_name", "string", "Nombre de la localidad.", "Locality name."),
        Column("address", "string", "Dirección pública.", "Public address.", required=True),
        Column("latitude", "number", "Latitud (WGS 84).", "Latitude (WGS 84)."),
        Column("longitude", "number", "Longitud (WGS 84).", "Longitude (WGS 84)."),
        Column(
            "opening_hours",
            "string",
            "Horario en el formato de OpenStreetMap, p. ej. «Mo 08:00-16:00; Tu 08:00-16:00».",
            "Opening hours in OpenStreetMap's format, e.g. 'Mo 08:00-16:00; Tu 08:00-16:00'.",
        ),
    ),
)

DATASETS: tuple[Dataset, ...] = (CASES, SERVICES, SERVICE_POINTS)
BY_KEY = {d.key: d for d in DATASETS}


def table_schema(dataset: Dataset, *, language: str = "es") -> dict[str, Any]:
    """The dataset's columns as a Frictionless Table Schema (empty cells are missing values)."""
    fields = []
    for column in dataset.columns:
        field: dict[str, Any] = {
            "name": column.name,
            "type": column.type,
            "description": column.description(language),
        }
        constraints: dict[str, Any] = {}
        if column.required:
            constraints["required"] = True
        if column.enum:
            constraints["enum"] = list(column.enum)
        if column.pattern:
            constraints["pattern"] = column.pattern
        if constraints:
            field["constraints"] = constraints
        fields.append(field)
    return {"fields": fields, "missingValues": [""]}


def data_package(*, language: str = "es") -> dict[str, Any]:
    """Every dataset's schema, by dataset, for the machine-readable dictionary."""
    return {
        "resources": [
            {
                "name": d.key,
                "title": d.title(language),
                "description": d.description(language),
                "schema": table_schema(d, language=language),
            }
            for d in DATASETS
        ]
    }
