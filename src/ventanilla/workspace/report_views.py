"""The legal PQRSD report of an entity, for its supervisors and administrators: the page and
its PDF, CSV and XLSX downloads (the figures come from `insights.report`)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from ventanilla.core import clock
from ventanilla.core.forms import Form
from ventanilla.insights import exports
from ventanilla.insights.report import last_period, pqrsd_report
from ventanilla.insights.scopes import report_entities
from ventanilla.organization.models import Entity
from ventanilla.workspace.views import _user, official_required

PERIODS = [
    ("semester", gettext_lazy("Último semestre")),
    ("quarter", gettext_lazy("Último trimestre")),
    ("month", gettext_lazy("Último mes")),
    ("custom", gettext_lazy("Otro periodo")),
]
FORMATS = {"pdf", "csv", "xlsx"}
LONGEST_DAYS = 3 * 366  # a longer period is a mistake more often than a wish


class ReportForm(Form):
    entidad = forms.ChoiceField(label=gettext_lazy("Entidad"))
    periodo = forms.ChoiceField(label=gettext_lazy("Periodo"), choices=PERIODS, initial="semester")
    desde = forms.DateField(
        label=gettext_lazy("Desde"),
        required=False,
        help_text=gettext_lazy("Solo para otro periodo. Ejemplo: 2026-01-01"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    hasta = forms.DateField(
        label=gettext_lazy("Hasta"),
        required=False,
        help_text=gettext_lazy("Incluido. Ejemplo: 2026-06-30"),
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, entities: list[Entity], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["entidad"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above
        field.choices = [(str(e.pk), e.name) for e in entities]
        self.entities = {str(e.pk): e for e in entities}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("periodo") != "custom":
            return data
        start, end = data.get("desde"), data.get("hasta")
        if start is None and "desde" not in self.errors:
            self.add_error("desde", _("Escriba la fecha inicial del periodo."))
        if end is None and "hasta" not in self.errors:
            self.add_error("hasta", _("Escriba la fecha final del periodo."))
        if start and end and start > end:
            self.add_error("hasta", _("La fecha final no puede ser anterior a la inicial."))
        elif start and end and (end - start).days > LONGEST_DAYS:
            self.add_error("hasta", _("El periodo no puede pasar de tres años."))
        return data

    def period(self, today: date) -> tuple[date, date]:
        data = self.cleaned_data
        if data["periodo"] == "custom":
            return data["desde"], data["hasta"]
        return last_period(data["periodo"], today)


@official_required
@require_GET
def pqrsd(request: HttpRequest) -> HttpResponseBase:
    entities = report_entities(_user(request))
    if not entities:
        raise PermissionDenied
    query = request.GET.copy()
    wanted = query.pop("formato", [""])[-1]
    if not query:
        query.update({"entidad": str(entities[0].pk), "periodo": "semester"})
    form = ReportForm(query, entities=entities)
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        start, end = form.period(clock.now().date())
        report = pqrsd_report(
            entity=form.entities[form.cleaned_data["entidad"]], start=start, end=end
        )
        if wanted in FORMATS:
            return _download(report, wanted)
        context.update(report=report, tables=exports.report_tables(report), query=query.urlencode())
    return render(request, "workspace/report_pqrsd.html", context)


def _download(report: Any, kind: str) -> HttpResponseBase:
    response: HttpResponseBase
    if kind == "csv":
        name, lines = exports.report_csv(report)
        response = StreamingHttpResponse(lines, content_type="text/csv; charset=utf-8")
    elif kind == "xlsx":
        name, body = exports.report_xlsx(report)
        response = HttpResponse(
            body,
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    else:
        name, body = exports.report_pdf(report, language=get_language() or "es")
        response = HttpResponse(body, content_type="application/pdf")
    disposition = "inline" if kind == "pdf" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
