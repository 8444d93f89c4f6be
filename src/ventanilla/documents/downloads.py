"""The one HTTP answer both the portal and the workspace give for an issued document, once
each has checked who asks: the signed PDF when ready; before that a page (or, to its own poll,
the part of the page) saying it is being signed."""

from __future__ import annotations

from django.http import FileResponse, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render

from ventanilla.documents.models import IssuedDocument, IssuedState


def issued_response(
    request: HttpRequest, issued: IssuedDocument, *, url: str, back_url: str
) -> HttpResponseBase:
    context = {"issued": issued, "issued_url": url, "back_url": back_url}
    if request.headers.get("HX-Request"):
        return render(request, "documents/_issued.html", context)
    if issued.state == IssuedState.READY and issued.document is not None:
        response = FileResponse(
            issued.document.file.open("rb"),
            as_attachment=True,
            filename=issued.document.original_name,
            content_type="application/pdf",
        )
        response["X-Content-Type-Options"] = "nosniff"
        return response
    return render(request, "documents/issued_page.html", context)
