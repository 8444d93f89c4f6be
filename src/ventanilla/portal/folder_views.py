"""The citizen's folder ("Mis documentos"): list, add, download and remove their documents.
The rules are in `documents.folder`; these views translate HTTP to its calls."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from ventanilla.accounts.models import User
from ventanilla.cases.uploads import upload_received, uploads_refused
from ventanilla.core.downloads import file_download
from ventanilla.core.forms import Form
from ventanilla.documents.folder import (
    FOLDER_MAX_MB,
    FolderError,
    folder_document_of,
    folder_for,
    folder_remove,
    folder_upload,
    kind_label,
    kinds_reusable,
)


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)  # login_required


class FolderUploadForm(Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Tipo de documento"),
        error_messages={
            "required": gettext_lazy("Elija el tipo de documento."),
            "invalid_choice": gettext_lazy("Elija el tipo de documento."),
        },
    )
    archivo = forms.FileField(
        label=gettext_lazy("Archivo"),
        help_text=gettext_lazy("PDF, JPG o PNG, hasta %(n)s MB.") % {"n": FOLDER_MAX_MB},
        error_messages={"required": gettext_lazy("Elija el archivo que quiere guardar.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["kind"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above
        field.choices = [
            ("", _("Elija uno")),
            *((k.key, kind_label(k, k.key)) for k in kinds_reusable()),
        ]


@login_required
@require_http_methods(["GET", "POST"])
def my_documents(request: HttpRequest) -> HttpResponse:
    """What the citizen uploaded or received, with its validity; and a form to add one."""
    user = _user(request)
    form = FolderUploadForm()
    if request.method == "POST":
        refused = uploads_refused(request)  # too big to read: said on the form, kind kept
        form = FolderUploadForm(request.POST, request.FILES)
        if refused:
            form.is_valid()
            form.add_error("archivo", next(iter(refused.values())))
        elif form.is_valid():
            uploaded = form.cleaned_data["archivo"]
            if uploaded.size and uploaded.size > FOLDER_MAX_MB * 1024 * 1024:
                form.add_error(
                    "archivo", _("El archivo pesa más de %(n)s MB.") % {"n": FOLDER_MAX_MB}
                )
            else:
                try:
                    document = folder_upload(
                        owner=user,
                        kind=form.cleaned_data["kind"],
                        upload=upload_received("folder", uploaded),
                    )
                except FolderError as error:
                    for problem in error.problems:
                        form.add_error("archivo", problem)
                else:
                    messages.success(
                        request,
                        _("Guardamos %(name)s en sus documentos.") % {"name": document.name},
                    )
                    return redirect("portal:my_documents")
    return render(
        request,
        "portal/citizen/documents.html",
        {
            "entries": folder_for(user),
            "today": timezone.localdate(),
            "form": form,
        },
    )


@login_required
@require_GET
def my_document(request: HttpRequest, document_id: int) -> FileResponse:
    """A document of the citizen's folder, for them alone (404 for anybody else's)."""
    document = folder_document_of(_user(request), document_id)
    if document is None:
        raise Http404("not in your folder")
    return file_download(
        default_storage.open(document.file, "rb"),
        filename=document.name,
        content_type=document.content_type,
    )


@login_required
@require_http_methods(["GET", "POST"])
def my_document_remove(request: HttpRequest, document_id: int) -> HttpResponse:
    """Ask, then take out of the folder a document the citizen uploaded."""
    user = _user(request)
    document = folder_document_of(user, document_id)
    if document is None or document.origin != "uploaded":
        raise Http404("not one you uploaded")
    if request.method == "POST":
        folder_remove(owner=user, document_id=document.pk)
        messages.success(
            request, _("Quitamos %(name)s de sus documentos.") % {"name": document.name}
        )
        return redirect("portal:my_documents")
    return render(request, "portal/citizen/document_remove.html", {"document": document})
