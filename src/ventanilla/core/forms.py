"""How every form of ours renders and what text it accepts.

Rendering: an error summary that links to each field, then the fields with label, hint and
error tied together (aria-describedby, aria-invalid). Text: every text field refuses control
characters with a field error (`core.text`), multi-line fields keeping tab and line breaks.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms.renderers import TemplatesSetting

from ventanilla.core.text import PlainTextValidator


class FormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"


def text_rules_apply(form: forms.BaseForm) -> None:
    """Give each text field of `form` the plain-text rule (passwords are never stored)."""
    for field in form.fields.values():
        if isinstance(field, forms.CharField) and not isinstance(field.widget, forms.PasswordInput):
            multiline = isinstance(field.widget, forms.Textarea)
            field.validators.append(PlainTextValidator(multiline=multiline))


class Form(forms.Form):
    """The base of our forms: Django's, with the plain-text rule on every text field."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        text_rules_apply(self)
