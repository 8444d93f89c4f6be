"""The public catalogue: search, filters and the page of each service."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from ventanilla.appointments import selectors as appointment_selectors
from ventanilla.catalog import selectors
from ventanilla.catalog.models import Channel, ServiceKind
from ventanilla.catalog.selectors import CatalogFilters
from ventanilla.organization.models import Entity, Locality
from ventanilla.places import selectors as place_selectors

PAGE_SIZE = 20
POINTS_SHOWN_WITHOUT_LOCALITY = 25
PUBLIC_MAX_AGE = 300


def cacheable(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Anonymous catalogue pages may be kept by browsers and proxies for a few minutes."""
    if request.user.is_authenticated:
        patch_cache_control(response, private=True, max_age=0)
    else:
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    return response


@require_GET
def catalog(request: HttpRequest) -> HttpResponse:
    language = get_language() or "es"
    filters = CatalogFilters(
        q=request.GET.get("q", "").strip()[:200],
        entity=request.GET.get("entidad", ""),
        category=request.GET.get("categoria", ""),
        life_event=request.GET.get("momento", ""),
        channel=request.GET.get("canal", ""),
        kind=request.GET.get("tipo", ""),
    )
    results = selectors.service_search(filters, language=language)
    page = Paginator(results, PAGE_SIZE).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    context = {
        "filters": filters,
        "page": page,
        "total": len(results),
        "query_string": query.urlencode(),
        "entities": Entity.objects.filter(services__is_published=True).distinct(),
        "categories": selectors.categories_in_use(),
        "life_events": selectors.life_events_in_use(),
        "channels": Channel.choices,
        "kinds": ServiceKind.choices,
        "language": language,
    }
    return cacheable(request, render(request, "portal/catalog.html", context))


@require_GET
def service_detail(request: HttpRequest, slug: str) -> HttpResponse:
    service, version = selectors.service_with_version(slug)
    locality = request.GET.get("localidad", "")
    points = selectors.service_points_for(service, locality=locality)
    count = points.count()
    season = place_selectors.season_of_service(service.pk)
    shown = points if (locality or count <= POINTS_SHOWN_WITHOUT_LOCALITY) else points.none()
    context = {
        "service": service,
        "version": version,
        "definition": version.parsed,
        "language": get_language() or "es",
        "points": shown,
        "points_total": count,
        "bookable_points": (bookable := appointment_selectors.bookable_point_ids(service)),
        "bookable": bool(bookable),
        "locality": locality,
        "season": season[0] if season else None,
        "localities": Locality.objects.filter(
            service_points__in=selectors.service_points_for(service)
        ).distinct(),
    }
    return cacheable(request, render(request, "portal/service.html", context))
