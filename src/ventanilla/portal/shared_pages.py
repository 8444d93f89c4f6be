"""Whole public pages kept in memory for visitors who are nobody in particular.

A visitor without a session or a pending message sees exactly what every such visitor sees on
the home page, the catalogue and a service's page: no name, no form with a CSRF token, no
message. That page is rendered once per process, address and language, kept gzip-compressed in
`core.memo` (so it is forgotten when anything it shows changes) and served from there: the
request reads nothing and renders nothing. Anyone else — signed in, in the middle of a filing,
with a message waiting — gets the page rendered for them, as before.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

from ventanilla.core import memo

View = Callable[..., HttpResponse]

# As Django's GZipMiddleware decides (a client that accepts gzip says so).
_ACCEPTS_GZIP = re.compile(r"\bgzip\b")
# Cookies that make a visitor somebody: a session (signed in, a draft, a tracked case) or a
# message waiting to be shown.
_PERSONAL_COOKIES = (settings.SESSION_COOKIE_NAME, "messages")
# A compressed page carries no secret (no token, nothing personal), so the BREACH padding that
# the compression middleware adds to every other page is not needed.
_LEVEL = 6


@dataclass(frozen=True)
class _Kept:
    status: int
    headers: tuple[tuple[str, str], ...]
    compressed: bytes


def _for_anybody(request: HttpRequest) -> bool:
    return (
        request.method == "GET"
        and "HX-Request" not in request.headers
        and not any(name in request.COOKIES for name in _PERSONAL_COOKIES)
    )


def _keepable(request: HttpRequest, response: HttpResponse) -> _Kept | None:
    """The response as every anonymous visitor may get it; None when it is not such a page
    (an error or a redirect, a cookie set, a CSRF token in it, a message or a session
    started while rendering it, a streamed body)."""
    session = getattr(request, "session", None)
    messages = getattr(request, "_messages", None)
    if (
        response.status_code != 200
        or response.streaming
        or response.cookies
        or request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        or (session is not None and session.modified)
        or (messages is not None and messages.added_new)
        or "Content-Encoding" in response
    ):
        return None
    headers = tuple((k, v) for k, v in response.items() if k.lower() != "content-length")
    return _Kept(response.status_code, headers, gzip.compress(response.content, _LEVEL, mtime=0))


def _served(request: HttpRequest, kept: _Kept) -> HttpResponse:
    accepts = bool(_ACCEPTS_GZIP.search(request.headers.get("accept-encoding", "")))
    body = kept.compressed if accepts else gzip.decompress(kept.compressed)
    response = HttpResponse(body, status=kept.status)
    for name, value in kept.headers:
        response[name] = value
    if accepts:
        response["Content-Encoding"] = "gzip"
    # What a rendered page would say: it depends on the cookies (signed in or not) and, here,
    # on what the browser accepts.
    patch_vary_headers(response, ("Cookie", "Accept-Encoding"))
    return response


def shared_page(view: View) -> View:
    """Serve `view`'s page from memory to visitors who are nobody in particular."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        if not _for_anybody(request):
            return view(request, *args, **kwargs)
        rendered: list[HttpResponse] = []

        def render() -> _Kept | None:
            response = view(request, *args, **kwargs)
            rendered.append(response)
            return _keepable(request, response)

        key = (request.get_full_path(), get_language())
        kept = memo.remembered("shared-page", key, render)
        if rendered or kept is None:  # rendered for this request: send it as it is
            return rendered[0]
        return _served(request, kept)

    return wrapper
