"""The public catalogue: search, filters and the page of each service."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from ventanilla.catalog.selectors import CatalogFilters
from ventanilla.portal import selectors
from ventanilla.portal.shared_pages import shared_page

PUBLIC_MAX_AGE = 300


def cacheable(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    """Anonymous catalogue pages may be kept by browsers and proxies for a few minutes."""
    if request.user.is_authenticated:
        patch_cache_control(response, private=True, max_age=0)
    else:
        patch_cache_control(response, public=True, max_age=PUBLIC_MAX_AGE)
    return response


@require_GET
@shared_page
def catalog(request: HttpRequest) -> HttpResponse:
    filters = CatalogFilters(
        q=request.GET.get("q", "").strip()[:200],
        entity=request.GET.get("entidad", ""),
        category=request.GET.get("categoria", ""),
        life_event=request.GET.get("momento", ""),
        channel=request.GET.get("canal", ""),
        kind=request.GET.get("tipo", ""),
    )
    content = selectors.catalogue_page(filters, page=request.GET.get("pagina"))
    context = {"filters": filters, "content": content}
    return cacheable(request, render(request, "portal/catalog.html", context))


@require_GET
@shared_page
def service_detail(request: HttpRequest, slug: str) -> HttpResponse:
    page = selectors.service_page(slug, locality=request.GET.get("localidad", ""))
    return cacheable(request, render(request, "portal/service.html", {"page": page}))
