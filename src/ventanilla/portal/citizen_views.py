"""The citizen's area: my requests, one request (route, messages, answering an information
request, withdrawing), my notices, and a download of everything we hold about me."""

from __future__ import annotations

import json
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from ventanilla.accounts import selectors as account_selectors
from ventanilla.accounts.models import User
from ventanilla.cases import selectors
from ventanilla.cases.documents import ATTACHMENT_MAX_MB, Upload
from ventanilla.cases.models import Case, CaseDocument
from ventanilla.cases.services import (
    TransitionError,
    TransitionInput,
    case_transition,
    message_post,
)
from ventanilla.cases.workflow import Actor, actions_for
from ventanilla.catalog.schema import Effect
from ventanilla.notifications import selectors as notification_selectors
from ventanilla.portal.case_display import case_context
from ventanilla.portal.tracking_views import TRACKED_SESSION_KEY

MAX_ATTACHMENT_MB = ATTACHMENT_MAX_MB


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)  # login_required


def _own(request: HttpRequest, number: str) -> Case:
    case = selectors.own_case(_user(request), number)
    if case is None:
        raise Http404("not your case")  # the same for another's case as for none
    return case


@login_required
@require_GET
def my_cases(request: HttpRequest) -> HttpResponse:
    state = request.GET.get("estado", "")
    cases = selectors.cases_of(_user(request), state=state)
    page = Paginator(cases, 20).get_page(request.GET.get("pagina"))
    rows = [
        {
            "case": case,
            "title": case.service_version.parsed.title,
            "stage": case.service_version.parsed.workflow.stage(case.stage).citizen_label,
        }
        for case in page.object_list
    ]
    return render(
        request, "portal/citizen/cases.html", {"rows": rows, "page": page, "state": state}
    )


@never_cache
@login_required
def my_case(request: HttpRequest, number: str) -> HttpResponse:
    case = _own(request, number)
    if request.headers.get("HX-Request"):
        return render(request, "portal/tracking/case.html#status", case_context(case, public=False))
    actions = actions_for(case, user=_user(request), as_actor=Actor.CITIZEN)
    context = {
        **case_context(case, public=False),
        "messages_list": case.messages.select_related("author").all(),
        "documents": case.documents.filter(citizen_visible=True),
        "answer_action": next((a for a in actions if a.effect == Effect.PROVIDE_INFORMATION), None),
        "withdraw_action": next((a for a in actions if a.effect == Effect.WITHDRAW), None),
        "information_request": case.timeline.filter(kind="request_information")
        .order_by("-sequence")
        .first(),
        "answer": case.timeline.filter(kind__in=["close_with_response", "reject"])
        .order_by("-sequence")
        .first()
        if case.is_closed
        else None,
        "form_errors": request.session.pop("case_form_errors", None),
        "form_values": request.session.pop("case_form_values", {}),
    }
    return render(request, "portal/citizen/case.html", context)


def _uploads(request: HttpRequest) -> tuple[list[Upload], list[str]]:
    uploads, errors = [], []
    for uploaded in request.FILES.getlist("adjuntos"):
        if uploaded.size and uploaded.size > MAX_ATTACHMENT_MB * 1024 * 1024:
            errors.append(
                _("%(name)s pesa más de %(n)s MB.")
                % {"name": uploaded.name, "n": MAX_ATTACHMENT_MB}
            )
            continue
        uploads.append(
            Upload(
                key="adjunto",
                name=uploaded.name or "archivo",
                content=uploaded.read(),
                content_type=uploaded.content_type or "application/octet-stream",
            )
        )
    return uploads, errors


def _keep_for_next_page(request: HttpRequest, errors: list[str], values: dict[str, Any]) -> None:
    request.session["case_form_errors"] = errors
    request.session["case_form_values"] = values


@login_required
@require_POST
def my_case_answer(request: HttpRequest, number: str) -> HttpResponse:
    """The citizen sends what was asked; the legal clock starts again."""
    case = _own(request, number)
    body = request.POST.get("respuesta", "")
    uploads, errors = _uploads(request)
    action = next(
        (
            a
            for a in actions_for(case, user=_user(request), as_actor=Actor.CITIZEN)
            if a.effect == Effect.PROVIDE_INFORMATION
        ),
        None,
    )
    if action is None:
        errors.append(_("Esta solicitud no espera información suya."))
    if not errors:
        try:
            case_transition(
                case=case,
                action=action.key if action else "",
                actor=_user(request),
                as_actor=Actor.CITIZEN,
                payload=TransitionInput(comment=body, attachments=uploads),
            )
        except TransitionError as error:
            errors.append(str(error))
    if errors:
        _keep_for_next_page(request, errors, {"respuesta": body})
        return redirect("portal:my_case", number=number)
    messages.success(
        request, _("Recibimos su información. El plazo para responderle sigue corriendo.")
    )
    return redirect("portal:my_case", number=number)


@login_required
@require_POST
def my_case_message(request: HttpRequest, number: str) -> HttpResponse:
    case = _own(request, number)
    body = request.POST.get("mensaje", "")
    try:
        message_post(case=case, author=_user(request), body=body, as_actor=Actor.CITIZEN)
    except TransitionError as error:
        _keep_for_next_page(request, [str(error)], {"mensaje": body})
    else:
        messages.success(request, _("Enviamos su mensaje."))
    return redirect("portal:my_case", number=number)


@login_required
@require_POST
def my_case_withdraw(request: HttpRequest, number: str) -> HttpResponse:
    case = _own(request, number)
    action = next(
        (
            a
            for a in actions_for(case, user=_user(request), as_actor=Actor.CITIZEN)
            if a.effect == Effect.WITHDRAW
        ),
        None,
    )
    if action is None or request.POST.get("confirmar") != "si":
        _keep_for_next_page(
            request, [_("Marque la casilla para confirmar que quiere desistir.")], {}
        )
        return redirect("portal:my_case", number=number)
    case_transition(
        case=case,
        action=action.key,
        actor=_user(request),
        as_actor=Actor.CITIZEN,
        payload=TransitionInput(comment=request.POST.get("motivo", "")),
    )
    messages.success(request, _("Su solicitud quedó cerrada por desistimiento."))
    return redirect("portal:my_case", number=number)


@require_GET
def case_document(request: HttpRequest, number: str, document_id: int) -> FileResponse:
    """A document of a case, for its applicant or a visitor who proved the code."""
    case = selectors.case_for_tracking(
        number, request.session.get(TRACKED_SESSION_KEY, []), request.user
    )
    if case is None:
        raise Http404("not yours")
    document = CaseDocument.objects.filter(pk=document_id, case=case, citizen_visible=True).first()
    if document is None:
        raise Http404("no such document")
    handle = document.file.open("rb")
    return FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type,
    )


@login_required
@require_GET
def my_notifications(request: HttpRequest) -> HttpResponse:
    page = Paginator(notification_selectors.notifications_for(_user(request).pk), 30).get_page(
        request.GET.get("pagina")
    )
    return render(request, "portal/citizen/notifications.html", {"page": page})


@login_required
@require_GET
def my_data(request: HttpRequest) -> HttpResponse:
    """Everything we hold about the person, as JSON (Ley 1581 de 2012, art. 8: to know it)."""
    user = _user(request)
    cases = []
    for case in selectors.cases_of(user):
        cases.append(
            {
                "filing_number": case.filing_number,
                "service": case.service.slug,
                "filed_at": case.filed_at,
                "stage": case.stage,
                "due_date": case.due_date,
                "closed_at": case.closed_at,
                "answers": case.answers,
                "route": [
                    {"at": e.at, "kind": e.kind, "message": e.message}
                    for e in selectors.citizen_route(case)
                ],
                "messages": [
                    {"at": m.created_at, "from_citizen": m.from_citizen, "body": m.body}
                    for m in case.messages.all()
                ],
                "documents": [
                    {"name": d.original_name, "sha256": d.sha256, "uploaded_at": d.uploaded_at}
                    for d in case.documents.filter(citizen_visible=True)
                ],
            }
        )
    data = {
        "profile": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "id_type": user.id_type,
            "id_number": user.id_number,
            "phone": user.phone,
            "preferred_language": user.preferred_language,
            "date_joined": user.date_joined,
        },
        "consents": [
            {
                "text_version": c.text.version,
                "given_at": c.given_at,
                "method": c.method,
                "language": c.language,
            }
            for c in account_selectors.consents_of(user)
        ],
        "cases": cases,
        "notifications": [
            {"at": n.created_at, "event": n.event, "subject": n.subject, "body": n.body}
            for n in notification_selectors.notifications_for(user.pk)
        ],
    }
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    response["Content-Disposition"] = 'attachment; filename="mis-datos.json"'
    return response
