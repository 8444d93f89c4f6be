"""What the public pages show the same to every visitor, worked out once per process and
remembered (`core.memo`) until the configuration changes: a service's page, rendered per
language and locality, and the catalogue's filters and tiles. What differs per visitor (the
account menu, the CSRF token, messages) is rendered around it by the view, on each request."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core.paginator import Page, Paginator
from django.template.loader import render_to_string
from django.utils.safestring import SafeString
from django.utils.translation import get_language

from ventanilla.appointments import selectors as appointment_selectors
from ventanilla.catalog import search
from ventanilla.catalog import selectors as catalog_selectors
from ventanilla.catalog.models import (
    Category,
    Channel,
    LifeEvent,
    Service,
    ServiceKind,
    ServiceVersion,
)
from ventanilla.core import memo
from ventanilla.organization.models import Entity, ServicePoint
from ventanilla.places import selectors as place_selectors

CATALOGUE_PAGE_SIZE = 20
POINTS_SHOWN_WITHOUT_LOCALITY = 25
# Every locality that has none of the service's points gives the same page: one key for all,
# so that made-up values in the address cannot fill the memory with copies.
_NO_SUCH_LOCALITY = "\x00"


@dataclass(frozen=True)
class RenderedPage:
    title: str
    content: SafeString


@dataclass(frozen=True)
class _ServiceFacts:
    service: Service
    version: ServiceVersion
    points: tuple[ServicePoint, ...]  # with their locality and hours, by locality and name
    localities: tuple[tuple[str, str], ...]  # (code, name) of the points' localities
    bookable_points: frozenset[int]
    season_code: str | None


def service_page(slug: str, *, locality: str = "") -> RenderedPage:
    """The main content of a published service's page in the current language, with its points
    in `locality` (all of them up to POINTS_SHOWN_WITHOUT_LOCALITY, else a summary), or Http404."""
    facts = memo.remembered("service-facts", slug, lambda: _service_facts(slug))
    if locality and locality not in dict(facts.localities):
        locality = _NO_SUCH_LOCALITY
    language = get_language() or "es"
    return memo.remembered(
        "service-page",
        (slug, facts.version.pk, language, locality),
        lambda: _service_page_render(facts, locality, language),
    )


def _service_facts(slug: str) -> _ServiceFacts:
    service, version = catalog_selectors.service_with_version(slug)
    points = tuple(catalog_selectors.service_points_for(service))
    localities = sorted({(p.locality.code, p.locality.name) for p in points if p.locality})
    season = place_selectors.season_of_service(service.pk)
    return _ServiceFacts(
        service=service,
        version=version,
        points=points,
        localities=tuple(localities),
        bookable_points=frozenset(appointment_selectors.bookable_point_ids(service)),
        season_code=season[0].code if season else None,
    )


def _service_page_render(facts: _ServiceFacts, locality: str, language: str) -> RenderedPage:
    if locality:
        points = [p for p in facts.points if p.locality and p.locality.code == locality]
    else:
        points = list(facts.points)
    count = len(points)
    shown = points if (locality or count <= POINTS_SHOWN_WITHOUT_LOCALITY) else []
    definition = facts.version.parsed
    context = {
        "service": facts.service,
        "version": facts.version,
        "definition": definition,
        "language": language,
        "points": shown,
        "points_total": count,
        "bookable_points": facts.bookable_points,
        "bookable": bool(facts.bookable_points),
        "locality": locality,
        "season_code": facts.season_code,
        "localities": [{"code": code, "name": name} for code, name in facts.localities],
    }
    return RenderedPage(
        title=definition.title.get(language),
        content=SafeString(render_to_string("portal/_service.html", context)),
    )


@dataclass(frozen=True)
class Tile:
    slug: str
    name: str
    published: int  # published services under it


def _tiles(rows: list[Category] | list[LifeEvent], language: str) -> tuple[Tile, ...]:
    return tuple(
        Tile(
            slug=row.slug,
            name=row.name_en if language == "en" else row.name_es,
            published=row.published,  # type: ignore[union-attr]
        )
        for row in rows
    )


def categories_in_use() -> tuple[Tile, ...]:
    """The categories with published services, in the current language."""
    language = get_language() or "es"
    return memo.remembered(
        "categories-in-use",
        language,
        lambda: _tiles(list(catalog_selectors.categories_in_use()), language),
    )


def life_events_in_use() -> tuple[Tile, ...]:
    """The life events with published services, in the current language."""
    language = get_language() or "es"
    return memo.remembered(
        "life-events-in-use",
        language,
        lambda: _tiles(list(catalog_selectors.life_events_in_use()), language),
    )


def home_page() -> SafeString:
    """The home page's main content in the current language: the search box and the tiles."""
    language = get_language() or "es"
    return memo.remembered("home-page", language, _home_page_render)


def _home_page_render() -> SafeString:
    context = {"categories": categories_in_use(), "life_events": life_events_in_use()}
    return SafeString(render_to_string("portal/_home.html", context))


def entities_in_catalogue() -> tuple[tuple[str, str], ...]:
    """(code, name) of the entities with published services."""
    return memo.remembered("entities-in-catalogue", None, _entities)


def _entities() -> tuple[tuple[str, str], ...]:
    rows = Entity.objects.filter(services__is_published=True).distinct()
    return tuple((entity.code, entity.name) for entity in rows)


def catalogue_search(filters: catalog_selectors.CatalogFilters) -> tuple[Service, ...]:
    """The published services matching `filters` in the current language, remembered per
    query as the search reads it (its normalised, stemmed words) and filters."""
    language = get_language() or "es"
    key = (
        bool(filters.q.strip()),
        tuple(search.terms(filters.q)),
        filters.entity,
        filters.category,
        filters.life_event,
        filters.channel,
        filters.kind,
        language,
    )
    return memo.remembered(
        "catalogue-search",
        key,
        lambda: tuple(catalog_selectors.service_search(filters, language=language)),
    )


def catalogue_page(filters: catalog_selectors.CatalogFilters, *, page: str | None) -> SafeString:
    """The catalogue's main content in the current language: the search box, the filters and
    one page of the services matching `filters` (`page` as the address gives it)."""
    results = catalogue_search(filters)
    shown = Paginator(results, CATALOGUE_PAGE_SIZE).get_page(page)
    language = get_language() or "es"
    return memo.remembered(
        "catalogue-page",
        (filters, shown.number, language),
        lambda: _catalogue_page_render(filters, shown, len(results), language),
    )


def _catalogue_page_render(
    filters: catalog_selectors.CatalogFilters, shown: Page[Service], total: int, language: str
) -> SafeString:
    names = ["q", "entidad", "categoria", "momento", "canal", "tipo"]
    values = [filters.q, filters.entity, filters.category, filters.life_event]
    values += [filters.channel, filters.kind]
    context = {
        "filters": filters,
        "page": shown,
        "total": total,
        "query_string": urlencode([(n, v) for n, v in zip(names, values, strict=True) if v]),
        "entities": entities_in_catalogue(),
        "categories": categories_in_use(),
        "life_events": life_events_in_use(),
        "channels": Channel.choices,
        "kinds": ServiceKind.choices,
        "language": language,
        "deployment": {"contact_phone": settings.SITE_CONTACT_PHONE},
        # Nothing found: where anybody can still write, and the topics to browse.
        "general_petitions": catalog_selectors.general_petitions() if not total else [],
    }
    return SafeString(render_to_string("portal/_catalog.html", context))
