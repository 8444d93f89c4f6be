"""A service point's agenda for the officials who work there: the day's bookings, check-in
(the ID number must be the booking's), no-shows, and booking for a citizen at the counter or on
the phone. The rules are in `appointments.services`; these views parse and show."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, cast

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ventanilla.accounts.forms import clean_phone, id_number_cleaned
from ventanilla.accounts.id_documents import IdType
from ventanilla.accounts.models import User
from ventanilla.appointments import selectors
from ventanilla.appointments.models import Booking, BookingChannel
from ventanilla.appointments.services import (
    BookingError,
    Holder,
    booking_check_in,
    booking_create,
    booking_no_show,
)
from ventanilla.catalog.models import Service
from ventanilla.core import clock
from ventanilla.core.forms import Form
from ventanilla.organization.models import ServicePoint
from ventanilla.turns.selectors import queues_of
from ventanilla.workspace.views import official_required


def _user(request: HttpRequest) -> User:
    return cast(User, request.user)


def _point(request: HttpRequest, point_id: int) -> ServicePoint:
    point = get_object_or_404(ServicePoint.objects.select_related("entity"), pk=point_id)
    if not selectors.serves_point(_user(request), point):
        raise PermissionDenied
    return point


class CounterBookingForm(Form):
    service = forms.ModelChoiceField(label=gettext_lazy("Trámite"), queryset=Service.objects.none())
    hora = forms.ChoiceField(label=gettext_lazy("Hora"))
    name = forms.CharField(label=gettext_lazy("Nombre completo de quien asistirá"), max_length=200)
    id_type = forms.ChoiceField(label=gettext_lazy("Tipo de documento"), choices=IdType.choices)
    id_number = forms.CharField(
        label=gettext_lazy("Número de documento"),
        max_length=20,
        help_text=gettext_lazy("Sin puntos ni espacios."),
    )
    email = forms.EmailField(label=gettext_lazy("Correo electrónico (opcional)"), required=False)
    phone = forms.CharField(
        label=gettext_lazy("Teléfono celular (opcional)"), max_length=20, required=False
    )
    channel = forms.ChoiceField(
        label=gettext_lazy("La persona pide la cita"),
        choices=[
            (BookingChannel.COUNTER.value, gettext_lazy("en ventanilla")),
            (BookingChannel.PHONE.value, gettext_lazy("por teléfono")),
        ],
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, point: ServicePoint, service: Service | None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        services = selectors.services_at(point)
        cast("forms.ModelChoiceField[Service]", self.fields["service"]).queryset = services
        chosen = service or services.first()
        times: list[tuple[str, str]] = []
        if chosen is not None:
            for day in selectors.free_times(point=point, service=chosen, days=5):
                for t in day.times:
                    label = f"{day.day:%d/%m} {t.starts_at:%H:%M} ({t.free})"
                    times.append((t.starts_at.isoformat(), label))
        cast(forms.ChoiceField, self.fields["hora"]).choices = times

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data["phone"])

    def clean(self) -> dict[str, Any]:
        cleaned = id_number_cleaned(self, super().clean() or {})
        return cleaned


@official_required
@require_GET
def agenda_points(request: HttpRequest) -> HttpResponse:
    points = selectors.points_served_by(_user(request))
    if points.count() == 1:
        return redirect("workspace:agenda", point_id=points.get().pk)
    return render(request, "workspace/agenda_points.html", {"points": points})


@official_required
@require_GET
def agenda(request: HttpRequest, point_id: int) -> HttpResponse:
    point = _point(request, point_id)
    zone = selectors.point_place(point).zone
    today = clock.now().astimezone(zone).date()
    try:
        day = date.fromisoformat(request.GET.get("dia", "")) if request.GET.get("dia") else today
    except ValueError:
        day = today
    bookings = list(selectors.agenda(point=point, day=day))
    return render(
        request,
        "workspace/agenda.html",
        {
            "point": point,
            "day": day,
            "today": today,
            "bookings": bookings,
            "now": clock.now(),
            "language": get_language() or "es",
            "runs_turns": queues_of(point).exists(),
        },
    )


def _booking(request: HttpRequest, code: str) -> Booking:
    booking = selectors.booking_by_code(code)
    if booking is None:
        raise Http404
    if not selectors.serves_point(_user(request), booking.point):
        raise PermissionDenied
    return booking


def _back(booking: Booking) -> HttpResponse:
    zone = selectors.point_place(booking.point).zone
    day = booking.starts_at.astimezone(zone).date().isoformat()
    return redirect(reverse("workspace:agenda", args=[booking.point_id]) + f"?dia={day}")


@official_required
@require_POST
def agenda_check_in(request: HttpRequest, code: str) -> HttpResponse:
    booking = _booking(request, code)
    try:
        done = booking_check_in(
            booking=booking, actor=_user(request), id_number=request.POST.get("documento", "")
        )
    except BookingError as error:
        messages.error(request, f"{booking.name}: {error.message}")
    else:
        text = _("%(name)s llegó a su cita.") % {"name": done.name}
        if done.turn_code:
            text += " " + _("Su turno es %(turn)s.") % {"turn": done.turn_code}
        messages.success(request, text)
    return _back(booking)


@official_required
@require_POST
def agenda_no_show(request: HttpRequest, code: str) -> HttpResponse:
    booking = _booking(request, code)
    try:
        booking_no_show(booking=booking, actor=_user(request))
    except BookingError as error:
        messages.error(request, f"{booking.name}: {error.message}")
    else:
        messages.success(request, _("%(name)s quedó como inasistencia.") % {"name": booking.name})
    return _back(booking)


@official_required
@require_http_methods(["GET", "POST"])
def agenda_book(request: HttpRequest, point_id: int) -> HttpResponse:
    """Book for a citizen who asks at the counter or on the phone."""
    point = _point(request, point_id)
    services = selectors.services_at(point)
    service = services.filter(
        pk=request.POST.get("service") or request.GET.get("servicio") or 0
    ).first()
    form = CounterBookingForm(
        request.POST or None,
        point=point,
        service=service,
        initial={"channel": BookingChannel.COUNTER, "service": service},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            booking = booking_create(
                point=point,
                service=data["service"],
                starts_at=datetime.fromisoformat(data["hora"]),
                holder=Holder(
                    id_type=data["id_type"],
                    id_number=data["id_number"],
                    name=data["name"],
                    email=data["email"],
                    phone=data["phone"],
                    language=get_language() or "es",
                ),
                channel=data["channel"],
                booked_by=_user(request),
            )
        except BookingError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _(
                    "Cita agendada: código %(code)s. Dígaselo a la persona; también le llega "
                    "por correo o mensaje si dio uno."
                )
                % {"code": booking.code},
            )
            return _back(booking)
    return render(
        request, "workspace/agenda_book.html", {"point": point, "form": form, "service": service}
    )
