"""The daily open data: cases without personal data, services and service points, each as CSV
and JSON in the default storage (local files or S3) under a dated folder, with a row in
`OpenDataRelease` for each day, and the DCAT-AP catalogue that announces them.

Cases carry no name, ID number, contact, free text, address or filing number: only codes,
months, counts and flags (`dictionary.CASES`). Where few cases share a service, channel, month
and locality, the locality is blanked, then the month coarsened to the quarter
(`CaseCoarsening`); denuncias are always published coarse. docs/open-data.md says it in words.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import tempfile
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import IO, Any

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef
from django.db.models.functions import TruncMonth
from django.utils import timezone

from ventanilla.cases.models import Case, CompetenceTransfer, FilerKind
from ventanilla.catalog.models import PetitionType, ServiceVersion, VersionStatus
from ventanilla.core import clock
from ventanilla.insights.dictionary import CASES, DATASETS, SERVICE_POINTS, SERVICES, Dataset
from ventanilla.insights.models import OpenDataRelease, Outcome
from ventanilla.organization.models import ServicePoint

FOLDER = "opendata"
MEDIA_TYPES = {"csv": "text/csv", "json": "application/json"}
# Services whose cases are always published coarse (no locality, no month): a denuncia (for
# corruption, for instance) may put its author at risk, and is often filed anonymously.
ALWAYS_COARSE = frozenset({PetitionType.REPORT.value})
_LOCALITY = F("service_point__locality__code")
_WEEKDAYS = ("Mo", "Tu", "We", "Th", "Fr", "Sa", "Su")

Row = dict[str, Any]
GroupKey = tuple[int, str, date, str | None]  # service, channel, month, locality


def quarter(day: date | None) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}" if day else ""


def month(day: date | None) -> str:
    return f"{day:%Y-%m}" if day else ""


# ---- Coarsening ------------------------------------------------------------------------------


@dataclass
class CaseCoarsening:
    """Which groups of cases are too small to show their locality or their month.

    A case's group is its service, channel, month received and locality. A group of fewer than
    `min_group` cases loses its locality. Then, per service, channel and month, the cases shown
    without a locality (those that lost it and those filed where there is none) must be at
    least `min_group` too, or they also lose the month and keep only the quarter."""

    min_group: int
    counts: Counter[GroupKey] = field(default_factory=Counter)
    without_locality: Counter[tuple[int, str, date]] = field(default_factory=Counter)

    @classmethod
    def of(cls, cases: Iterable[Mapping[str, Any]], min_group: int) -> CaseCoarsening:
        """From rows of service_id, channel, month, locality and n (how many cases)."""
        coarsening = cls(min_group)
        for group in cases:
            key = (group["service_id"], group["channel"], group["month"], group["locality"])
            coarsening.counts[key] += group["n"]
        for key, n in coarsening.counts.items():
            if key[3] is None or n < min_group:
                coarsening.without_locality[key[:3]] += n
        return coarsening

    def shows_locality(self, key: GroupKey) -> bool:
        return key[3] is not None and self.counts[key] >= self.min_group

    def shows_month(self, key: GroupKey) -> bool:
        if self.shows_locality(key):
            return True
        return self.without_locality[key[:3]] >= self.min_group


def _case_groups() -> Iterable[Mapping[str, Any]]:
    return (
        Case.objects.annotate(month=TruncMonth("received_on"), locality=_LOCALITY)
        .values("service_id", "channel", "month", "locality")
        .annotate(n=Count("pk"))
        .order_by()
    )


# ---- The three datasets ------------------------------------------------------------------------


def case_rows(min_group: int) -> Iterator[Row]:
    """Every case as a row of `dictionary.CASES`, a month at a time in random order, read with
    a server-side cursor so a million cases never sit in memory."""
    coarsening = CaseCoarsening.of(_case_groups(), min_group)
    cases = (
        Case.objects.annotate(
            month=TruncMonth("received_on"),
            locality=_LOCALITY,
            transferred_out=Exists(CompetenceTransfer.objects.filter(case=OuterRef("pk"))),
        )
        .values(
            "service_id",
            "channel",
            "month",
            "locality",
            "transferred_out",
            "filer_kind",
            "received_on",
            "closed_at",
            "extended",
            "entity__code",
            "dependency__code",
            "service__slug",
            "service__petition_type",
            "fact__outcome",
            "fact__closed_on",
            "fact__answer_days",
            "fact__on_time",
            "fact__information_requests",
            "fact__internal_transfers",
        )
        .order_by("month", "?")
    )
    for number, case in enumerate(cases.iterator(chunk_size=2000), start=1):
        yield _case_row(number, case, coarsening)


def _case_row(number: int, case: Mapping[str, Any], coarsening: CaseCoarsening) -> Row:
    key = (case["service_id"], case["channel"], case["month"], case["locality"])
    coarse = case["service__petition_type"] in ALWAYS_COARSE
    show_month = not coarse and coarsening.shows_month(key)
    closed_on = case["fact__closed_on"]
    if closed_on is None and case["closed_at"] is not None:
        closed_on = timezone.localdate(case["closed_at"])
    closed = case["closed_at"] is not None
    return {
        "row": number,
        "entity": case["entity__code"],
        "dependency": case["dependency__code"],
        "service": case["service__slug"],
        "petition_type": case["service__petition_type"],
        "channel": case["channel"],
        "filer_kind": "anonymous" if case["filer_kind"] == FilerKind.ANONYMOUS else "person",
        "received_month": month(case["received_on"]) if show_month else "",
        "received_quarter": quarter(case["received_on"]),
        "locality": (case["locality"] if not coarse and coarsening.shows_locality(key) else ""),
        "state": "closed" if closed else "open",
        "outcome": case["fact__outcome"] or Outcome.OPEN.value,
        "closed_month": month(closed_on) if show_month and closed else "",
        "closed_quarter": quarter(closed_on) if closed else "",
        "answer_business_days": case["fact__answer_days"],
        "on_time": case["fact__on_time"],
        "information_requests": case["fact__information_requests"] or 0,
        "extended": case["extended"],
        "internal_transfers": case["fact__internal_transfers"] or 0,
        "transferred_out": case["transferred_out"],
    }


def service_rows() -> Iterator[Row]:
    """Every published service with its published version's term and fee."""
    versions = (
        ServiceVersion.objects.filter(status=VersionStatus.PUBLISHED, service__is_published=True)
        .select_related("service__entity", "service__dependency", "service__category")
        .order_by("service__slug")
    )
    for version in versions.iterator(chunk_size=200):
        service, definition = version.service, version.definition
        term = definition.get("term", {})
        fee = Decimal(str(definition.get("fee", {}).get("amount", 0)))
        yield {
            "slug": service.slug,
            "title_es": service.title_es,
            "title_en": service.title_en,
            "entity": service.entity.code,
            "dependency": service.dependency.code,
            "kind": service.kind,
            "petition_type": service.petition_type,
            "category": service.category.slug,
            "term_amount": term.get("amount"),
            "term_unit": term.get("unit", "business_days"),
            "fee_cop": int(fee) if fee == fee.to_integral_value() else float(fee),
            "channels": "|".join(service.channels),
            "version": version.number,
        }


def opening_hours(intervals: Iterable[tuple[int, Any, Any]]) -> str:
    """Weekly intervals in OpenStreetMap's `opening_hours` syntax: "Mo 08:00-12:00,13:00-17:00"."""
    days: dict[int, list[str]] = {}
    for weekday, opens, closes in sorted(intervals):
        days.setdefault(weekday, []).append(f"{opens:%H:%M}-{closes:%H:%M}")
    return "; ".join(f"{_WEEKDAYS[day]} {','.join(spans)}" for day, spans in days.items())


def service_point_rows() -> Iterator[Row]:
    """Every active service point, with its public address, place and hours."""
    points = (
        ServicePoint.objects.filter(active=True)
        .select_related("entity", "locality")
        .prefetch_related("hours")
        .order_by("entity__code", "code")
    )
    for point in points.iterator(chunk_size=500):
        yield {
            "code": point.code,
            "name": point.name,
            "kind": point.kind,
            "entity": point.entity.code,
            "locality": point.locality.code if point.locality else "",
            "locality_name": point.locality.name if point.locality else "",
            "address": point.address,
            "latitude": float(point.latitude) if point.latitude is not None else None,
            "longitude": float(point.longitude) if point.longitude is not None else None,
            "opening_hours": opening_hours(
                (h.weekday, h.opens, h.closes) for h in point.hours.all()
            ),
        }


# ---- Writing ------------------------------------------------------------------------------------


def csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


@dataclass
class _Digest:
    """A file being written, hashed and measured on the way."""

    handle: IO[bytes]
    sha256: Any = field(default_factory=hashlib.sha256)
    size: int = 0

    def write(self, data: bytes) -> None:
        self.handle.write(data)
        self.sha256.update(data)
        self.size += len(data)


def _write_dataset(
    dataset: Dataset, rows: Iterable[Row], csv_out: _Digest, json_out: _Digest
) -> int:
    """Write the rows to both files at once; returns how many there were."""
    line = io.StringIO()
    writer = csv.writer(line, lineterminator="\r\n")

    def csv_line(cells: list[str]) -> None:
        line.seek(0)
        line.truncate()
        writer.writerow(cells)
        csv_out.write(line.getvalue().encode())

    csv_line(dataset.names)
    json_out.write(b"[")
    count = 0
    for row in rows:
        csv_line([csv_cell(row[name]) for name in dataset.names])
        typed = {name: None if row[name] == "" else row[name] for name in dataset.names}
        text = json.dumps(typed, ensure_ascii=False)
        json_out.write((",\n" if count else "\n").encode() + text.encode())
        count += 1
    json_out.write(b"\n]\n")
    return count


def _rows_of(dataset: Dataset, min_group: int) -> Iterator[Row]:
    producers: dict[str, Callable[[], Iterator[Row]]] = {
        CASES.key: lambda: case_rows(min_group),
        SERVICES.key: service_rows,
        SERVICE_POINTS.key: service_point_rows,
    }
    return producers[dataset.key]()


def _store(path: str, handle: IO[bytes]) -> str:
    if default_storage.exists(path):
        default_storage.delete(path)
    handle.seek(0)
    return default_storage.save(path, File(handle))


def _export_dataset(dataset: Dataset, folder: str, min_group: int) -> list[dict[str, Any]]:
    with tempfile.TemporaryFile() as csv_tmp, tempfile.TemporaryFile() as json_tmp:
        outs = {"csv": _Digest(csv_tmp), "json": _Digest(json_tmp)}
        rows = _write_dataset(dataset, _rows_of(dataset, min_group), outs["csv"], outs["json"])
        return [
            {
                "dataset": dataset.key,
                "format": fmt,
                "path": _store(f"{folder}/{dataset.key}.{fmt}", out.handle),
                "size": out.size,
                "sha256": out.sha256.hexdigest(),
                "rows": rows,
            }
            for fmt, out in outs.items()
        ]


def opendata_export(*, min_group: int | None = None) -> OpenDataRelease:
    """Write today's release (again, if it exists) and delete releases beyond the kept ones."""
    k = settings.OPENDATA_MIN_GROUP if min_group is None else min_group
    now = clock.now()
    today = timezone.localdate(now)
    folder = f"{FOLDER}/{today:%Y-%m-%d}"
    files = [f for dataset in DATASETS for f in _export_dataset(dataset, folder, k)]
    with transaction.atomic(durable=True):
        release, _ = OpenDataRelease.objects.update_or_create(
            date=today, defaults={"created_at": now, "files": files}
        )
    releases_prune(keep=settings.OPENDATA_KEEP_RELEASES)
    return release


def releases_prune(*, keep: int) -> int:
    """Delete the releases, and their files, older than the `keep` newest."""
    old = list(OpenDataRelease.objects.order_by("-date")[keep:])
    for release in old:
        for item in release.files:
            default_storage.delete(item["path"])
        release.delete()
    return len(old)


# ---- Reading ------------------------------------------------------------------------------------


def release_latest() -> OpenDataRelease | None:
    return OpenDataRelease.objects.order_by("-date").first()


def releases_all() -> list[OpenDataRelease]:
    return list(OpenDataRelease.objects.order_by("-date"))


def release_file(day: date | None, dataset: str, fmt: str) -> tuple[dict[str, Any], IO[bytes]]:
    """The stored file of a release (the latest when `day` is None), opened; LookupError when
    there is no such release or file."""
    releases = OpenDataRelease.objects.order_by("-date")
    release = (releases.filter(date=day) if day else releases).first()
    item = release.file(dataset, fmt) if release else None
    if item is None:
        raise LookupError(f"no {dataset}.{fmt} in the release of {day or 'latest'}")
    return item, default_storage.open(item["path"], "rb")


# ---- The DCAT-AP catalogue ---------------------------------------------------------------------

DCAT_CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "spdx": "http://spdx.org/rdf/terms#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
DAILY = "http://publications.europa.eu/resource/authority/frequency/DAILY"


def _texts(es: str, en: str) -> list[dict[str, str]]:
    return [{"@value": es, "@language": "es"}, {"@value": en, "@language": "en"}]


@dataclass(frozen=True)
class CatalogueLinks:
    """Absolute URLs the surface gives the catalogue (this app does not know its routes)."""

    catalogue: str
    page: str
    dictionary: str
    download: Callable[[str, str], str]  # (dataset, format) -> the latest file's URL


def dcat_catalogue(releases: list[OpenDataRelease], links: CatalogueLinks) -> dict[str, Any]:
    """A DCAT-AP `dcat:Catalog` in JSON-LD: one dataset per table, one distribution per format
    of the latest release, with size and SHA-256."""
    publisher = {
        "@type": "foaf:Agent",
        "foaf:name": _texts(settings.SITE_OWNER, settings.SITE_OWNER_EN or settings.SITE_OWNER),
    }
    license_ = {"@id": settings.OPENDATA_LICENSE}
    latest = releases[0] if releases else None
    issued = releases[-1].date.isoformat() if releases else None
    datasets = []
    for dataset in DATASETS:
        entry: dict[str, Any] = {
            "@id": f"{links.page}#{dataset.key}",
            "@type": "dcat:Dataset",
            "dct:identifier": dataset.key,
            "dct:title": _texts(dataset.title_es, dataset.title_en),
            "dct:description": _texts(dataset.description_es, dataset.description_en),
            "dct:publisher": publisher,
            "dct:license": license_,
            "dct:accrualPeriodicity": {"@id": DAILY},
            "dct:conformsTo": {"@id": links.dictionary},
            "dcat:landingPage": {"@id": links.page},
            "dcat:distribution": [],
        }
        if latest is not None:
            entry["dct:issued"] = {"@value": issued, "@type": "xsd:date"}
            entry["dct:modified"] = {"@value": latest.date.isoformat(), "@type": "xsd:date"}
            entry["dcat:distribution"] = [
                _distribution(dataset, item, links, license_)
                for item in latest.files
                if item["dataset"] == dataset.key
            ]
        datasets.append(entry)
    return {
        "@context": DCAT_CONTEXT,
        "@id": links.catalogue,
        "@type": "dcat:Catalog",
        "dct:title": _texts("Datos abiertos", "Open data"),
        "dct:description": _texts(
            "Solicitudes sin datos personales, servicios y puntos de atención, cada día.",
            "Requests without personal data, services and service points, every day.",
        ),
        "dct:publisher": publisher,
        "dct:license": license_,
        "foaf:homepage": {"@id": links.page},
        "dcat:dataset": datasets,
    }


def _distribution(
    dataset: Dataset, item: dict[str, Any], links: CatalogueLinks, license_: dict[str, str]
) -> dict[str, Any]:
    url = links.download(dataset.key, item["format"])
    media = MEDIA_TYPES[item["format"]]
    return {
        "@type": "dcat:Distribution",
        "dct:title": _texts(
            f"{dataset.title_es} ({item['format'].upper()})",
            f"{dataset.title_en} ({item['format'].upper()})",
        ),
        "dcat:accessURL": {"@id": links.page},
        "dcat:downloadURL": {"@id": url},
        "dcat:mediaType": {"@id": f"https://www.iana.org/assignments/media-types/{media}"},
        "dct:format": {"@id": f"https://www.iana.org/assignments/media-types/{media}"},
        "dcat:byteSize": {"@value": str(item["size"]), "@type": "xsd:nonNegativeInteger"},
        "spdx:checksum": {
            "@type": "spdx:Checksum",
            "spdx:algorithm": {"@id": "spdx:checksumAlgorithm_sha256"},
            "spdx:checksumValue": item["sha256"],
        },
        "dct:conformsTo": {"@id": links.dictionary},
        "dct:license": license_,
    }
