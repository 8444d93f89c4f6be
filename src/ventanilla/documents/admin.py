from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ventanilla.documents.models import DocumentKind


@admin.register(DocumentKind)
class DocumentKindAdmin(admin.ModelAdmin[DocumentKind]):
    """The kinds of document services ask for, and how long the citizen's folder offers one
    for reuse. The key is what service definitions name, so it is fixed once created."""

    list_display = ("name_es", "key", "valid_days", "reusable")
    list_filter = ("reusable",)
    search_fields = ("key", "name_es", "name_en")
    fieldsets = (
        (
            None,
            {
                "fields": ("name_es", "name_en", "key"),
                "description": _(
                    "La clave es la que usan los trámites en «Documentos requeridos» (por "
                    "ejemplo, identity_document). No se puede cambiar después de crearla."
                ),
            },
        ),
        (
            _("Reutilización en la carpeta del ciudadano"),
            {
                "fields": ("reusable", "valid_days"),
                "description": _(
                    "Si es reutilizable, cuando un trámite pide este tipo de documento y el "
                    "ciudadano ya tiene uno vigente en «Mis documentos», se le ofrece usarlo "
                    "sin volver a cargarlo. La vigencia se cuenta desde el día en que lo cargó."
                ),
            },
        ),
    )

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> tuple[str, ...]:
        return ("key",) if obj is not None else ()
