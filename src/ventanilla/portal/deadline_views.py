"""The public page of how well each entity keeps its legal deadlines (`/cumplimiento/`)."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from ventanilla.core import clock
from ventanilla.insights.models import Refresh
from ventanilla.insights.selectors import deadline_boards
from ventanilla.portal.catalog_views import cacheable


@require_GET
def deadlines(request: HttpRequest) -> HttpResponse:
    """The figures' part is rendered once per language, month and refresh: they change only
    when the worker rebuilds them. The page around it (the signed-in header, the language
    form's token) is the caller's own and is never cached."""
    today = timezone.localdate(clock.now())
    latest = Refresh.objects.order_by("-finished_at").values_list("pk", "finished_at").first()
    language = get_language() or "es"
    key = f"deadlines:{language}:{today:%Y-%m}:{latest[0] if latest else 0}"
    board = cache.get(key)
    if board is None:
        context = {
            "boards": deadline_boards(today=today) if latest else [],
            "refreshed_at": latest[1] if latest else None,
            "every_minutes": max(1, settings.INSIGHTS_REFRESH_SECONDS // 60),
        }
        board = render_to_string("portal/_deadline_boards.html", context)
        cache.set(key, board, timeout=2 * settings.INSIGHTS_REFRESH_SECONDS)
    page = render(request, "portal/deadlines.html", {"board": board})
    return cacheable(request, page)
