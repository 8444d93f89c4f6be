"""The electronic file of a case for the officials who may see it: its index (JSON, PDF) with
every document, and the whole file as a ZIP. Another dependency's case answers 404."""

from __future__ import annotations

from typing import cast

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from ventanilla.accounts.models import User
from ventanilla.cases.inbox import case_for_official
from ventanilla.cases.models import Case
from ventanilla.documents.expediente import (
    expediente_index,
    expediente_zip_file,
    index_json,
    index_pdf,
)
from ventanilla.workspace.views import official_required


def _case(request: HttpRequest, number: str) -> Case:
    found = case_for_official(cast(User, request.user), number)
    if found is None:
        raise Http404("not a case of yours")
    return found[0]


def _attachment(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@official_required
@require_GET
def case_index_json(request: HttpRequest, number: str) -> HttpResponse:
    case = _case(request, number)
    return _attachment(
        index_json(expediente_index(case, citizen=False)),
        "application/json; charset=utf-8",
        f"indice-{case.filing_number}.json",
    )


@official_required
@require_GET
def case_index_pdf(request: HttpRequest, number: str) -> HttpResponse:
    case = _case(request, number)
    return _attachment(
        index_pdf(expediente_index(case, citizen=False)),
        "application/pdf",
        f"indice-{case.filing_number}.pdf",
    )


@official_required
@require_GET
def case_zip(request: HttpRequest, number: str) -> FileResponse:
    case = _case(request, number)
    return FileResponse(
        expediente_zip_file(expediente_index(case, citizen=False)),
        as_attachment=True,
        filename=f"expediente-{case.filing_number}.zip",
        content_type="application/zip",
    )
