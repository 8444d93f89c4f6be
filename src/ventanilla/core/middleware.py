"""Requests refused before any view runs."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from ventanilla.core.text import has_control_characters

API_PREFIX = "/api/"


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
