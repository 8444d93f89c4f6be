"""The citizen's area: my requests, one request (route, messages, answering an information
request, withdrawing), my notices, and a download of everything we hold about me."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.core.serializers.json import DjangoJSONEncoder
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ventanilla.accounts import selectors as account_selectors
from ventanilla.accounts.models import User
from ventanilla.appointments import selectors as appointment_selectors
from ventanilla.cases import selectors
from ventanilla.cases.claims import ClaimError, case_claim
from ventanilla.cases.guest_access import guest_case
from ventanilla.cases.models import Case, CaseDocument
from ventanilla.cases.services import (
    TransitionError,
    TransitionInput,
    case_transition,
    message_post,
)
from ventanilla.cases.uploads import Upload, upload_received, uploads_refused
from ventanilla.cases.workflow import Actor, actions_for
from ventanilla.catalog import formkit
from ventanilla.catalog.schema import Action, Effect
from ventanilla.core.downloads import file_download
from ventanilla.core.forms import Form
from ventanilla.core.ratelimit import client_ip
from ventanilla.documents.selectors import issued_answers
from ventanilla.notifications import selectors as notification_selectors
from ventanilla.portal.case_display import case_context, poll_unchanged
from ventanilla.portal.tracking_views import TrackingForm

GUEST_SESSION_KEY = "guest_cases"
TEXT_MAX = 10_000


class CaseTextForm(Form):
    """What a citizen writes on their case page: an answer, a message, a reason to withdraw."""

    respuesta = forms.CharField(required=False, max_length=TEXT_MAX, widget=forms.Textarea)
    mensaje = forms.CharField(required=False, max_length=TEXT_MAX, widget=forms.Textarea)
    motivo = forms.CharField(required=False, max_length=500)

    def error_list(self) -> list[str]:
        return [str(error) for errors in self.errors.values() for error in errors]


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)  # login_required


@dataclass(frozen=True)
class CaseAccess:
    """Who is looking at their own case: the signed-in applicant, or a guest who opened the
    link sent to the case's email in this session."""

    case: Case
    user: User | None
    as_actor: Actor

    def url(self, name: str = "") -> str:
        prefix = "portal:guest_case" if self.as_actor == Actor.GUEST else "portal:my_case"
        return reverse(prefix + (f"_{name}" if name else ""), args=[self.case.filing_number])


def case_access(request: HttpRequest, number: str) -> CaseAccess | None:
    """Who may open case `number` in this request: its applicant or its guest; else None."""
    if request.user.is_authenticated:
        case = selectors.own_case(_user(request), number)
        if case is not None:
            return CaseAccess(case, _user(request), Actor.CITIZEN)
    case = selectors.guest_case_granted(number, request.session.get(GUEST_SESSION_KEY, []))
    if case is not None:
        return CaseAccess(case, None, Actor.GUEST)
    return None


def own_case_view[R: HttpResponseBase](
    view: Callable[[HttpRequest, CaseAccess], R],
) -> Callable[[HttpRequest, str], R | HttpResponse]:
    """Open the view to the case's applicant or its guest; send anybody else who is not signed
    in to sign in (an emailed link to a citizen's case lands there), else answer 404 — the same
    for another's case as for none."""

    @wraps(view)
    def wrapper(request: HttpRequest, number: str) -> R | HttpResponse:
        access = case_access(request, number)
        if access is None:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            raise Http404("not your case")
        return view(request, access)

    return wrapper


@never_cache
@require_GET
def guest_access(request: HttpRequest, number: str, token: str) -> HttpResponse:
    """The link in a guest's email: remember the case for this session and open its page."""
    case = guest_case(number, token)
    if case is None:
        return render(request, "portal/citizen/guest_link_invalid.html", status=404)
    granted: list[int] = request.session.setdefault(GUEST_SESSION_KEY, [])
    if case.pk not in granted:
        granted.append(case.pk)
        request.session.modified = True
    return redirect("portal:guest_case", number=case.filing_number)


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


@login_required
@require_http_methods(["GET", "POST"])
def my_case_claim(request: HttpRequest) -> HttpResponse:
    """Add to the account a case filed without it (at a counter, by phone, as a guest)."""
    form = TrackingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            case = case_claim(
                user=_user(request),
                filing_number=form.cleaned_data["filing_number"],
                code=form.cleaned_data["code"],
                client=client_ip(request),
            )
        except ClaimError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("La solicitud quedó en su cuenta."))
            return redirect("portal:my_case", number=case.filing_number)
    return render(request, "portal/citizen/claim.html", {"form": form})


@never_cache
@own_case_view
def my_case(request: HttpRequest, access: CaseAccess) -> HttpResponse:
    # The school-place panel's views take their access checks from this module.
    from ventanilla.portal.places_views import family_panel

    case = access.case
    if poll_unchanged(request, case):
        return HttpResponse(status=204)
    if request.headers.get("HX-Request"):
        return render(request, "portal/tracking/case.html#status", case_context(case, public=False))
    actions = actions_for(case, user=access.user, as_actor=access.as_actor)
    context = {
        "urls": {
            name or "page": access.url(name) for name in ["", "answer", "message", "withdraw"]
        },
        **case_context(case, public=False),
        "messages_list": case.messages.select_related("author").all(),
        # What the citizen asked, as they gave it.
        "answers": formkit.answer_rows(
            case.service_version.parsed.form, case.answers, get_language() or "es"
        ),
        "documents": case.documents.filter(citizen_visible=True),
        "issued_answers": issued_answers(case),
        "bookings": appointment_selectors.case_bookings(case.pk),
        "booking_invited": appointment_selectors.case_invites_booking(case.pk),
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
        **family_panel(access),
        "form_errors": request.session.pop("case_form_errors", None),
        "form_values": request.session.pop("case_form_values", {}),
    }
    return render(request, "portal/citizen/case.html", context)


def _uploads(request: HttpRequest) -> tuple[list[Upload], list[str]]:
    errors = list(uploads_refused(request).values())
    uploads = [upload_received("adjunto", f) for f in request.FILES.getlist("adjuntos")]
    return uploads, errors


def _keep_for_next_page(request: HttpRequest, errors: list[str], values: dict[str, Any]) -> None:
    request.session["case_form_errors"] = errors
    request.session["case_form_values"] = values


def _citizen_action(access: CaseAccess, effect: Effect) -> Action | None:
    return next(
        (
            a
            for a in actions_for(access.case, user=access.user, as_actor=access.as_actor)
            if a.effect == effect
        ),
        None,
    )


@require_POST
@own_case_view
def my_case_answer(request: HttpRequest, access: CaseAccess) -> HttpResponse:
    """The citizen sends what was asked; the legal clock starts again."""
    body = request.POST.get("respuesta", "")
    form = CaseTextForm(request.POST)
    uploads, errors = _uploads(request)
    errors += [] if form.is_valid() else form.error_list()
    action = _citizen_action(access, Effect.PROVIDE_INFORMATION)
    if action is None:
        errors.append(_("Esta solicitud no espera información suya."))
    if not errors:
        try:
            case_transition(
                case=access.case,
                action=action.key if action else "",
                actor=access.user,
                as_actor=access.as_actor,
                payload=TransitionInput(
                    comment=form.cleaned_data["respuesta"], attachments=uploads
                ),
            )
        except TransitionError as error:
            errors.append(str(error))
    if errors:
        _keep_for_next_page(request, errors, {"respuesta": body})
        return redirect(access.url())
    messages.success(
        request, _("Recibimos su información. El plazo para responderle sigue corriendo.")
    )
    return redirect(access.url())


@require_POST
@own_case_view
def my_case_message(request: HttpRequest, access: CaseAccess) -> HttpResponse:
    body = request.POST.get("mensaje", "")
    form = CaseTextForm(request.POST)
    if not form.is_valid():
        _keep_for_next_page(request, form.error_list(), {"mensaje": body})
        return redirect(access.url())
    try:
        message_post(
            case=access.case,
            author=access.user,
            body=form.cleaned_data["mensaje"],
            as_actor=access.as_actor,
        )
    except TransitionError as error:
        _keep_for_next_page(request, [str(error)], {"mensaje": body})
    else:
        messages.success(request, _("Enviamos su mensaje."))
    return redirect(access.url())


@require_POST
@own_case_view
def my_case_withdraw(request: HttpRequest, access: CaseAccess) -> HttpResponse:
    action = _citizen_action(access, Effect.WITHDRAW)
    if action is None or request.POST.get("confirmar") != "si":
        _keep_for_next_page(
            request, [_("Marque la casilla para confirmar que quiere desistir.")], {}
        )
        return redirect(access.url())
    form = CaseTextForm(request.POST)
    if not form.is_valid():
        _keep_for_next_page(request, form.error_list(), {})
        return redirect(access.url())
    case_transition(
        case=access.case,
        action=action.key,
        actor=access.user,
        as_actor=access.as_actor,
        payload=TransitionInput(comment=form.cleaned_data["motivo"]),
    )
    messages.success(request, _("Su solicitud quedó cerrada por desistimiento."))
    return redirect(access.url())


@require_GET
def case_document(request: HttpRequest, number: str, document_id: int) -> FileResponse:
    """A document of a case, for its applicant or its guest. The number and code prove only
    what the tracking page shows, the status: not the person's documents nor the answer."""
    access = case_access(request, number)
    if access is None:
        raise Http404("not yours")
    document = CaseDocument.objects.filter(
        pk=document_id, case=access.case, citizen_visible=True
    ).first()
    if document is None:
        raise Http404("no such document")
    return file_download(
        document.file.open("rb"),
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
        "appointments": [
            {
                "code": b.code,
                "service": b.service.slug,
                "point": b.point.name,
                "starts_at": b.starts_at,
                "state": b.state,
                "name": b.name,
                "id_type": b.id_type,
                "id_number": b.id_number,
                "email": b.email,
                "phone": b.phone,
                "booked_at": b.created_at,
            }
            for b in appointment_selectors.bookings_of_user(user.pk)
        ],
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
