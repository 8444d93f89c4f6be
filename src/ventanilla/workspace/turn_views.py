"""The turn desk: the points an official serves, calling and serving tickets at a desk,
giving a walk-in a turn, and the secret addresses of the point's kiosk and display."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ventanilla.catalog.models import Service
from ventanilla.core.forms import Form
from ventanilla.organization.models import ServicePoint
from ventanilla.turns.models import PriorityGroup, Ticket, TicketChannel, TurnQueue
from ventanilla.turns.selectors import (
    desk_current,
    desk_waiting,
    display_board,
    points_for_official,
    queues_of,
)
from ventanilla.turns.services import (
    TurnError,
    device_link_for,
    device_link_renew,
    may_serve,
    ticket_call_next,
    ticket_finish,
    ticket_issue,
    ticket_no_show,
    ticket_recall,
    ticket_start,
    ticket_transfer,
)
from ventanilla.workspace.views import _user, official_required

ACTIONS = {
    "rellamar": (ticket_recall, gettext_lazy("Volvimos a llamar el turno %(code)s.")),
    "atender": (ticket_start, gettext_lazy("Atendiendo el turno %(code)s.")),
    "terminar": (ticket_finish, gettext_lazy("Turno %(code)s atendido.")),
    "no-se-presento": (ticket_no_show, gettext_lazy("Turno %(code)s: no se presentó.")),
}


class WalkInForm(Form):
    queue = forms.TypedChoiceField(label=gettext_lazy("Servicio"), coerce=int)
    priority_group = forms.ChoiceField(
        label=gettext_lazy("Atención preferencial"),
        choices=[("", gettext_lazy("No"))]
        + [(value, capfirst(label)) for value, label in PriorityGroup.choices if value],
        required=False,
    )
    name = forms.CharField(label=gettext_lazy("Nombre (opcional)"), max_length=120, required=False)

    def __init__(self, *args: Any, queues: list[TurnQueue], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["queue"].choices = [(q.pk, f"{q.prefix} · {q.title}") for q in queues]  # type: ignore[attr-defined]


def _point(request: HttpRequest, point_id: int) -> ServicePoint:
    point = get_object_or_404(
        ServicePoint.objects.select_related("entity", "dependency"), pk=point_id
    )
    if not may_serve(_user(request), point):
        raise PermissionDenied
    return point


def _desk_key(point: ServicePoint) -> str:
    return f"turn_desk:{point.pk}"


def _services_key(point: ServicePoint) -> str:
    return f"turn_services:{point.pk}"


@official_required
@require_GET
def turn_points(request: HttpRequest) -> HttpResponse:
    return render(
        request, "workspace/turns/points.html", {"points": points_for_official(_user(request))}
    )


def _desk_page(
    request: HttpRequest, point: ServicePoint, walk_in: WalkInForm | None = None
) -> HttpResponse:
    queues = list(queues_of(point))
    desk = request.session.get(_desk_key(point), "")
    return render(
        request,
        "workspace/turns/desk.html",
        {
            "point": point,
            "desk": desk,
            "queues": queues,
            "chosen": request.session.get(_services_key(point), []),
            "current": desk_current(point=point, desk=desk),
            "waiting": desk_waiting(point=point),
            "board": display_board(point=point),
            "walk_in": walk_in or WalkInForm(queues=queues),
            "actions": ACTIONS,
        },
    )


@official_required
@require_GET
def turn_desk(request: HttpRequest, point_id: int) -> HttpResponse:
    return _desk_page(request, _point(request, point_id))


def _back(point: ServicePoint) -> HttpResponse:
    return redirect("workspace:turn_desk", point_id=point.pk)


@official_required
@require_POST
def turn_call(request: HttpRequest, point_id: int) -> HttpResponse:
    """Call the next ticket to the desk typed in the form (remembered for this point)."""
    point = _point(request, point_id)
    desk = request.POST.get("desk", "")[:40]
    request.session[_desk_key(point)] = " ".join(desk.split())
    chosen = request.POST.getlist("service")
    ids = [q.service_id for q in queues_of(point) if str(q.service_id) in chosen]
    request.session[_services_key(point)] = ids
    services = list(Service.objects.filter(pk__in=ids)) if ids else None
    try:
        ticket = ticket_call_next(point=point, desk=desk, actor=_user(request), services=services)
    except TurnError as refused:
        messages.error(request, refused.messages[0])
        return _back(point)
    if ticket is None:
        messages.info(request, _("No hay nadie esperando."))
    else:
        messages.success(
            request,
            _("Llamó el turno %(code)s al puesto %(desk)s.")
            % {"code": ticket.code, "desk": ticket.desk},
        )
    return _back(point)


def _ticket(point: ServicePoint, ticket_id: int) -> Ticket:
    return get_object_or_404(Ticket, pk=ticket_id, point=point)


@official_required
@require_POST
def turn_act(request: HttpRequest, point_id: int, ticket_id: int, action: str) -> HttpResponse:
    point = _point(request, point_id)
    if action not in ACTIONS:
        return HttpResponse(status=404)
    operation, done = ACTIONS[action]
    try:
        ticket = operation(ticket=_ticket(point, ticket_id), actor=_user(request))
    except TurnError as refused:
        messages.error(request, refused.messages[0])
    else:
        messages.success(request, str(done) % {"code": ticket.code})
    return _back(point)


@official_required
@require_POST
def turn_transfer(request: HttpRequest, point_id: int, ticket_id: int) -> HttpResponse:
    point = _point(request, point_id)
    ticket = _ticket(point, ticket_id)
    queue = queues_of(point).filter(pk=request.POST.get("queue") or 0).first()
    if queue is None:
        messages.error(request, _("Elija el servicio al que pasa el turno."))
        return _back(point)
    try:
        moved = ticket_transfer(ticket=ticket, service=queue.service, actor=_user(request))
    except TurnError as refused:
        messages.error(request, refused.messages[0])
    else:
        messages.success(
            request,
            _("El turno %(old)s pasó a %(service)s como %(code)s.")
            % {"old": ticket.code, "service": queue.title, "code": moved.code},
        )
    return _back(point)


@official_required
@require_POST
def turn_issue(request: HttpRequest, point_id: int) -> HttpResponse:
    """A turn for someone at the desk who has none (the "desk" channel)."""
    point = _point(request, point_id)
    queues = list(queues_of(point))
    form = WalkInForm(request.POST, queues=queues)
    if form.is_valid():
        queue = next(q for q in queues if q.pk == form.cleaned_data["queue"])
        try:
            ticket = ticket_issue(
                point=point,
                service=queue.service,
                channel=TicketChannel.DESK,
                priority_group=form.cleaned_data["priority_group"] or "",
                name=form.cleaned_data["name"],
                actor=_user(request),
            )
        except TurnError as refused:
            form.add_error(None, refused.messages[0])
        else:
            messages.success(request, _("Turno %(code)s emitido.") % {"code": ticket.code})
            return _back(point)
    return _desk_page(request, point, walk_in=form)


@official_required
@require_http_methods(["GET", "POST"])
def turn_devices(request: HttpRequest, point_id: int) -> HttpResponse:
    """The addresses to open on the point's kiosk and display; a POST makes new ones."""
    point = _point(request, point_id)
    if request.method == "POST":
        device_link_renew(point=point, actor=_user(request))
        messages.success(request, _("Listo: las direcciones anteriores ya no funcionan."))
        return redirect("workspace:turn_devices", point_id=point.pk)
    link = device_link_for(point=point, actor=_user(request))
    return render(
        request,
        "workspace/turns/devices.html",
        {
            "point": point,
            "kiosk": request.build_absolute_uri(reverse("portal:turn_kiosk", args=[link.secret])),
            "display": request.build_absolute_uri(
                reverse("portal:turn_display", args=[link.secret])
            ),
        },
    )
