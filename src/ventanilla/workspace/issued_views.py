"""Documents issued on a case, for the officials who may see it: the signed answer and the
filing receipt (printed or handed over at the counter)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ventanilla.documents.downloads import issued_response
from ventanilla.documents.issuing import receipt_request
from ventanilla.documents.selectors import issued_get
from ventanilla.workspace.views import _visible, official_required


@never_cache
@official_required
@require_GET
def issued(request: HttpRequest, number: str, issued_id: int) -> HttpResponseBase:
    case, _may_act = _visible(request, number)
    document = issued_get(case, issued_id)
    if document is None:
        raise Http404("no such document")
    return issued_response(
        request, document, url=request.path, back_url=reverse("workspace:case", args=[number])
    )


@never_cache
@official_required
@require_GET
def receipt(request: HttpRequest, number: str) -> HttpResponse:
    case, _may_act = _visible(request, number)
    document = receipt_request(case=case)
    return redirect("workspace:issued", number=number, issued_id=document.pk)
