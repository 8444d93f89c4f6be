"""The electronic file of the citizen's own case: its index (JSON, PDF) and the whole file as a
ZIP, with the documents the citizen may see. Another's case answers 404 (`own_case_view`)."""

from __future__ import annotations

from django.http import FileResponse, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from ventanilla.documents.expediente import (
    expediente_index,
    expediente_zip_file,
    index_json,
    index_pdf,
)
from ventanilla.portal.citizen_views import CaseAccess, own_case_view


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@never_cache
@require_GET
@own_case_view
def my_case_index_json(request: HttpRequest, access: CaseAccess) -> HttpResponse:
    index = expediente_index(access.case, citizen=True)
    return _attachment(
        index_json(index),
        "application/json; charset=utf-8",
        f"indice-{access.case.filing_number}.json",
    )


@never_cache
@require_GET
@own_case_view
def my_case_index_pdf(request: HttpRequest, access: CaseAccess) -> HttpResponse:
    index = expediente_index(access.case, citizen=True)
    return _attachment(
        index_pdf(index), "application/pdf", f"indice-{access.case.filing_number}.pdf"
    )


@never_cache
@require_GET
@own_case_view
def my_case_zip(request: HttpRequest, access: CaseAccess) -> HttpResponseBase:
    index = expediente_index(access.case, citizen=True)
    return FileResponse(
        expediente_zip_file(index),
        as_attachment=True,
        filename=f"expediente-{access.case.filing_number}.zip",
        content_type="application/zip",
    )
