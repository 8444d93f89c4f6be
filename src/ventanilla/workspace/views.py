"""The official's workspace: inbox by legal deadline, the case view and its actions.

Views parse input and call one service or selector; permissions are checked again in the
services. Every page here sits in the `workspace` URL namespace, so an official without TOTP
is sent to enrol before any of them runs.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from functools import wraps
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from ventanilla.accounts.models import User
from ventanilla.cases import inbox as inbox_selectors
from ventanilla.cases.assignment import AssignmentError, case_assign, handlers_of
from ventanilla.cases.inbox import InboxFilters, Tab, case_for_official
from ventanilla.cases.legal import SlaState, extension_limit
from ventanilla.cases.models import Case, CaseDocument, CompetenceTransfer, FilingChannel
from ventanilla.cases.responses import (
    ResponseError,
    case_response_draft,
    response_template_text,
)
from ventanilla.cases.route_text import official_route
from ventanilla.cases.services import (
    TransitionError,
    TransitionInput,
    case_note_add,
    case_transition,
    message_post,
)
from ventanilla.cases.workflow import (
    Actor,
    actions_for,
    approval_stages,
    drafted_by_themself,
)
from ventanilla.catalog import formkit
from ventanilla.catalog.effects import effect_for
from ventanilla.catalog.selectors import service_stages, services_for_filter, version_definition
from ventanilla.core.downloads import file_download
from ventanilla.documents.selectors import issued_answers
from ventanilla.organization.models import ROLE_RANK, Dependency, Entity, Role
from ventanilla.organization.selectors import (
    dependencies_for,
    dependencies_matching,
    entity_calendar,
    memberships_of,
    role_on,
    user_is_official,
)
from ventanilla.workspace.forms import (
    CaseActionForm,
    DraftForm,
    MessageForm,
    NoteForm,
    first_error,
)

PAGE_SIZE = 25
View = Callable[..., HttpResponseBase]


def official_required(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not user_is_official(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _date(value: str) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@official_required
@require_GET
def inbox(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    filters = InboxFilters(
        tab=request.GET.get("pestana", Tab.MINE),
        service=request.GET.get("servicio", ""),
        stage=request.GET.get("etapa", ""),
        sla=request.GET.get("termino", ""),
        channel=request.GET.get("canal", ""),
        entity=request.GET.get("entidad", ""),
        filed_from=_date(request.GET.get("desde", "")),
        filed_to=_date(request.GET.get("hasta", "")),
        q=request.GET.get("q", "").strip()[:200],
        assignee=request.GET.get("asignado", "")[:20],
        dependency=request.GET.get("dependencia", "")[:20],
    )
    page = inbox_selectors.inbox_page(user, filters, request.GET.get("pagina"), PAGE_SIZE)
    query = request.GET.copy()
    query.pop("pagina", None)
    by_state = query.copy()
    by_state.pop("termino", None)
    language = get_language() or "es"
    rows = []
    for case in page.cases:
        definition = version_definition(case.service_version_id)
        rows.append(
            {
                "case": case,
                "service": definition.title.get(language),
                "stage": definition.workflow.stage(case.stage).label.get(language),
            }
        )
    highest = max(
        (ROLE_RANK[role] for role in memberships_of(user).values_list("role", flat=True)),
        default=-1,
    )
    supervisor = highest >= ROLE_RANK[Role.SUPERVISOR]
    approver = highest >= ROLE_RANK[Role.APPROVER]
    return render(
        request,
        "workspace/inbox.html",
        {
            "filters": filters,
            "page": page,
            "rows": rows,
            "counts": page.counts,
            "count_cap": inbox_selectors.COUNT_CAP,
            "query_string": query.urlencode(),
            # The counts are links that keep every other filter and choose the clock's state.
            "count_query": by_state.urlencode(),
            "narrowed": _narrowed(filters),
            "tab_query": {k: v for k, v in query.items() if k != "pestana"},
            "sla_states": [s.value for s in SlaState if s != SlaState.CLOSED],
            "channels": FilingChannel.choices,
            "entities": Entity.objects.all(),
            "services": services_for_filter(language=language),
            "stages": service_stages(filters.service, language=language) if filters.service else [],
            "supervisor": supervisor,
            "tabs": [
                (Tab.MINE, _("Asignados a mí")),
                (Tab.UNASSIGNED, _("Sin asignar en mis dependencias")),
                (Tab.ALL, _("Todos los abiertos")),
                *([(Tab.TO_APPROVE, _("Respuestas por aprobar"))] if approver else []),
                *([(Tab.TEAM, _("Mi equipo"))] if supervisor else []),
                (Tab.TRANSFERRED, _("Trasladados a otra entidad")),
                (Tab.CLOSED, _("Cerrados")),
            ],
        },
    )


def _filtering(
    rows: list[dict[str, object]], name: str, value: Callable[[dict[str, object]], object]
) -> list[dict[str, object]]:
    """Each row with `filter`, the inbox's query for its cases, so that its counts are links."""
    return [{**row, "filter": urlencode({name: str(value(row))})} for row in rows]


def _narrowed(filters: InboxFilters) -> list[str]:
    """In words, the filters the team page's links set that the filter form does not show."""
    said = []
    if filters.assignee == inbox_selectors.NOBODY:
        said.append(_("Solo los casos sin asignar."))
    elif filters.assignee.isdigit():
        person = User.objects.filter(pk=int(filters.assignee)).first()
        if person is not None:
            said.append(_("Solo los casos de %(name)s.") % {"name": person})
    if filters.dependency.isdigit():
        office = Dependency.objects.filter(pk=int(filters.dependency)).first()
        if office is not None:
            said.append(_("Solo los casos de %(office)s.") % {"office": office.name})
    return said


@official_required
@require_GET
def team(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    if not dependencies_for(user, role_at_least=Role.SUPERVISOR).exists():
        raise PermissionDenied
    return render(
        request,
        "workspace/team.html",
        {
            "workload": _filtering(
                inbox_selectors.workload(user),
                "asignado",
                lambda row: row["assignee"] or inbox_selectors.NOBODY,
            ),
            "by_dependency": _filtering(
                inbox_selectors.workload_by_dependency(user),
                "dependencia",
                lambda row: row["dependency"],
            ),
            "by_service": _filtering(
                inbox_selectors.workload_by_service(user),
                "servicio",
                lambda row: row["service__slug"],
            ),
            "overdue": inbox_selectors.overdue_cases(user),
            "breakdown_rows": inbox_selectors.BREAKDOWN_ROWS,
        },
    )


def _visible(request: HttpRequest, number: str) -> tuple[Case, bool]:
    found = case_for_official(_user(request), number)
    if found is None:
        raise Http404("not a case of yours")
    return found


def _case_language(case: Case) -> str:
    """The language the citizen reads: the answer's template is written in it."""
    return case.applicant.preferred_language if case.applicant else "es"


@official_required
@require_GET
def case_detail(request: HttpRequest, number: str) -> HttpResponse:
    user = _user(request)
    case, may_act = _visible(request, number)
    language = get_language() or "es"
    definition = case.service_version.parsed
    actions = actions_for(case, user=user, as_actor=Actor.OFFICIAL) if may_act else []
    calendar = entity_calendar(case.entity)
    answers = formkit.answer_rows(definition.form, case.answers, language)
    role = role_on(user, case.dependency)
    colleagues = handlers_of(case.dependency) if may_act else []
    offered = [
        {
            "action": a,
            "effect": a.effect,
            "inputs": effect.inputs,
            "answers": effect.answers,
            "label": a.label.get(language),
            "drafts_answer": effect.drafts,
        }
        for a in actions
        if (effect := effect_for(a.effect))
    ]
    writes_answer = any(item["answers"] or item["drafts_answer"] for item in offered)
    # The transfer's destination is found by typing (htmx narrows the list as one types; a
    # plain GET of the same page does it without JavaScript), never a list of every office.
    destination_query = request.GET.get("destino", "").strip()[:100]
    destinations, more_destinations = (
        dependencies_matching(
            entity_id=case.entity_id, text=destination_query, leaving_out=case.dependency_id
        )
        if any("target_dependency" in effect_for(a.effect).inputs for a in actions)
        else ([], False)
    )
    return render(
        request,
        "workspace/case.html",
        {
            "case": case,
            "may_act": may_act,
            "definition": definition,
            "service_title": definition.title.get(language),
            "stage": definition.workflow.stage(case.stage),
            "answers": answers,
            "documents": case.documents.all(),
            "issued_pending": [i for i in issued_answers(case) if i.document_id is None],
            "route": official_route(case, list(case.timeline.order_by("-sequence"))),
            "messages_list": case.messages.select_related("author").all(),
            "actions": offered,
            # One place to write the answer: the drafting or answering action when there is
            # one; else, where the case waits for sign-off, a box that only saves the draft.
            "draft_box": may_act
            and not case.is_closed
            and not writes_answer
            and case.stage in approval_stages(definition.workflow),
            "writes_answer": writes_answer,
            "extension_limit": extension_limit(case.received_on, definition.term, calendar),
            "destination_query": destination_query,
            "destinations": destinations,
            "more_destinations": more_destinations,
            "entities": Entity.objects.exclude(pk=case.entity_id),
            "colleagues": colleagues,
            "role": role,
            "drafted_by_me": may_act and drafted_by_themself(case, user),
            "transfers": CompetenceTransfer.objects.filter(case=case).select_related(
                "from_entity", "to_entity"
            ),
            "form_errors": request.session.pop("workspace_errors", None),
            "kept": request.session.pop("workspace_values", {}),
            "answer_templates": [(t.key, t.name.get(language)) for t in definition.templates],
            "template_text": response_template_text(
                case=case, key=request.GET.get("plantilla", ""), language=_case_language(case)
            )
            if request.GET.get("plantilla") and may_act
            else None,
        },
    )


def _back(
    request: HttpRequest, number: str, error: str | None = None, kept: dict[str, str] | None = None
) -> HttpResponse:
    """Back to the case page; an error is shown there and what was typed is filled in again."""
    if error:
        request.session["workspace_errors"] = [error]
        request.session["workspace_values"] = kept or {}
    return redirect("workspace:case", number=number)


@official_required
@require_POST
def case_action(request: HttpRequest, number: str, action: str) -> HttpResponse:
    case, may_act = _visible(request, number)
    if not may_act:
        raise PermissionDenied
    form = CaseActionForm(request.POST)
    kept = {
        "action": action,
        "comentario": request.POST.get("comentario", ""),
        "nueva_fecha": request.POST.get("nueva_fecha", ""),
    }
    if not form.is_valid():
        return _back(request, number, first_error(form), kept)
    payload = TransitionInput(
        comment=form.cleaned_data["comentario"],
        new_due_date=form.cleaned_data["nueva_fecha"],
        target_dependency=form.cleaned_data["dependencia"],
        target_entity=form.cleaned_data["entidad"],
    )
    try:
        case_transition(case=case, action=action, actor=_user(request), payload=payload)
    except TransitionError as error:
        return _back(request, number, str(error), kept)
    messages.success(request, _("Listo: se registró la acción en el recorrido del caso."))
    if case_for_official(_user(request), number) is None:
        return redirect("workspace:inbox")
    return redirect("workspace:case", number=number)


@official_required
@require_POST
def case_assign_view(request: HttpRequest, number: str) -> HttpResponse:
    case, _may_act = _visible(request, number)
    user = _user(request)
    choice = request.POST.get("a", "")
    assignee: User | None
    if choice == "mi":
        assignee = user
    elif choice == "nadie":
        assignee = None
    else:
        assignee = User.objects.filter(pk=choice).first() if choice.isdigit() else None
        if assignee is None:
            return _back(request, number, _("Elija a quién asignar el caso."))
    try:
        case_assign(case=case, assignee=assignee, actor=user)
    except AssignmentError as error:
        return _back(request, number, str(error))
    messages.success(request, _("Asignación actualizada."))
    return redirect("workspace:case", number=number)


@official_required
@require_POST
def case_note(request: HttpRequest, number: str) -> HttpResponse:
    case, _may_act = _visible(request, number)
    form = NoteForm(request.POST)
    if not form.is_valid():
        return _back(request, number, first_error(form), {"nota": request.POST.get("nota", "")})
    try:
        case_note_add(case=case, actor=_user(request), text=form.cleaned_data["nota"])
    except TransitionError as error:
        return _back(request, number, str(error), {"nota": request.POST.get("nota", "")})
    return redirect("workspace:case", number=number)


@official_required
@require_POST
def case_message(request: HttpRequest, number: str) -> HttpResponse:
    case, _may_act = _visible(request, number)
    form = MessageForm(request.POST)
    if not form.is_valid():
        kept = {"mensaje": request.POST.get("mensaje", "")}
        return _back(request, number, first_error(form), kept)
    try:
        message_post(
            case=case,
            author=_user(request),
            body=form.cleaned_data["mensaje"],
            as_actor=Actor.OFFICIAL,
        )
    except TransitionError as error:
        return _back(request, number, str(error), {"mensaje": request.POST.get("mensaje", "")})
    messages.success(request, _("Le enviamos el mensaje al ciudadano."))
    return redirect("workspace:case", number=number)


@official_required
@require_POST
def case_draft(request: HttpRequest, number: str) -> HttpResponse:
    case, _may_act = _visible(request, number)
    # The drafting action's box saves its text here too ("Guardar borrador"), as `comentario`.
    text = request.POST.get("respuesta", request.POST.get("comentario", ""))
    form = DraftForm({"respuesta": text})
    if not form.is_valid():
        kept = {"respuesta": text}
        return _back(request, number, first_error(form), kept)
    try:
        case_response_draft(case=case, actor=_user(request), text=form.cleaned_data["respuesta"])
    except ResponseError as error:
        return _back(request, number, str(error), {"respuesta": text})
    messages.success(request, _("Guardamos la respuesta proyectada."))
    return redirect("workspace:case", number=number)


@official_required
@require_GET
def case_document(request: HttpRequest, number: str, document_id: int) -> FileResponse:
    case, _may_act = _visible(request, number)
    document = CaseDocument.objects.filter(pk=document_id, case=case).first()
    if document is None:
        raise Http404("no such document")
    return file_download(
        document.file.open("rb"),
        filename=document.original_name,
        content_type=document.content_type,
    )
