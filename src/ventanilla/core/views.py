from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ventanilla.core.selectors import health_check


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """JSON health for load balancers: 503 only when the database is unreachable."""
    health = health_check()
    return JsonResponse(health.as_dict(), status=503 if health.status == "fail" else 200)
