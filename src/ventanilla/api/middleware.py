"""The size of what the API reads: enough for the largest filing a service accepts.

Django refuses a body larger than `DATA_UPLOAD_MAX_MEMORY_SIZE` with an HTML 400 when it is
read; forms keep that limit, but a filing through the API carries its documents in base64 (a
third larger), so the API reads up to what the catalogue's largest filing needs and answers a
JSON 413 beyond it.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from io import BytesIO

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from ventanilla.catalog.selectors import largest_filing_mb

API_PREFIX = "/api/"


def api_body_limit() -> int:
    """Bytes: the documents of the largest filing in base64, plus room for the rest."""
    documents = largest_filing_mb() * 1024 * 1024
    return math.ceil(documents * 4 / 3) + settings.DATA_UPLOAD_MAX_MEMORY_SIZE


class ApiBodyLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(API_PREFIX):
            try:
                length = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                length = 0
            if length > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
                limit = api_body_limit()
                if length > limit:
                    return JsonResponse(
                        {
                            "detail": "The request is larger than the API accepts "
                            f"({limit // (1024 * 1024)} MB)."
                        },
                        status=413,
                    )
                # Read it here, as HttpRequest.body would, without the forms' limit.
                body = request.read()
                request._body = body
                request._stream = BytesIO(body)
        return self.get_response(request)
