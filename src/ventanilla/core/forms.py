"""How every form of ours renders: an error summary that links to each field, then the fields
with label, hint and error tied together (aria-describedby, aria-invalid)."""

from django.forms.renderers import TemplatesSetting


class FormRenderer(TemplatesSetting):
    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
