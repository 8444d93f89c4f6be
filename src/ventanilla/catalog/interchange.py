"""Move a catalogue between deployments as YAML: one file per service, plus the taxonomy.

Entities, dependencies and service points are named by their codes, so a catalogue exported
from one deployment imports into any other with the same organisation codes. Export, import and
export again gives identical files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import yaml
from django.db import transaction

from ventanilla.catalog.models import (
    Category,
    Channel,
    LifeEvent,
    PetitionType,
    Service,
    ServiceKind,
    ServiceVersion,
    VersionStatus,
)
from ventanilla.catalog.schema import ServiceDefinition
from ventanilla.catalog.services import definition_errors, service_refresh_listing
from ventanilla.core import clock, memo
from ventanilla.organization.models import Dependency, Entity, ServicePoint, ServicePointKind

TAXONOMY_FILE = "_taxonomy.yaml"


class ImportError_(Exception):
    """The files cannot be imported; `problems` says, per file, what is wrong."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def canonical_definition(definition: dict[str, Any]) -> dict[str, Any]:
    """The stored form of a valid definition: validated, without values equal to defaults."""
    parsed = ServiceDefinition.model_validate(definition)
    return parsed.model_dump(mode="json", exclude_defaults=True)


def _dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def _when(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def catalog_export(directory: Path) -> list[Path]:
    """Write the taxonomy and every service, with all its versions, into `directory`."""
    directory.mkdir(parents=True, exist_ok=True)
    taxonomy = {
        "categories": [
            {"slug": c.slug, "es": c.name_es, "en": c.name_en, "order": c.order}
            for c in Category.objects.order_by("order", "slug")
        ],
        "life_events": [
            {"slug": e.slug, "es": e.name_es, "en": e.name_en, "order": e.order}
            for e in LifeEvent.objects.order_by("order", "slug")
        ],
    }
    written = [directory / TAXONOMY_FILE]
    written[0].write_text(_dump(taxonomy))
    services = Service.objects.select_related("entity", "dependency", "category").prefetch_related(
        "life_events", "service_points", "versions"
    )
    for service in services.order_by("slug"):
        data = {
            "slug": service.slug,
            "entity": service.entity.code,
            "dependency": service.dependency.code,
            "category": service.category.slug,
            "life_events": sorted(e.slug for e in service.life_events.all()),
            "kind": service.kind,
            "petition_type": service.petition_type,
            "channels": list(service.channels),
            "point_kinds": list(service.point_kinds),
            "service_points": sorted(p.code for p in service.service_points.all()),
            "versions": [
                {
                    "number": v.number,
                    "status": v.status,
                    "created_at": _when(v.created_at),
                    "published_at": _when(v.published_at),
                    "retired_at": _when(v.retired_at),
                    "notes": v.notes,
                    "definition": v.definition,
                }
                for v in sorted(service.versions.all(), key=lambda v: v.number)
            ],
        }
        path = directory / f"{service.slug}.yaml"
        path.write_text(_dump(data))
        written.append(path)
    return written


@dataclass
class _Plan:
    categories: list[dict[str, Any]] = field(default_factory=list)
    life_events: list[dict[str, Any]] = field(default_factory=list)
    services: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _parse_time(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value))


def _taxon_ok(item: Any) -> bool:
    return (
        isinstance(item, dict)
        and set(item) == {"slug", "es", "en", "order"}
        and all(isinstance(item[k], str) and item[k].strip() for k in ("slug", "es", "en"))
        and isinstance(item["order"], int)
    )


def _read(directory: Path) -> _Plan:
    plan = _Plan()
    taxonomy_path = directory / TAXONOMY_FILE
    if taxonomy_path.exists():
        taxonomy = yaml.safe_load(taxonomy_path.read_text()) or {}
        plan.categories = list(taxonomy.get("categories", []))
        plan.life_events = list(taxonomy.get("life_events", []))
        for group, items in (("categories", plan.categories), ("life_events", plan.life_events)):
            for index, item in enumerate(items):
                if not _taxon_ok(item):
                    plan.problems.append(
                        f"{TAXONOMY_FILE}: {group}[{index}] needs exactly slug, es, en (texts; "
                        f"quote any that has a comma) and order (a number), got {item!r}"
                    )
    for path in sorted(directory.glob("*.yaml")):
        if path.name == TAXONOMY_FILE:
            continue
        try:
            data = yaml.safe_load(path.read_text())
        except yaml.YAMLError as error:
            plan.problems.append(f"{path.name}: not valid YAML: {error}")
            continue
        if not isinstance(data, dict) or "slug" not in data:
            plan.problems.append(f"{path.name}: a service file needs at least a `slug`")
            continue
        data["_file"] = path.name
        plan.services.append(data)
    return plan


def _check_service(data: dict[str, Any], plan: _Plan, problems: list[str]) -> None:
    name = data["_file"]
    known_categories = {c["slug"] for c in plan.categories} | set(
        Category.objects.values_list("slug", flat=True)
    )
    known_events = {e["slug"] for e in plan.life_events} | set(
        LifeEvent.objects.values_list("slug", flat=True)
    )
    entity = Entity.objects.filter(code=data.get("entity")).first()
    if entity is None:
        problems.append(f"{name}: no entity with code {data.get('entity')!r}")
        return
    if not Dependency.objects.filter(entity=entity, code=data.get("dependency")).exists():
        problems.append(f"{name}: no dependency {data.get('dependency')!r} in {entity.code}")
    if data.get("category") not in known_categories:
        problems.append(f"{name}: unknown category {data.get('category')!r}")
    for event in data.get("life_events", []):
        if event not in known_events:
            problems.append(f"{name}: unknown life event {event!r}")
    if data.get("kind") not in ServiceKind.values:
        problems.append(f"{name}: kind must be one of {ServiceKind.values}")
    if data.get("petition_type", "") not in ["", *PetitionType.values]:
        problems.append(f"{name}: petition_type must be one of {PetitionType.values}")
    channels = data.get("channels") or []
    if not channels or any(c not in Channel.values for c in channels):
        problems.append(f"{name}: channels must be some of {Channel.values}")
    if any(k not in ServicePointKind.values for k in data.get("point_kinds", [])):
        problems.append(f"{name}: point_kinds must be some of {ServicePointKind.values}")
    codes = set(data.get("service_points", []))
    found = set(
        ServicePoint.objects.filter(entity=entity, code__in=codes).values_list("code", flat=True)
    )
    if codes - found:
        problems.append(f"{name}: unknown service points {sorted(codes - found)}")
    versions = data.get("versions") or []
    if not versions:
        problems.append(f"{name}: no versions")
    published = [v for v in versions if v.get("status") == VersionStatus.PUBLISHED]
    if len(published) > 1:
        problems.append(f"{name}: more than one published version")
    for version in versions:
        status = version.get("status")
        if status not in VersionStatus.values:
            problems.append(f"{name} v{version.get('number')}: unknown status {status!r}")
        if status != VersionStatus.DRAFT:
            problems += [
                f"{name} v{version.get('number')}: {error}"
                for error in definition_errors(version.get("definition"))
            ]
    existing = Service.objects.filter(slug=data["slug"]).first()
    if existing is not None:
        stored = {v.number: v for v in existing.versions.all()}
        for version in versions:
            old = stored.get(version.get("number"))
            if old is None or old.status == VersionStatus.DRAFT:
                continue
            if definition_errors(version.get("definition")):
                continue  # already reported above
            incoming = canonical_definition(version.get("definition") or {})
            if incoming != old.definition:
                problems.append(
                    f"{name} v{old.number} is {old.status} here and says something else: a "
                    "published version cannot change; give the change a new version number"
                )


def catalog_import(directory: Path) -> list[Service]:
    """Create or update the services in `directory`, all or nothing."""
    plan = _read(directory)
    problems = list(plan.problems)
    for data in plan.services:
        _check_service(data, plan, problems)
    if problems:
        raise ImportError_(problems)
    imported = []
    with transaction.atomic():
        for item in plan.categories:
            Category.objects.update_or_create(
                slug=item["slug"],
                defaults={"name_es": item["es"], "name_en": item["en"], "order": item["order"]},
            )
        for item in plan.life_events:
            LifeEvent.objects.update_or_create(
                slug=item["slug"],
                defaults={"name_es": item["es"], "name_en": item["en"], "order": item["order"]},
            )
        for data in plan.services:
            imported.append(_write_service(data))
    return imported


def _write_service(data: dict[str, Any]) -> Service:
    entity = Entity.objects.get(code=data["entity"])
    service, _ = Service.objects.update_or_create(
        slug=data["slug"],
        defaults={
            "entity": entity,
            "dependency": Dependency.objects.get(entity=entity, code=data["dependency"]),
            "category": Category.objects.get(slug=data["category"]),
            "kind": data["kind"],
            "petition_type": data.get("petition_type", ""),
            "channels": list(data["channels"]),
            "point_kinds": list(data.get("point_kinds", [])),
        },
    )
    service.life_events.set(LifeEvent.objects.filter(slug__in=data.get("life_events", [])))
    service.service_points.set(
        ServicePoint.objects.filter(entity=entity, code__in=data.get("service_points", []))
    )
    stored = {v.number: v for v in service.versions.all()}
    published: ServiceVersion | None = None
    now = clock.now()
    for item in sorted(data["versions"], key=lambda v: v["number"]):
        status = item["status"]
        definition = item.get("definition") or {}
        if status != VersionStatus.DRAFT:
            definition = canonical_definition(definition)
        version = stored.get(item["number"])
        if version is None:
            version = ServiceVersion.objects.create(
                service=service,
                number=item["number"],
                status=status,
                definition=definition,
                created_at=_parse_time(item.get("created_at")) or now,
                published_at=_parse_time(item.get("published_at"))
                or (now if status != VersionStatus.DRAFT else None),
                retired_at=_parse_time(item.get("retired_at"))
                or (now if status == VersionStatus.RETIRED else None),
                notes=item.get("notes", ""),
            )
        elif version.status == VersionStatus.DRAFT:
            memo.configuration_changed()  # an update() sends no signal
            ServiceVersion.objects.filter(pk=version.pk).update(
                status=status,
                definition=definition,
                published_at=_parse_time(item.get("published_at")),
                retired_at=_parse_time(item.get("retired_at")),
                notes=item.get("notes", ""),
            )
            version.refresh_from_db()
        elif version.status == VersionStatus.PUBLISHED and status == VersionStatus.RETIRED:
            version.status = VersionStatus.RETIRED
            version.retired_at = _parse_time(item.get("retired_at")) or now
            version.save(update_fields=["status", "retired_at"])
        if version.status == VersionStatus.PUBLISHED:
            published = version
    service_refresh_listing(service=service, version=published)
    return service
