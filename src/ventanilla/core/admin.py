"""What every admin page of ours shares."""

from __future__ import annotations

from typing import Any, TypeVar

from django.contrib import admin
from django.db.models import Model
from django.http import HttpRequest

M = TypeVar("M", bound=Model)
P = TypeVar("P", bound=Model)


class TabularInline(admin.TabularInline[M, P]):
    """Django's tabular inline, with each input named after its column: the table heads its
    columns but labels no input, so a screen reader could not say what a box is for."""

    def get_formset(self, request: HttpRequest, obj: P | None = None, **kwargs: Any) -> Any:
        formset = super().get_formset(request, obj, **kwargs)
        for field in formset.form.base_fields.values():
            if field.label:
                field.widget.attrs.setdefault("aria-label", str(field.label))
        return formset
