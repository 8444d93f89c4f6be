"""The open-data page: what each dataset holds, its downloads (latest and dated), the data
dictionary as a page and as a Table Schema, and the DCAT-AP catalogue. The data and its rules
live in `insights.opendata` and `insights.dictionary`; these views only read them."""

from __future__ import annotations

import json
from datetime import date

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from ventanilla.core.downloads import file_download
from ventanilla.insights import opendata
from ventanilla.insights.dictionary import BY_KEY, DATASETS, FORMATS, data_package
from ventanilla.portal.catalog_views import cacheable


def _language() -> str:
    return get_language() or "es"


@require_GET
def opendata_page(request: HttpRequest) -> HttpResponse:
    language = _language()
    releases = opendata.releases_all()
    latest = releases[0] if releases else None
    datasets = [
        {
            "key": d.key,
            "title": d.title(language),
            "description": d.description(language),
            "files": [latest.file(d.key, fmt) for fmt in FORMATS] if latest else [],
        }
        for d in DATASETS
    ]
    context = {
        "datasets": datasets,
        "latest": latest,
        "earlier": releases[1:],
        "min_group": settings.OPENDATA_MIN_GROUP,
        "license": settings.OPENDATA_LICENSE,
    }
    return cacheable(request, render(request, "portal/opendata/page.html", context))


@require_GET
def opendata_dictionary(request: HttpRequest) -> HttpResponse:
    language = _language()
    datasets = [
        {
            "key": d.key,
            "title": d.title(language),
            "columns": [
                {
                    "name": c.name,
                    "type": c.type,
                    "description": c.description(language),
                    "enum": c.enum,
                    "required": c.required,
                }
                for c in d.columns
            ],
        }
        for d in DATASETS
    ]
    page = render(request, "portal/opendata/dictionary.html", {"datasets": datasets})
    return cacheable(request, page)


def _json(request: HttpRequest, document: object, content_type: str) -> HttpResponse:
    body = json.dumps(document, ensure_ascii=False, indent=2)
    return cacheable(request, HttpResponse(body, content_type=f"{content_type}; charset=utf-8"))


@require_GET
def opendata_schema(request: HttpRequest) -> HttpResponse:
    return _json(request, data_package(language=_language()), "application/json")


@require_GET
def opendata_catalogue(request: HttpRequest) -> HttpResponse:
    def absolute(name: str, **kwargs: str) -> str:
        return request.build_absolute_uri(reverse(f"portal:{name}", kwargs=kwargs))

    links = opendata.CatalogueLinks(
        catalogue=absolute("opendata_catalogue"),
        page=absolute("opendata"),
        dictionary=absolute("opendata_schema"),
        download=lambda dataset, fmt: absolute("opendata_latest", dataset=dataset, fmt=fmt),
    )
    document = opendata.dcat_catalogue(opendata.releases_all(), links)
    return _json(request, document, "application/ld+json")


def _download(day: date | None, dataset: str, fmt: str) -> FileResponse:
    if dataset not in BY_KEY or fmt not in FORMATS:
        raise Http404("no such dataset")
    try:
        item, handle = opendata.release_file(day, dataset, fmt)
    except LookupError as missing:
        raise Http404("no such release") from missing
    name = f"{dataset}-{day or item['path'].split('/')[-2]}.{fmt}"
    return file_download(handle, filename=name, content_type=opendata.MEDIA_TYPES[fmt])


@require_GET
def opendata_latest(request: HttpRequest, dataset: str, fmt: str) -> FileResponse:
    return _download(None, dataset, fmt)


@require_GET
def opendata_dated(request: HttpRequest, day: str, dataset: str, fmt: str) -> FileResponse:
    try:
        when = date.fromisoformat(day)
    except ValueError as bad:
        raise Http404("no such date") from bad
    return _download(when, dataset, fmt)
