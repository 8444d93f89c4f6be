"""The public page where anyone checks a document the institution issued: by its verification
code (typed, or opened from the QR code) or by uploading the PDF."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from ventanilla.core.forms import Form
from ventanilla.core.ratelimit import client_ip, wait_minutes
from ventanilla.documents.verification import (
    MAX_PDF_MB,
    Verdict,
    document_check_code,
    document_check_file,
    verdict_summary,
)


class VerifyForm(Form):
    code = forms.CharField(
        label=gettext_lazy("Código de verificación"),
        max_length=30,
        required=False,
        help_text=gettext_lazy("Está en el documento, junto al código QR. Ej.: 7KQ2-M9XP-4D3A."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
    file = forms.FileField(
        label=gettext_lazy("El documento en PDF (opcional)"),
        required=False,
        help_text=gettext_lazy(
            "Súbalo para saber si es exactamente el que expedimos y si su firma es válida. "
            "Hasta %(mb)s MB."
        )
        % {"mb": MAX_PDF_MB},
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data.get("file")
        if upload is not None and upload.size > MAX_PDF_MB * 1024 * 1024:
            raise forms.ValidationError(_("El archivo pesa más de %(mb)s MB.") % {"mb": MAX_PDF_MB})
        return upload

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if not data.get("code") and not data.get("file") and not self.errors:
            raise forms.ValidationError(
                _("Escriba el código de verificación o suba el documento en PDF.")
            )
        return data


def _too_many(form: VerifyForm, verdict: Verdict) -> None:
    minutes = wait_minutes(verdict.retry_after)
    form.add_error(
        None,
        ngettext(
            "Hubo demasiados intentos. Espere %(minutes)s minuto y vuelva a intentarlo.",
            "Hubo demasiados intentos. Espere %(minutes)s minutos y vuelva a intentarlo.",
            minutes,
        )
        % {"minutes": minutes},
    )


@never_cache
@require_http_methods(["GET", "POST"])
def verify(request: HttpRequest) -> HttpResponse:
    verdict: Verdict | None = None
    status = 200
    if request.method == "POST":
        form = VerifyForm(request.POST, request.FILES)
    elif request.GET.get("codigo"):
        form = VerifyForm({"code": request.GET["codigo"]})
    else:
        form = VerifyForm()
    if form.is_bound and form.is_valid():
        client = client_ip(request)
        upload = form.cleaned_data.get("file")
        code = form.cleaned_data.get("code") or ""
        if upload is not None:
            verdict = document_check_file(content=upload.read(), client=client, code=code)
        else:
            verdict = document_check_code(code=code, client=client)
        if verdict.retry_after:
            _too_many(form, verdict)
            status = 429
            verdict = None
    response = render(
        request,
        "portal/verify.html",
        {
            "form": form,
            "verdict": verdict,
            "summary": verdict_summary(verdict) if verdict else "",
            "checked_file": form.is_bound and bool(form.cleaned_data.get("file"))
            if form.is_bound and form.is_valid()
            else False,
        },
        status=status,
    )
    if status == 429 and form.errors:
        response["Retry-After"] = "60"
    return response
