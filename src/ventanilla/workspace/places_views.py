"""The coverage office's workspace for school places: its seasons, a season's figures and
stage 1 runs, one run with its documents and a comparison, the evidence of priority groups to
review, and the places that went back to the pool.

Any role on the office that owns the season's service lets an official see; reviewing evidence
takes a handler, running the allocation an approver (`places.selectors.season_role`). Anybody
else gets a 404: a season's pages do not tell strangers it exists. The rules are in
`places.services` and `places.allocating`; these views parse and show.
"""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ventanilla.accounts.models import User
from ventanilla.core.downloads import file_download
from ventanilla.core.forms import Form
from ventanilla.organization.models import ROLE_RANK, Role
from ventanilla.places import selectors
from ventanilla.places.allocating import allocation_allowed
from ventanilla.places.models import AllocationRun, Evidence, Season
from ventanilla.places.rules import SeasonDefinition
from ventanilla.places.services import PlaceError, evidence_review
from ventanilla.places.tasks import allocation_run_task
from ventanilla.workspace.forms import first_error
from ventanilla.workspace.views import official_required

PAGE_SIZE = 25
NOTE_MAX = 500  # Application.evidence_note


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


class EvidenceForm(Form):
    decision = forms.ChoiceField(choices=[("aprobar", "aprobar"), ("rechazar", "rechazar")])
    motivo = forms.CharField(required=False, max_length=NOTE_MAX)


def _season(request: HttpRequest, code: str, *, at_least: Role = Role.VIEWER) -> tuple[Season, str]:
    """The season and the caller's role on it: 404 without one, 403 when it is too low."""
    season = selectors.season_by_code(code)
    role = selectors.season_role(_user(request), season) if season is not None else None
    if season is None or role is None:
        raise Http404("not a season of yours")
    if ROLE_RANK[role] < ROLE_RANK[at_least]:
        raise PermissionDenied
    return season, role


def _rules(season: Season) -> SeasonDefinition:
    rules = selectors.published_rules(season)
    if rules is None:
        raise Http404("the season has no published rules")
    return rules.parsed


def _may(role: str, needed: Role) -> bool:
    return ROLE_RANK[role] >= ROLE_RANK[needed]


def _stage_label(stage: str) -> str:
    return {
        "before": _("Antes de la etapa 1"),
        "stage1": _("Etapa 1: postulaciones con colegios en orden"),
        "allocation": _("Entre etapas: es el momento de la asignación"),
        "stage2": _("Etapa 2: los cupos libres se toman de inmediato"),
        "closed": _("Temporada cerrada"),
    }[stage]


def _group_label(rules: SeasonDefinition, key: str, language: str) -> str:
    if not key:
        return _("Sin grupo prioritario")
    group = rules.group(key)
    return group.label.get(language) if group is not None else key


def _grade_label(rules: SeasonDefinition, key: str, language: str) -> str:
    grade = rules.grade(key)
    return grade.label.get(language) if grade is not None else key


def _rank_label(rank: str) -> str:
    if rank == "nearest":
        return _("Colegio más cercano con cupo")
    if rank == "none":
        return _("Sin cupo")
    return _("Opción %(rank)s") % {"rank": rank}


def _rank_order(rank: str) -> tuple[int, int]:
    if rank.isdigit():
        return (0, int(rank))
    return (1, 0) if rank == "nearest" else (2, 0)


def _by_rank(*runs: AllocationRun) -> list[dict[str, Any]]:
    """Places by rank, one row per rank any of `runs` has, with each run's count."""
    counts = [run.stats.get("by_rank", {}) for run in runs]
    ranks = sorted({rank for count in counts for rank in count}, key=_rank_order)
    return [
        {"label": _rank_label(rank), "counts": [count.get(rank, 0) for count in counts]}
        for rank in ranks
    ]


@official_required
@require_GET
def places_seasons(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "workspace/places/seasons.html",
        {"seasons": selectors.seasons_managed_by(_user(request))},
    )


@official_required
@require_GET
def places_season(request: HttpRequest, code: str) -> HttpResponse:
    season, role = _season(request, code)
    rules = _rules(season)
    language = get_language() or "es"
    rows = selectors.applications_by_group(season)
    runs = list(selectors.runs_of(season))
    return render(
        request,
        "workspace/places/season.html",
        {
            "season": season,
            "rules": rules,
            "stage": _stage_label(rules.stage_on(selectors.season_today(season))),
            "groups": [
                {
                    "stage": row["stage"],
                    "group": _group_label(rules, row["group"], language),
                    "evidence": Evidence(row["evidence"]).label,
                    "count": row["n"],
                }
                for row in rows
            ],
            "pending": sum(row["n"] for row in rows if row["evidence"] == Evidence.PENDING),
            "totals": selectors.season_totals(season),
            "runs": [{"run": run, "by_rank": _by_rank(run)} for run in runs],
            "real_done": any(not run.dry_run for run in runs),
            "may_review": _may(role, Role.HANDLER),
            "may_run": _may(role, Role.APPROVER),
        },
    )


@official_required
@require_POST
def places_run_start(request: HttpRequest, code: str) -> HttpResponse:
    """Run the allocation: a dry run, or the real one when the official ticks that they mean it."""
    season, _role = _season(request, code, at_least=Role.APPROVER)
    back = redirect("workspace:places_season", code=season.code)
    dry_run = request.POST.get("tipo") != "real"
    if not dry_run and request.POST.get("confirmo") != "si":
        messages.error(
            request,
            _("Marque la casilla de confirmación: la asignación real no se puede deshacer."),
        )
        return back
    try:
        allocation_allowed(season=season, dry_run=dry_run)
    except PlaceError as error:
        messages.error(request, error.message)
        return back
    before = selectors.runs_of(season).values_list("number", flat=True).first() or 0
    # Over 100,000 applications a run takes tens of seconds: the worker makes it.
    allocation_run_task.enqueue(season_id=season.pk, dry_run=dry_run, actor_id=_user(request).pk)
    latest = selectors.runs_of(season).first()
    if latest is not None and latest.number > before:
        # Made already (a task backend that runs at once): show it.
        _ran(request, latest)
        return redirect("workspace:places_run", code=season.code, number=latest.number)
    messages.info(
        request,
        _(
            "La asignación está en curso. Aparecerá en la lista de asignaciones en unos "
            "minutos; vuelva a cargar esta página."
        ),
    )
    return back


def _ran(request: HttpRequest, run: AllocationRun) -> None:
    placed = {"number": run.number, "placed": run.stats.get("placed", 0)}
    if run.dry_run:
        messages.success(
            request,
            _("Ensayo %(number)s listo: %(placed)s cupos asignados. No se le avisó a nadie.")
            % placed,
        )
        pending = run.stats.get("pending_evidence", 0)
        if pending:
            messages.warning(
                request,
                ngettext(
                    "Queda %(pending)s soporte por revisar: el ensayo lo tomó como sin grupo "
                    "prioritario.",
                    "Quedan %(pending)s soportes por revisar: el ensayo los tomó como sin grupo "
                    "prioritario.",
                    pending,
                )
                % {"pending": pending},
            )
    else:
        messages.success(
            request,
            _(
                "Asignación real %(number)s hecha: %(placed)s cupos asignados. Las familias "
                "recibirán el resultado en los próximos minutos."
            )
            % placed,
        )


def _run(season: Season, number: int) -> AllocationRun:
    run = selectors.runs_of(season).filter(number=number).first()
    if run is None:
        raise Http404("no such run")
    return run


@official_required
@require_GET
def places_run(request: HttpRequest, code: str, number: int) -> HttpResponse:
    season, _role = _season(request, code)
    run = _run(season, number)
    others = [other for other in selectors.runs_of(season) if other.number != run.number]
    against = next(
        (other for other in others if str(other.number) == request.GET.get("contra")), None
    )
    shown = [run, against] if against else [run]
    return render(
        request,
        "workspace/places/run.html",
        {
            "season": season,
            "run": run,
            "others": others,
            "against": against,
            "comparison": selectors.runs_compare(run, against) if against else None,
            "by_rank": _by_rank(*shown),
            "headings": [_("Asignación %(number)s") % {"number": r.number} for r in shown],
        },
    )


@official_required
@require_GET
def places_run_document(request: HttpRequest, code: str, number: int, kind: str) -> FileResponse:
    """A run's inputs or outputs, as the canonical JSON its SHA-256 was taken of."""
    season, _role = _season(request, code)
    run = _run(season, number)
    stored = run.inputs if kind == "inputs" else run.outputs
    name = _("entradas") if kind == "inputs" else _("resultados")
    return file_download(
        stored.open("rb"),
        filename=f"{season.code}-{run.number}-{name}.json",
        content_type="application/json",
    )


@official_required
@require_GET
def places_evidence(request: HttpRequest, code: str) -> HttpResponse:
    season, role = _season(request, code)
    rules = _rules(season)
    language = get_language() or "es"
    page = Paginator(selectors.evidence_to_review(season), PAGE_SIZE).get_page(
        request.GET.get("pagina")
    )
    applications = list(page.object_list)
    documents = selectors.evidence_documents([a.case_id for a in applications])
    allocated = selectors.real_run(season) is not None
    return render(
        request,
        "workspace/places/evidence.html",
        {
            "season": season,
            "page": page,
            "rows": [
                {
                    "application": application,
                    "group": _group_label(rules, application.group, language),
                    "evidence": rules.group(application.group),
                    "document": documents.get(application.case_id),
                }
                for application in applications
            ],
            # The real run used what was verified by then: nothing is reviewed after it.
            "allocated": allocated,
            "may_review": _may(role, Role.HANDLER) and not allocated,
            "note_max": NOTE_MAX,
        },
    )


@official_required
@require_POST
def places_evidence_review(request: HttpRequest, code: str, application_id: int) -> HttpResponse:
    season, _role = _season(request, code, at_least=Role.HANDLER)
    application = selectors.evidence_to_review(season).filter(pk=application_id).first()
    back = reverse("workspace:places_evidence", kwargs={"code": season.code})
    if request.POST.get("pagina", "").isdigit():
        back += f"?pagina={request.POST['pagina']}"
    if application is None:
        messages.error(request, _("Ese soporte ya no está por revisar."))
        return redirect(back)
    number = application.case.filing_number
    form = EvidenceForm(request.POST)
    if not form.is_valid():
        messages.error(request, f"{number}: {first_error(form)}")
        return redirect(back)
    approved = form.cleaned_data["decision"] == "aprobar"
    try:
        evidence_review(
            application=application,
            approved=approved,
            note=form.cleaned_data["motivo"],
            actor=_user(request),
        )
    except PlaceError as error:
        messages.error(request, f"{number}: {error.message}")
        return redirect(back)
    if approved:
        messages.success(request, _("%(number)s: soporte aprobado.") % {"number": number})
    else:
        messages.success(
            request,
            _("%(number)s: soporte rechazado. Le avisamos a la familia el motivo.")
            % {"number": number},
        )
    return redirect(back)


@official_required
@require_GET
def places_releases(request: HttpRequest, code: str) -> HttpResponse:
    season, _role = _season(request, code)
    rules = _rules(season)
    language = get_language() or "es"
    page = Paginator(selectors.releases(season), PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(
        request,
        "workspace/places/releases.html",
        {
            "season": season,
            "page": page,
            "rows": [
                {"assignment": a, "grade": _grade_label(rules, a.offer.grade, language)}
                for a in page.object_list
            ],
        },
    )
