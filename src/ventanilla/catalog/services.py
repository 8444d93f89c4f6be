"""State changes of the catalogue: drafts, publication, cloning, retirement."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext
from pydantic import ValidationError as SchemaError

from ventanilla.catalog import search
from ventanilla.catalog.models import (
    Service,
    ServiceVersion,
    VersionStatus,
)
from ventanilla.catalog.schema import ServiceDefinition
from ventanilla.core import clock


class CatalogError(Exception):
    """An operation on the catalogue that cannot be done, with a message for the administrator."""


class DefinitionInvalid(CatalogError):
    """A definition that does not validate; `error` says where and why, field by field."""

    def __init__(self, error: SchemaError) -> None:
        super().__init__("; ".join(_error_lines(error)))
        self.error = error


def definition_errors(definition: Any) -> list[str]:
    """What is wrong with a definition, in words, with where it is; empty when it is valid."""
    try:
        ServiceDefinition.model_validate(definition)
    except SchemaError as error:
        return _error_lines(error)
    return []


def _error_lines(error: SchemaError) -> list[str]:
    return [
        f"{'.'.join(str(part) for part in item['loc']) or '(definition)'}: {item['msg']}"
        for item in error.errors()
    ]


def _canonical(definition: Any) -> dict[str, Any]:
    """The stored form of `definition`: validated, without values equal to the defaults."""
    try:
        parsed = ServiceDefinition.model_validate(definition)
    except SchemaError as error:
        raise DefinitionInvalid(error) from None
    return parsed.model_dump(mode="json", exclude_defaults=True)


def _draft_locked(version: ServiceVersion) -> ServiceVersion:
    version = ServiceVersion.objects.select_for_update().get(pk=version.pk)
    if version.status != VersionStatus.DRAFT:
        raise CatalogError(
            gettext("La versión %(number)s está %(status)s: solo se cambia un borrador.")
            % {"number": version.number, "status": version.get_status_display()}
        )
    return version


def service_version_edit(
    *, version: ServiceVersion, definition: Any, notes: str | None = None
) -> ServiceVersion:
    """Replace a draft's definition (and its notes) with `definition`, once it validates;
    raises `DefinitionInvalid` with every problem otherwise, and changes nothing."""
    canonical = _canonical(definition)
    with transaction.atomic():
        version = _draft_locked(version)
        version.definition = canonical
        fields = ["definition"]
        if notes is not None:
            version.notes = notes
            fields.append("notes")
        version.save(update_fields=fields)
    return version


def service_version_create(
    *, service: Service, definition: dict[str, Any], notes: str = ""
) -> ServiceVersion:
    """Add a new draft version to `service`. The definition may be incomplete while a draft."""
    with transaction.atomic():
        Service.objects.select_for_update().get(pk=service.pk)
        last = service.versions.aggregate(last=Max("number"))["last"] or 0
        return ServiceVersion.objects.create(
            service=service,
            number=last + 1,
            status=VersionStatus.DRAFT,
            definition=definition,
            created_at=clock.now(),
            notes=notes,
        )


STARTER = Path(__file__).resolve().parent / "starter.yaml"


def service_version_start(*, service: Service, notes: str = "") -> ServiceVersion:
    """A new draft that starts from a small, valid example (`starter.yaml`), not a blank page."""
    definition = _canonical(yaml.safe_load(STARTER.read_text(encoding="utf-8")))
    return service_version_create(service=service, definition=definition, notes=notes)


def service_version_clone(*, version: ServiceVersion, notes: str = "") -> ServiceVersion:
    """A new draft with the same definition, to change what a published version says."""
    return service_version_create(
        service=version.service, definition=version.definition, notes=notes
    )


def service_version_publish(
    *, version: ServiceVersion, definition: Any = None, notes: str | None = None
) -> ServiceVersion:
    """Publish a valid draft; the version published before it is retired at the same instant.

    With `definition` (what the administrator has on screen), the draft is first changed to
    it in the same transaction: what is published is exactly what was shown, never an older
    stored text."""
    canonical = _canonical(version.definition if definition is None else definition)
    with transaction.atomic():
        service = Service.objects.select_for_update().get(pk=version.service_id)
        version = _draft_locked(version)
        if definition is not None or notes is not None:
            version.definition = canonical
            version.notes = version.notes if notes is None else notes
            version.save(update_fields=["definition", "notes"])
        now = clock.now()
        for current in service.versions.filter(status=VersionStatus.PUBLISHED):
            current.status = VersionStatus.RETIRED
            current.retired_at = now
            current.save(update_fields=["status", "retired_at"])
        version.status = VersionStatus.PUBLISHED
        version.published_at = now
        version.save(update_fields=["status", "published_at"])
        service_refresh_listing(service=service, version=version)
    return version


def service_version_retire(*, version: ServiceVersion) -> ServiceVersion:
    """Withdraw a published version; the service leaves the public catalogue."""
    with transaction.atomic():
        service = Service.objects.select_for_update().get(pk=version.service_id)
        version = ServiceVersion.objects.select_for_update().get(pk=version.pk)
        if version.status != VersionStatus.PUBLISHED:
            raise CatalogError(
                gettext("La versión %(number)s está %(status)s: solo se retira la publicada.")
                % {"number": version.number, "status": version.get_status_display()}
            )
        version.status = VersionStatus.RETIRED
        version.retired_at = clock.now()
        version.save(update_fields=["status", "retired_at"])
        service_refresh_listing(service=service, version=None)
    return version


def service_refresh_listing(*, service: Service, version: ServiceVersion | None) -> None:
    """Copy what the catalogue lists and searches from the published `version` (or clear it)."""
    if version is None:
        service.title_es = service.title_en = service.summary_es = service.summary_en = ""
        service.search_title = service.search_body = ""
        service.is_published = False
    else:
        parsed = version.parsed
        service.title_es, service.title_en = parsed.title.es, parsed.title.en
        service.summary_es, service.summary_en = parsed.summary.es, parsed.summary.en
        service.search_title = search.index_text([parsed.title.es, parsed.title.en])
        body = [parsed.summary.es, parsed.summary.en, parsed.description.es, parsed.description.en]
        if parsed.keywords:
            body += [parsed.keywords.es, parsed.keywords.en]
        body += [service.category.name_es, service.category.name_en]
        body += [
            name for event in service.life_events.all() for name in (event.name_es, event.name_en)
        ]
        service.search_body = search.index_text(body)
        service.is_published = True
    service.save(
        update_fields=[
            "title_es",
            "title_en",
            "summary_es",
            "summary_en",
            "search_title",
            "search_body",
            "is_published",
        ]
    )
