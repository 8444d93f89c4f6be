"""What an official sends from a case page: parsed and checked here (text rules and lengths of
`core.forms`, numbers that are numbers); the services decide what is allowed."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ventanilla.core.forms import Form
from ventanilla.organization.models import Dependency, Entity

TEXT_MAX = 10_000  # a comment, a note or a message
RESPONSE_MAX = 50_000  # the answer to a case, which becomes a letter


def first_error(form: forms.BaseForm) -> str:
    """The first error of `form`, for pages that show one message above the case."""
    for errors in form.errors.values():
        for error in errors:
            return str(error)
    return ""


class CaseActionForm(Form):
    comentario = forms.CharField(
        label=_("Comentario"), required=False, max_length=RESPONSE_MAX, widget=forms.Textarea
    )
    nueva_fecha = forms.DateField(label=_("Nueva fecha de vencimiento"), required=False)
    dependencia = forms.ModelChoiceField(
        label=_("Dependencia"), queryset=Dependency.objects.all(), required=False
    )
    entidad = forms.ModelChoiceField(
        label=_("Entidad"), queryset=Entity.objects.all(), required=False
    )


class NoteForm(Form):
    nota = forms.CharField(
        label=_("Nota"), required=False, max_length=TEXT_MAX, widget=forms.Textarea
    )


class MessageForm(Form):
    mensaje = forms.CharField(
        label=_("Mensaje"), required=False, max_length=TEXT_MAX, widget=forms.Textarea
    )


class DraftForm(Form):
    respuesta = forms.CharField(
        label=_("Respuesta"), required=False, max_length=RESPONSE_MAX, widget=forms.Textarea
    )
