"""Requests refused before any view runs."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.middleware.gzip import GZipMiddleware
from django.shortcuts import render

from ventanilla.core.text import has_control_characters

API_PREFIX = "/api/"


class PageCompressionMiddleware(GZipMiddleware):
    """Pages, their JSON and CSV go compressed with gzip to a browser that accepts it, so that a
    public page arrives in the first round trip (Django's own middleware, with its BREACH
    mitigation). Streamed files (documents, exports, already compressed or large) go as they
    are, and static files come compressed from WhiteNoise."""

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        kind = response.get("Content-Type", "")
        if response.streaming or not kind.startswith(("text/", "application/json")):
            return response
        if request.path.startswith(API_PREFIX):  # small JSON; clients decide on their own
            return response
        return super().process_response(request, response)


class ControlCharacterMiddleware:
    """A NUL or another control character in the path or in a query parameter is a 400: no
    filing number, slug or filter has one, and PostgreSQL would refuse it deep in a query."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _bad(request):
            if request.path.startswith(API_PREFIX):
                return JsonResponse(
                    {"detail": "The path or a query parameter has a control character."},
                    status=400,
                )
            return render(request, "400.html", {"site_error": True}, status=400)
        return self.get_response(request)


def _bad(request: HttpRequest) -> bool:
    if has_control_characters(request.path):
        return True
    return any(
        has_control_characters(key) or any(has_control_characters(v) for v in values)
        for key, values in request.GET.lists()
    )
