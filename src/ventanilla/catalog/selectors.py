"""Read queries of the catalogue: search, a service's page, where it is offered."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.http import Http404

from ventanilla.catalog import search
from ventanilla.catalog.models import (
    Category,
    LifeEvent,
    PetitionType,
    SearchSynonym,
    Service,
    ServiceKind,
    ServiceVersion,
    VersionStatus,
)
from ventanilla.catalog.schema import ServiceDefinition
from ventanilla.core import memo
from ventanilla.organization.models import Dependency, Level, ServicePoint


@dataclass(frozen=True)
class CatalogFilters:
    """What a citizen (or an API client) narrows the catalogue by; empty means all."""

    q: str = ""
    entity: str = ""
    category: str = ""
    life_event: str = ""
    channel: str = ""
    kind: str = ""


def services_published() -> QuerySet[Service]:
    return Service.objects.filter(is_published=True).select_related("entity", "category")


def _petitions(petition_type: str) -> QuerySet[Service]:
    return (
        services_published()
        .filter(kind=ServiceKind.PETITION, petition_type=petition_type)
        .order_by("title_es", "slug")
    )


def general_petitions() -> list[Service]:
    """The published services that take a petition on any matter: where a citizen who finds
    nothing else can still write to the entity."""
    return list(_petitions(PetitionType.GENERAL))


def complaint_service(entity_id: int) -> Service | None:
    """The entity's published service for complaints: where a citizen complains of a delay."""
    return _petitions(PetitionType.COMPLAINT).filter(entity_id=entity_id).first()


def service_search(filters: CatalogFilters, *, language: str = "es") -> list[Service]:
    """Published services matching `filters`: ranked by relevance when there is a query (title
    matches first), else in alphabetical order of the title in `language`."""
    services = services_published()
    if filters.entity:
        services = services.filter(entity__code=filters.entity)
    if filters.category:
        services = services.filter(category__slug=filters.category)
    if filters.life_event:
        services = services.filter(life_events__slug=filters.life_event)
    if filters.kind:
        services = services.filter(kind=filters.kind)
    ordered = services.order_by("title_en" if language == "en" else "title_es", "slug")
    if filters.channel:
        # JSON containment differs between SQLite and PostgreSQL; the catalogue is small.
        candidates = [s for s in ordered if filters.channel in s.channels]
    else:
        candidates = list(ordered)
    if not filters.q.strip():
        return candidates
    by_key = {s.pk: s for s in candidates}
    hits = search.rank(
        filters.q,
        ((s.pk, s.search_title, s.search_body) for s in candidates),
        synonyms=search_synonyms(),
    )
    return [by_key[hit.key] for hit in hits]


def search_synonyms() -> dict[str, frozenset[str]]:
    """The deployment's synonyms, each word to its equivalents (`search.synonym_groups`),
    remembered until an administrator changes them."""
    return memo.remembered(
        "search-synonyms",
        None,
        lambda: search.synonym_groups(SearchSynonym.objects.values_list("words", flat=True)),
    )


def published_service(slug: str) -> tuple[Service, ServiceVersion] | None:
    """A published service with its entity, dependency and category, and its published
    version with the definition already parsed; None when there is none. A published version
    never changes, so both are remembered until the catalogue or the organisation changes.
    The objects are shared by the requests of a process: read them, never change them."""

    def read() -> tuple[Service, ServiceVersion] | None:
        service = (
            Service.objects.select_related("entity", "dependency", "category")
            .prefetch_related("life_events")
            .filter(slug=slug, is_published=True)
            .first()
        )
        if service is None:
            return None
        version = service.versions.filter(status=VersionStatus.PUBLISHED).first()
        if version is None:
            return None
        version.service = service
        version.parsed  # noqa: B018 - parsed once here, not by every request
        return service, version

    return memo.remembered("published-service", slug, read)


def service_with_version(slug: str) -> tuple[Service, ServiceVersion]:
    """A published service and its published version, or Http404."""
    found = published_service(slug)
    if found is None:
        raise Http404("no published service")
    return found


def services_for_filter(*, language: str = "es") -> list[tuple[str, str]]:
    """(slug, title) of every service that has ever been published, by title: for filtering
    cases, which may belong to a service since retired."""
    field = "title_en" if language == "en" else "title_es"

    def read() -> list[tuple[str, str]]:
        rows = (
            Service.objects.filter(versions__published_at__isnull=False)
            .distinct()
            .order_by(field, "slug")
            .values_list("slug", field)
        )
        return [(slug, title or slug) for slug, title in rows]

    return memo.remembered("services-for-filter", field, read)


def version_definition(version_id: int) -> ServiceDefinition:
    """The parsed definition of a version, read and parsed once per process: a version that
    cases point at (published or retired) never changes. Lists of cases show each case's
    service and stage from it without loading every case's definition."""
    return memo.remembered(
        "version-definition",
        version_id,
        lambda: ServiceVersion.objects.only("definition").get(pk=version_id).parsed,
    )


def service_stages(slug: str, *, language: str = "es") -> list[tuple[str, str]]:
    """(key, label) of the stages of a service's workflow, newest version first, each key once:
    its cases may sit in a stage of an older version."""
    stages: dict[str, str] = {}
    versions = ServiceVersion.objects.filter(
        service__slug=slug, published_at__isnull=False
    ).order_by("-number")
    for version in versions:
        for stage in version.parsed.workflow.stages:
            stages.setdefault(stage.key, stage.label.get(language))
    return list(stages.items())


def service_points_for(
    service: Service, *, locality: str = "", name: str = ""
) -> QuerySet[ServicePoint]:
    """The active service points that offer `service`, optionally in one locality, or whose
    name has `name` in it."""
    points = ServicePoint.objects.filter(entity_id=service.entity_id, active=True).filter(
        Q(kind__in=service.point_kinds) | Q(services=service)
    )
    if locality:
        points = points.filter(locality__code=locality)
    words = search.normalize(name).split()
    if words:
        # Accents and case aside ("bolivar" finds "Simón Bolívar"): a service's points are a
        # few hundred at most, so they are matched here rather than in SQL.
        matching = [
            pk
            for pk, point_name in points.values_list("pk", "name")
            if all(word in search.normalize(point_name) for word in words)
        ]
        points = points.filter(pk__in=matching)
    return (
        points.select_related("locality")
        .prefetch_related("hours")
        .distinct()
        .order_by("locality__code", "name")
    )


def localities_for(service: Service) -> list[tuple[str, str]]:
    """The localities (code, name) with a service point that offers `service`."""
    rows = (
        service_points_for(service)
        .exclude(locality=None)
        .order_by()
        .values_list("locality__code", "locality__name")
        .distinct()
    )
    return sorted(rows)


def dependencies_to_choose_for(service: Service) -> QuerySet[Dependency]:
    """The dependencies a citizen may choose when filing `service`, for the stages of its
    workflow handled by the dependency "chosen at filing": the active local dependencies of
    the service's entity (a local directorate, say, of the locality the request is about)."""
    return Dependency.objects.filter(
        entity_id=service.entity_id, active=True, level=Level.LOCAL
    ).order_by("code")


def largest_filing_mb() -> int:
    """The most megabytes of documents one filing of any published service may carry."""
    largest = 0
    for version in ServiceVersion.objects.filter(status=VersionStatus.PUBLISHED).only("definition"):
        largest = max(largest, sum(d.max_size_mb for d in version.parsed.documents))
    return largest


def largest_document_mb() -> int:
    """The most megabytes one document of any published service may weigh (0 when none)."""
    largest = 0
    for version in ServiceVersion.objects.filter(status=VersionStatus.PUBLISHED).only("definition"):
        largest = max([largest, *(d.max_size_mb for d in version.parsed.documents)])
    return largest


def categories_in_use() -> QuerySet[Category]:
    """Categories with published services, in the administrators' order (Meta.ordering does
    not apply to aggregate queries)."""
    return (
        Category.objects.annotate(
            published=Count("services", filter=Q(services__is_published=True))
        )
        .filter(published__gt=0)
        .order_by("order", "name_es")
    )


def life_events_in_use() -> QuerySet[LifeEvent]:
    return (
        LifeEvent.objects.annotate(
            published=Count("services", filter=Q(services__is_published=True))
        )
        .filter(published__gt=0)
        .order_by("order", "name_es")
    )
