"""School places in the portal: each season's rules in plain words with its figures and open
data (public), and the family's panel on its case page — accept the place, decline it,
formalise the enrolment, or take a free place in stage 2. The rules live in `places`; these
views read its selectors and call its services."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ventanilla.cases.uploads import upload_received, uploads_refused
from ventanilla.catalog.schema import Text
from ventanilla.places import notices, selectors
from ventanilla.places.assignments import (
    assignment_accept,
    assignment_decline,
    assignment_formalise,
    place_claim,
)
from ventanilla.places.models import Application, Assignment, Evidence, Season, SeasonRules
from ventanilla.places.rules import SeasonDefinition
from ventanilla.places.services import PlaceError
from ventanilla.portal.catalog_views import cacheable
from ventanilla.portal.citizen_views import CaseAccess, own_case_view

PAGE_SIZE = 50
FREE_PLACES_SHOWN = 20
FORM_ERRORS = "case_form_errors"  # what the case page shows in its error summary
DOCUMENTS_FIELD = "documentos"


def _day(value: date) -> str:
    return date_format(value, "DATE_FORMAT")


def _label(text: Text | None) -> str:
    return text.get(get_language() or "es") if text is not None else ""


def stage_words(rules: SeasonDefinition, today: date) -> str:
    """What is open today in a season, with its dates in words."""
    when = {
        "opens": _day(rules.stage1.opens),
        "closes": _day(rules.stage1.closes),
        "results": _day(rules.results_on),
        "stage2_opens": _day(rules.stage2.opens),
        "stage2_closes": _day(rules.stage2.closes),
    }
    stage = rules.stage_on(today)
    if stage == "before":
        return _("Las postulaciones (etapa 1) abren el %(opens)s y cierran el %(closes)s.") % when
    if stage == "stage1":
        return _("Etapa 1 abierta: puede postularse hasta el %(closes)s.") % when
    if stage == "allocation" and today < rules.results_on:
        return (
            _(
                "La etapa 1 cerró. Los resultados se publican el %(results)s y la etapa 2 abre "
                "el %(stage2_opens)s."
            )
            % when
        )
    if stage == "allocation":
        return (
            _("Resultados publicados el %(results)s. La etapa 2 abre el %(stage2_opens)s.") % when
        )
    if stage == "stage2":
        return (
            _("Etapa 2 abierta: los cupos que quedan libres se toman hasta el %(stage2_closes)s.")
            % when
        )
    return _("Temporada cerrada desde el %(stage2_closes)s.") % when


def _tie_breaks(rules: SeasonDefinition) -> list[str]:
    words = {
        "priority_group": _("el grupo prioritario, en el orden de la lista de grupos"),
        "sibling": _("tener un hermano o una hermana que estudia en ese colegio"),
        "distance": _(
            "la distancia en línea recta de la vivienda al colegio: primero quien vive más cerca"
        ),
        "lottery": _("el número de sorteo de la postulación: primero el menor"),
    }
    return [words[key] for key in rules.tie_breaks]


def _public_season(code: str) -> tuple[Season, SeasonRules]:
    season = selectors.season_by_code(code)
    rules = selectors.published_rules(season) if season is not None else None
    if season is None or rules is None:
        raise Http404("no such season")
    return season, rules


# ---- Public pages ----------------------------------------------------------------------------


@require_GET
def seasons(request: HttpRequest) -> HttpResponse:
    rows = [
        {
            "season": season,
            "title": _label(rules.parsed.title),
            "today": stage_words(rules.parsed, selectors.season_today(season)),
        }
        for season, rules in selectors.public_seasons()
    ]
    return cacheable(request, render(request, "portal/places/seasons.html", {"rows": rows}))


@require_GET
def season_page(request: HttpRequest, code: str) -> HttpResponse:
    season, rules_row = _public_season(code)
    rules = rules_row.parsed
    localities = selectors.season_localities(season)
    locality = request.GET.get("localidad", "")
    grade = request.GET.get("grado", "")
    locality = locality if locality in dict(localities) else ""
    grade = grade if rules.grade(grade) is not None else ""
    rows = selectors.offer_figure_rows(season, locality=locality, grade=grade)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("pagina"))
    grades = {g.key: _label(g.label) for g in rules.grades}
    shifts = {s.key: _label(s.label) for s in rules.shifts}
    figures = [selectors.offer_figure(row) for row in page.object_list]
    query = request.GET.copy()
    query.pop("pagina", None)
    groups = {g.key: _label(g.label) for g in rules.priority_groups}
    context = {
        "season": season,
        "rules": rules,
        "rules_row": rules_row,
        "title": _label(rules.title),
        "today": stage_words(rules, selectors.season_today(season)),
        "priority_groups": [
            {"label": _label(g.label), "evidence": _label(g.evidence)}
            for g in rules.priority_groups
        ],
        "grade_labels": [_label(g.label) for g in rules.grades],
        "tie_breaks": _tie_breaks(rules),
        "totals": selectors.season_totals(season),
        "group_rows": [
            {"label": groups.get(key) or _("Sin grupo prioritario"), "n": n, "approved": ok}
            for key, n, ok in selectors.group_figures(season, rules)
        ],
        "run": selectors.real_run(season),
        "small": selectors.SMALL,
        "rows": [
            {
                "figure": f,
                "grade": grades.get(f.grade, f.grade),
                "shift": shifts.get(f.shift, f.shift),
            }
            for f in figures
        ],
        "page": page,
        "query_string": query.urlencode(),
        "localities": localities,
        "locality": locality,
        "grades": list(grades.items()),
        "grade": grade,
        "columns": data_columns(),
    }
    return cacheable(request, render(request, "portal/places/season.html", context))


# The open data's columns: (name, type, meaning); the page's data dictionary reads the same.
def data_columns() -> list[tuple[str, str, str]]:
    return [
        ("colegio_codigo", _("texto"), _("Código del colegio.")),
        ("colegio", _("texto"), _("Nombre del colegio.")),
        ("localidad", _("texto"), _("Localidad donde queda el colegio.")),
        ("grado", _("texto"), _("Clave del grado (por ejemplo, transicion o primero).")),
        ("jornada", _("texto"), _("Clave de la jornada (por ejemplo, manana o tarde).")),
        ("cupos_ofrecidos", _("número"), _("Cupos del grado menos los de estudiantes antiguos.")),
        (
            "cupos_asignados",
            _("número"),
            _("Cupos dados y vigentes: por aceptar, aceptados o con matrícula."),
        ),
        (
            "postulantes_primera_opcion",
            _("número o vacío"),
            _(
                "Postulaciones activas que eligieron esta oferta en primer lugar; vacío cuando "
                "son menos de %(n)s."
            )
            % {"n": selectors.SMALL},
        ),
    ]


def _open_data(season: Season, rules: SeasonDefinition) -> dict[str, Any]:
    offers = [selectors.offer_figure(row) for row in selectors.offer_figure_rows(season)]
    run = selectors.real_run(season)
    return {
        "season": season.code,
        "title": rules.title.es,
        "small_counts_below": selectors.SMALL,
        "totals": selectors.season_totals(season),
        "allocation": {
            "finished_at": run.finished_at,
            "seed": run.seed,
            "inputs_sha256": run.inputs_sha256,
            "outputs_sha256": run.outputs_sha256,
        }
        if run is not None
        else None,
        "groups": [
            {"group": key or "ninguno", "applications": n, "evidence_approved": approved}
            for key, n, approved in selectors.group_figures(season, rules)
        ],
        "offers": [
            {
                "colegio_codigo": f.code,
                "colegio": f.school,
                "localidad": f.locality,
                "grado": f.grade,
                "jornada": f.shift,
                "cupos_ofrecidos": f.offered,
                "cupos_asignados": f.filled,
                "postulantes_primera_opcion": f.applicants,
            }
            for f in offers
        ],
    }


@require_GET
def season_json(request: HttpRequest, code: str) -> HttpResponse:
    season, rules_row = _public_season(code)
    document = _open_data(season, rules_row.parsed)
    response = HttpResponse(
        json.dumps(document, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = f'inline; filename="cupos-{season.code}.json"'
    return cacheable(request, response)


@require_GET
def season_csv(request: HttpRequest, code: str) -> HttpResponse:
    season, rules_row = _public_season(code)
    document = _open_data(season, rules_row.parsed)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([name for name, _type, _meaning in data_columns()])
    for offer in document["offers"]:
        writer.writerow(["" if v is None else v for v in offer.values()])
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="cupos-{season.code}.csv"'
    return cacheable(request, response)


# ---- The family's panel on its case page ----------------------------------------------------


def family_panel(access: CaseAccess) -> dict[str, Any]:
    """What the case page shows of its school-place application, if it is one."""
    application = selectors.application_of_case(access.case.pk)
    rules_row = selectors.published_rules(application.season) if application else None
    if application is None or rules_row is None:
        return {}
    rules = rules_row.parsed
    grade = rules.grade(application.grade)
    group = rules.group(application.group)
    options = selectors.place_options(application, limit=FREE_PLACES_SHOWN)
    told = options.told
    history = list(selectors.assignments_of(application))
    result: list[str] = []
    if told is not None and told.state != Assignment.State.OFFERED:
        # Accepted or formalised: the result without its deadline to accept, which is past.
        short = notices.result_text(told, application, rules)[1]
        result = [short, *notices.reason_lines(told, application)]
    elif told is not None or application.result_at is not None:
        result = notices.result_text(told, application, rules)[0].split("\n")
    shifts = {s.key: _label(s.label) for s in rules.shifts}
    return {
        "place": {
            "application": application,
            "grade": _label(grade.label) if grade else application.grade,
            "current_school": application.current_point.name
            if application.kind == Application.Kind.TRANSFER and application.current_point
            else "",
            "schools": [
                {"name": o.point.name, "shift": shifts.get(o.shift, o.shift)}
                for o in selectors.ranked_offers(application)
            ],
            "group": _label(group.label) if group else "",
            "evidence": application.get_evidence_display()
            if application.evidence != Evidence.NONE
            else "",
            "evidence_rejected": application.evidence == Evidence.REJECTED,
            "contest_service": rules.contest_service
            if application.evidence == Evidence.REJECTED
            and selectors.service_published(rules.contest_service)
            else "",
            "live": told,
            "history": [
                {"assignment": a, "shift": shifts.get(a.offer.shift, a.offer.shift)}
                for a in history
                if a.announced_at is not None
            ],
            "result": result,
            "may_accept": options.may_accept,
            "may_formalise": options.may_formalise,
            "free": [
                {
                    "near": n,
                    "shift": shifts.get(n.offer.shift, n.offer.shift),
                    "km": n.metres / 1000 if n.metres is not None else None,
                }
                for n in options.free
            ],
            "may_claim": options.may_claim,
            "season_code": application.season.code,
            "urls": {
                name: access.url(f"place_{name}")
                for name in ("accept", "decline", "formalise", "claim")
            },
        }
    }


def _application(access: CaseAccess) -> Application:
    application = selectors.application_of_case(access.case.pk)
    if application is None:
        raise PlaceError("no_application", _("Esta solicitud no es una postulación a un cupo."))
    return application


def _assignment(access: CaseAccess) -> Assignment:
    live = selectors.live_assignment(_application(access))
    if live is None:
        raise PlaceError("no_place", _("Esta postulación no tiene un cupo asignado."))
    return live


def _refused(request: HttpRequest, access: CaseAccess, errors: list[str]) -> HttpResponse:
    request.session[FORM_ERRORS] = errors
    return redirect(access.url() + "#cupo")


def _done(request: HttpRequest, access: CaseAccess, text: str) -> HttpResponse:
    messages.success(request, text)
    return redirect(access.url() + "#cupo")


@require_POST
@own_case_view
def place_accept(request: HttpRequest, access: CaseAccess) -> HttpResponse:
    try:
        assignment_accept(assignment=_assignment(access), actor=access.user)
    except PlaceError as error:
        return _refused(request, access, [error.message])
    return _done(request, access, _("Aceptó el cupo. Ahora formalice la matrícula."))


@require_POST
@own_case_view
def place_decline(request: HttpRequest, access: CaseAccess) -> HttpResponse:
    if request.POST.get("confirmar") != "si":
        return _refused(
            request, access, [_("Marque la casilla para confirmar que no acepta el cupo.")]
        )
    try:
        assignment_decline(assignment=_assignment(access), actor=access.user)
    except PlaceError as error:
        return _refused(request, access, [error.message])
    return _done(request, access, _("Dejó el cupo. Quedó libre para otra familia."))


@require_POST
@own_case_view
def place_formalise(request: HttpRequest, access: CaseAccess) -> HttpResponse:
    errors = list(uploads_refused(request).values())
    uploads = [upload_received("matricula", f) for f in request.FILES.getlist(DOCUMENTS_FIELD)]
    if not errors:
        try:
            assignment_formalise(assignment=_assignment(access), uploads=uploads, actor=access.user)
        except PlaceError as error:
            errors.append(error.message)
    if errors:
        # A file cannot wait in the session for the next page: say so, rather than lose it.
        if uploads:
            errors.append(_("No guardamos los archivos: adjúntelos de nuevo."))
        return _refused(request, access, errors)
    return _done(request, access, _("Recibimos los documentos. La matrícula quedó formalizada."))


@require_POST
@own_case_view
def place_claim_view(request: HttpRequest, access: CaseAccess) -> HttpResponse:
    try:
        application = _application(access)
        wanted = request.POST.get("cupo", "")
        offer = selectors.claimable_offer(application, int(wanted)) if wanted.isdigit() else None
        if offer is None:
            raise PlaceError("no_offer", _("Elija uno de los cupos libres de la lista."))
        place_claim(application=application, offer=offer, actor=access.user)
    except PlaceError as error:
        return _refused(request, access, [error.message])
    return _done(request, access, _("Tomó el cupo. Acéptelo y formalice la matrícula."))
