"""Turns on the public side: a point's kiosk and waiting-room display (opened with the
point's secret device link), the citizen's page for their ticket, and "join the queue" from a
phone where the point allows it."""

from __future__ import annotations

import segno
from django import forms
from django.conf import settings
from django.core.validators import RegexValidator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from ventanilla.core.forms import Form
from ventanilla.core.ratelimit import Limit, client_ip, wait_minutes
from ventanilla.organization.models import ServicePoint
from ventanilla.turns.models import PriorityGroup, Ticket, TicketChannel, TurnQueue
from ventanilla.turns.selectors import (
    display_board,
    point_by_device_secret,
    points_joinable,
    queues_of,
    ticket_by_token,
    ticket_position,
)
from ventanilla.turns.services import TurnError, ticket_issue

PHONE = RegexValidator(
    r"^\+?[0-9]{7,15}$", _("Escriba solo cifras, de 7 a 15, por ejemplo 3001234567.")
)


def _phone_clean(value: str) -> str:
    return "".join(value.split()).replace("-", "")


class JoinForm(Form):
    queue = forms.TypedChoiceField(label=_("¿Para qué servicio?"), coerce=int)
    name = forms.CharField(label=_("Su nombre"), max_length=120)
    phone = forms.CharField(
        label=_("Celular (opcional)"),
        required=False,
        max_length=20,
        help_text=_("Le avisamos por mensaje de texto cuando su turno esté cerca."),
    )
    priority_group = forms.ChoiceField(
        label=_("¿Necesita atención preferencial?"),
        choices=[("", _("No"))]
        + [(value, capfirst(label)) for value, label in PriorityGroup.choices if value],
        required=False,
        widget=forms.RadioSelect,
        initial="",
    )

    def __init__(self, *args: object, queues: list[TurnQueue], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        self.fields["queue"].choices = [(q.pk, q.title) for q in queues]  # type: ignore[attr-defined]

    def clean_phone(self) -> str:
        phone = _phone_clean(self.cleaned_data.get("phone", ""))
        if phone:
            PHONE(phone)
        return phone


def _point_for_device(secret: str) -> ServicePoint:
    point = point_by_device_secret(secret)
    if point is None:
        raise Http404("no such device link")
    return point


def _poll(request: HttpRequest) -> bool:
    return bool(request.headers.get("HX-Request"))


@require_http_methods(["GET", "POST"])
def kiosk(request: HttpRequest, secret: str) -> HttpResponse:
    """Big buttons, one per service; the priority question above them. One press, one ticket."""
    point = _point_for_device(secret)
    queues = list(queues_of(point))
    error = ""
    chosen_priority = ""
    if request.method == "POST":
        chosen_priority = request.POST.get("priority_group", "")
        queue = next((q for q in queues if str(q.pk) == request.POST.get("queue")), None)
        if queue is None:
            error = str(_("Elija un servicio."))
        else:
            try:
                ticket = ticket_issue(
                    point=point,
                    service=queue.service,
                    channel=TicketChannel.KIOSK,
                    priority_group=chosen_priority,
                    language=get_language() or "es",
                )
            except TurnError as refused:
                error = refused.messages[0]
            else:
                return redirect("portal:turn_kiosk_ticket", secret=secret, token=ticket.token)
    return render(
        request,
        "portal/turns/kiosk.html",
        {
            "point": point,
            "queues": queues,
            "priorities": PriorityGroup.choices,
            "chosen_priority": chosen_priority,
            "error": error,
        },
    )


def _ticket_link(request: HttpRequest, ticket: Ticket) -> str:
    return request.build_absolute_uri(reverse("portal:turn_ticket", args=[ticket.token]))


@require_GET
def kiosk_ticket(request: HttpRequest, secret: str, token: str) -> HttpResponse:
    """The ticket just issued, with a QR code and a link to follow it on a phone."""
    point = _point_for_device(secret)
    ticket = get_object_or_404(
        Ticket.objects.select_related("queue", "service"), token=token, point=point
    )
    link = _ticket_link(request, ticket)
    return render(
        request,
        "portal/turns/kiosk_ticket.html",
        {
            "point": point,
            "ticket": ticket,
            "link": link,
            "qr": segno.make(link, error="m").svg_data_uri(scale=4, border=2),
            "secret": secret,
        },
    )


@require_GET
def display(request: HttpRequest, secret: str) -> HttpResponse:
    """The waiting room's screen: the numbers being called and their desks, updated live."""
    point = _point_for_device(secret)
    board = display_board(point=point)
    template = "portal/turns/display.html" + ("#board" if _poll(request) else "")
    return render(
        request,
        template,
        {"point": point, "board": board, "poll_seconds": settings.TURNS_POLL_SECONDS},
    )


@require_GET
def ticket_page(request: HttpRequest, token: str) -> HttpResponse:
    """The citizen's phone: their position and wait, and "it is your turn" when called."""
    ticket = ticket_by_token(token)
    if ticket is None:
        raise Http404("no such ticket")
    template = "portal/turns/ticket.html" + ("#status" if _poll(request) else "")
    return render(
        request,
        template,
        {
            "ticket": ticket,
            "position": ticket_position(ticket),
            "poll_seconds": settings.TURNS_POLL_SECONDS,
        },
    )


@require_GET
def points(request: HttpRequest) -> HttpResponse:
    """The points where a turn can be taken from a phone."""
    return render(request, "portal/turns/points.html", {"points": points_joinable()})


def _join_limit(request: HttpRequest) -> Limit:
    return Limit(f"turn-join:{client_ip(request)}", settings.TURNS_JOINS_PER_HOUR, 3600)


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest, point_id: int) -> HttpResponse:
    """Take a turn from a phone, at a point whose queue allows it; limited per client."""
    point = get_object_or_404(ServicePoint.objects.select_related("entity"), pk=point_id)
    queues = list(queues_of(point, remote_only=True))
    if not queues:
        raise Http404("no remote queue here")
    form = JoinForm(request.POST or None, queues=queues)
    status = 200
    if request.method == "POST" and form.is_valid():
        limit = _join_limit(request)
        if limit.count() >= limit.limit:
            form.add_error(
                None,
                _("Pidió muchos turnos seguidos. Intente de nuevo en %(minutes)s minutos.")
                % {"minutes": wait_minutes(limit.seconds_left())},
            )
            status = 429
        else:
            queue = next(q for q in queues if q.pk == form.cleaned_data["queue"])
            try:
                ticket = ticket_issue(
                    point=point,
                    service=queue.service,
                    channel=TicketChannel.REMOTE,
                    priority_group=form.cleaned_data["priority_group"] or "",
                    name=form.cleaned_data["name"],
                    phone=form.cleaned_data["phone"],
                    language=get_language() or "es",
                )
            except TurnError as refused:
                form.add_error(None, refused.messages[0])
            else:
                limit.hit()
                return redirect("portal:turn_ticket", token=ticket.token)
    return render(request, "portal/turns/join.html", {"point": point, "form": form}, status=status)
