"""Documents the institution issued on a case, for the person the case belongs to: the answer
and the filing receipt — downloaded when signed, else a note that updates itself."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ventanilla.cases.models import Case
from ventanilla.cases.selectors import case_for_tracking
from ventanilla.documents.downloads import issued_response
from ventanilla.documents.issuing import receipt_request
from ventanilla.documents.selectors import issued_get
from ventanilla.portal.citizen_views import case_access
from ventanilla.portal.filing_views import FILED_SESSION_KEY
from ventanilla.portal.tracked import tracked_ids


def _case(request: HttpRequest, number: str) -> Case:
    """The applicant's or the guest's case, or one filed in this browser session (an anonymous
    filer's receipt). Tracking with the code does not open documents."""
    access = case_access(request, number)
    if access is not None:
        return access.case
    if number in request.session.get(FILED_SESSION_KEY, {}):
        case = case_for_tracking(number, tracked_ids(request), request.user)
        if case is not None:
            return case
    raise Http404("not your case")


@never_cache
@require_GET
def issued(request: HttpRequest, number: str, issued_id: int) -> HttpResponseBase:
    case = _case(request, number)
    document = issued_get(case, issued_id)
    if document is None:
        raise Http404("no such document")
    back = "portal:my_case" if request.user.is_authenticated else "portal:tracking_case"
    return issued_response(
        request, document, url=request.path, back_url=reverse(back, args=[number])
    )


@never_cache
@require_GET
def receipt(request: HttpRequest, number: str) -> HttpResponse:
    """The filing receipt: made the first time it is asked for."""
    case = _case(request, number)
    document = receipt_request(case=case)
    return redirect("portal:issued", number=number, issued_id=document.pk)
