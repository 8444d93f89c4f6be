"""Satisfaction results for the office: figures per service, office, point, channel and month,
and the citizens' comments (for supervisors and approvers of the office's subtree)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, cast

from django import forms
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from ventanilla.accounts.models import User
from ventanilla.core import clock
from ventanilla.core.forms import Form
from ventanilla.organization.models import Dependency, Role
from ventanilla.organization.selectors import dependencies_for
from ventanilla.surveys import selectors
from ventanilla.workspace.views import official_required

COMMENTS_PER_PAGE = 20
BREAKDOWN_LABELS = {
    "service": _("Trámite"),
    "dependency": _("Dependencia"),
    "point": _("Punto de atención"),
    "channel": _("Canal"),
    "month": _("Mes"),
}


class ResultsForm(Form):
    oficina = forms.ModelChoiceField(
        queryset=Dependency.objects.none(), label=_("Oficina"), empty_label=None
    )
    desde = forms.DateField(
        label=_("Desde"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    hasta = forms.DateField(
        label=_("Hasta"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    por = forms.ChoiceField(label=_("Ver por"), choices=list(BREAKDOWN_LABELS.items()))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("desde") and data.get("hasta") and data["desde"] > data["hasta"]:
            self.add_error("hasta", _("Debe ser igual o posterior a «Desde»."))
        return data


def _defaults(offices: Any) -> dict[str, Any]:
    today = clock.now().date()
    return {
        "oficina": offices.first(),
        "desde": (today.replace(day=1) - timedelta(days=335)).replace(day=1),
        "hasta": today,
        "por": "service",
    }


@official_required
@require_GET
def survey_results(request: HttpRequest) -> HttpResponse:
    user = cast(User, request.user)
    offices = dependencies_for(user, role_at_least=Role.APPROVER).select_related("entity")
    offices = offices.order_by("entity__name", "path")
    if not offices.exists():
        raise PermissionDenied
    defaults = _defaults(offices)
    form = ResultsForm(request.GET or None, initial=defaults)
    form.fields["oficina"].queryset = offices  # type: ignore[attr-defined]
    chosen = dict(defaults)
    if request.GET and form.is_valid():
        chosen.update(form.cleaned_data)
    office: Dependency = chosen["oficina"]
    start: date = chosen["desde"]
    end: date = chosen["hasta"]
    scope: dict[str, Any] = {
        "entity": office.entity,
        "dependency": office,
        "start": start,
        "end": end,
    }
    comments = Paginator(
        selectors.survey_comments(entity=office.entity, dependency=office), COMMENTS_PER_PAGE
    ).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(
        request,
        "workspace/surveys/results.html",
        {
            "form": form,
            "office": office,
            "start": start,
            "end": end,
            "total": selectors.satisfaction_figures(**scope),
            "by_label": BREAKDOWN_LABELS[chosen["por"]],
            "rows": selectors.satisfaction_breakdown(by=chosen["por"], **scope),
            "comments": comments,
            "query": query.urlencode(),
        },
    )
