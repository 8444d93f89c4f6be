"""Booking an appointment from a phone: choose the service and the point, see the next free
times in one view, say who is coming (a guest confirms their email with a code), and get the
booking's page with its code, QR and calendar file; from there, move or cancel it.

A booking's page opens with the key sent to its holder (`?clave=`), with the booking's code and
the holder's ID number («Consultar mi cita»), or for the signed-in account that booked it. What
opened it is remembered in the session for the rest of the visit."""

from __future__ import annotations

import hashlib
import secrets
from datetime import date, datetime, timedelta
from typing import Any, cast

import segno
from django import forms
from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.crypto import constant_time_compare
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ventanilla.accounts.forms import clean_phone, id_number_cleaned
from ventanilla.accounts.id_documents import IdType
from ventanilla.accounts.models import User
from ventanilla.appointments import selectors
from ventanilla.appointments.calendar_file import booking_ics
from ventanilla.appointments.models import Booking, BookingState
from ventanilla.appointments.notices import booking_code_send, when_words
from ventanilla.appointments.services import (
    BookingError,
    Holder,
    booking_cancel,
    booking_create,
    booking_reschedule,
    manage_token,
)
from ventanilla.cases.models import Case
from ventanilla.catalog.models import Service
from ventanilla.core.forms import Form
from ventanilla.core.ratelimit import Limit, allow, client_ip, wait_minutes, wait_seconds
from ventanilla.organization.models import Locality, ServicePoint
from ventanilla.portal.citizen_views import case_access
from ventanilla.turns.selectors import ticket_token_for_reference

GRANTS = "booking_grants"
CASE = "booking_case"  # the case whose citizen was asked to book (schedule_appointment)
PENDING = "booking_pending"
CODE_ATTEMPTS = 5
LOOKUPS_PER_CLIENT = 20  # wrong code/ID pairs per client in 15 minutes


# ---- Forms -----------------------------------------------------------------------------------


class PointSearchForm(Form):
    q = forms.CharField(
        label=gettext_lazy("Nombre o dirección"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    localidad = forms.ChoiceField(label=gettext_lazy("Localidad"), required=False)
    lat = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-90, max_value=90)
    lon = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-180, max_value=180)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["localidad"])
        field.choices = [("", _("Todas"))] + [
            (loc.code, loc.name) for loc in Locality.objects.order_by("name")
        ]


class HolderForm(Form):
    """Who is coming: the ID number is what the point checks at the door."""

    name = forms.CharField(
        label=gettext_lazy("Nombre completo de quien asistirá"),
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    id_type = forms.ChoiceField(label=gettext_lazy("Tipo de documento"), choices=IdType.choices)
    id_number = forms.CharField(
        label=gettext_lazy("Número de documento"),
        max_length=20,
        help_text=gettext_lazy(
            "Escriba el número sin puntos ni espacios. Lo pediremos al llegar: la cita solo "
            "sirve a esta persona."
        ),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    email = forms.EmailField(
        label=gettext_lazy("Correo electrónico"),
        required=False,
        help_text=gettext_lazy(
            "Le enviaremos un código para confirmar que es suyo, y la confirmación de la cita."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=gettext_lazy("Teléfono celular"),
        max_length=20,
        required=False,
        help_text=gettext_lazy(
            "Para recordarle la cita por mensaje de texto. Si no tiene correo, el código le "
            "llega aquí."
        ),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )

    def __init__(self, *args: Any, signed_in: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.signed_in = signed_in
        if signed_in:
            self.fields["email"].help_text = ""

    def clean_phone(self) -> str:
        return clean_phone(self.cleaned_data["phone"])

    def clean(self) -> dict[str, Any]:
        cleaned = id_number_cleaned(self, super().clean() or {})
        no_contact = not cleaned.get("email") and not cleaned.get("phone")
        typed_badly = self.has_error("email") or self.has_error("phone")
        if not self.signed_in and no_contact and not typed_badly:
            self.add_error(
                "email", _("Escriba un correo o un celular: por ahí le llegan el código y la cita.")
            )
        return cleaned


class CodeForm(Form):
    code = forms.CharField(
        label=gettext_lazy("Código que le enviamos"),
        max_length=6,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class LookupForm(Form):
    codigo = forms.CharField(
        label=gettext_lazy("Código de la cita"),
        max_length=12,
        help_text=gettext_lazy("Está en el correo de confirmación, por ejemplo K7QM-2XPD."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )
    documento = forms.CharField(
        label=gettext_lazy("Número de documento de quien asistirá"),
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


# ---- Helpers -------------------------------------------------------------------------------


def _service(slug: str) -> Service:
    service = Service.objects.filter(slug=slug, is_published=True).first()
    if service is None or not service.schedules.filter(active=True).exists():
        raise Http404
    return service


def _point(service: Service, point_id: int) -> ServicePoint:
    return get_object_or_404(selectors.points_with_schedules(service), pk=point_id)


def _grant(request: HttpRequest, booking: Booking) -> None:
    grants = set(request.session.get(GRANTS, []))
    grants.add(booking.code)
    request.session[GRANTS] = sorted(grants)[-20:]


def _may_open(request: HttpRequest, booking: Booking) -> bool:
    if booking.code in request.session.get(GRANTS, []):
        return True
    return request.user.is_authenticated and booking.user_id == request.user.pk


def _booking_for(request: HttpRequest, code: str) -> Booking:
    booking = selectors.booking_by_code(code)
    if booking is None or not _may_open(request, booking):
        raise Http404
    return booking


def _user(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def _parse_time(value: str) -> datetime | None:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def _hash(value: str) -> str:
    return hashlib.sha256(f"{settings.SECRET_KEY}:booking-code:{value}".encode()).hexdigest()


def _flash_refusal(request: HttpRequest, error: BookingError) -> None:
    messages.error(request, error.message)


# ---- Views ---------------------------------------------------------------------------------


@require_GET
def appointments_home(request: HttpRequest) -> HttpResponse:
    """«Agendar o consultar mi cita»: the services one can book, and a booking's lookup."""
    user = _user(request)
    mine = (
        selectors.bookings_of_user(user.pk).filter(state=BookingState.BOOKED)
        if user is not None
        else Booking.objects.none()
    )
    return render(
        request,
        "portal/appointments/home.html",
        {
            "services": selectors.bookable_services(),
            "lookup": LookupForm(),
            "mine": mine,
            "language": get_language() or "es",
        },
    )


@require_http_methods(["GET", "POST"])
def booking_lookup(request: HttpRequest) -> HttpResponse:
    """Open a booking with its code and the holder's ID number."""
    form = LookupForm(request.POST or None)
    limit = Limit(f"booking-lookup:{client_ip(request)}", LOOKUPS_PER_CLIENT, 900)
    if request.method == "POST" and form.is_valid():
        if wait_seconds([limit]):
            form.add_error(
                None,
                _("Hubo demasiados intentos. Espere %(minutes)s minutos e inténtelo de nuevo.")
                % {"minutes": wait_minutes(limit.seconds_left())},
            )
        else:
            booking = selectors.booking_by_code(form.cleaned_data["codigo"])
            given = "".join(ch for ch in form.cleaned_data["documento"] if ch.isalnum()).upper()
            if booking is not None and constant_time_compare(
                given, booking.id_number.replace("-", "").upper()
            ):
                _grant(request, booking)
                return redirect("portal:booking", code=booking.code)
            limit.hit()
            form.add_error(
                None,
                _(
                    "No encontramos una cita con ese código y ese documento. Revise el código "
                    "en el correo de confirmación."
                ),
            )
    return render(request, "portal/appointments/lookup.html", {"form": form})


@require_GET
def booking_points(request: HttpRequest, slug: str) -> HttpResponse:
    """Choose the point: by name or address, by locality, or nearest first."""
    service = _service(slug)
    number = request.GET.get("caso", "")
    if number:
        access = case_access(request, number)
        if access is None or access.case.service_version.service_id != service.pk:
            raise Http404
        request.session[CASE] = access.case.pk
    search = PointSearchForm(request.GET or None)
    data = search.cleaned_data if search.is_valid() else {}
    near = (data["lat"], data["lon"]) if data.get("lat") is not None and data.get("lon") else None
    choices = selectors.points_search(
        service=service,
        text=data.get("q", ""),
        locality=data.get("localidad", ""),
        near=near,
        limit=51,
    )
    return render(
        request,
        "portal/appointments/points.html",
        {
            "service": service,
            "title": service.title(get_language() or "es"),
            "search": search,
            "choices": choices[:50],
            "more": len(choices) > 50,
            "near": near is not None,
            "change": request.GET.get("cambiar", ""),
        },
    )


@require_GET
def booking_times(request: HttpRequest, slug: str, point_id: int) -> HttpResponse:
    """The next free times of a point, a week of days with times in one view."""
    service = _service(slug)
    point = _point(service, point_id)
    try:
        start = (
            date.fromisoformat(request.GET.get("desde", "")) if request.GET.get("desde") else None
        )
    except ValueError:
        start = None
    days = selectors.free_times(point=point, service=service, start=start)
    change = request.GET.get("cambiar", "")
    moving = selectors.booking_by_code(change) if change else None
    if moving is not None and not _may_open(request, moving):
        moving = None
    later = (days[-1].day + timedelta(days=1)).isoformat() if days else ""
    return render(
        request,
        "portal/appointments/times.html",
        {
            "service": service,
            "title": service.title(get_language() or "es"),
            "point": point,
            "days": days,
            "later": later,
            "earlier": bool(start),
            "moving": moving,
        },
    )


def _pending(request: HttpRequest) -> dict[str, Any]:
    return dict(request.session.get(PENDING) or {})


@never_cache
@require_http_methods(["GET", "POST"])
def booking_details(request: HttpRequest, slug: str, point_id: int) -> HttpResponse:
    """Who is coming. Signed in: the account's details, and the booking is made at once. A
    guest: their details and a code sent to their email, then the booking."""
    service = _service(slug)
    point = _point(service, point_id)
    starts_at = _parse_time(request.GET.get("hora", "") or request.POST.get("hora", ""))
    if starts_at is None:
        messages.error(request, _("Elija una hora de las disponibles."))
        return redirect("portal:booking_times", slug=slug, point_id=point.pk)
    user = _user(request)
    pending = _pending(request)
    same_time = pending.get("at") == starts_at.isoformat() and pending.get("point") == point.pk
    initial = pending.get("holder", {}) if same_time else {}
    if user is not None and not initial:
        initial = {
            "name": user.get_full_name(),
            "id_type": user.id_type,
            "id_number": user.id_number,
            "email": user.email,
            "phone": user.phone,
        }
    form = HolderForm(initial=initial, signed_in=user is not None)
    code_form = CodeForm()
    step = request.POST.get("step", "")
    if request.method == "POST" and step == "details":
        form = HolderForm(request.POST, signed_in=user is not None)
        if form.is_valid():
            holder = {k: str(v) for k, v in form.cleaned_data.items()}
            if user is not None:
                return _book(request, service, point, starts_at, holder, user)
            return _send_code(request, service, point, starts_at, holder, form)
    elif request.method == "POST" and step == "code" and same_time and pending.get("code"):
        code_form = CodeForm(request.POST)
        if code_form.is_valid():
            if not allow(
                f"booking-code-check:{pending['code']}", limit=CODE_ATTEMPTS, window_seconds=3600
            ):
                pending["code"] = ""
                request.session[PENDING] = pending
                messages.error(
                    request, _("Hubo demasiados intentos con ese código. Pida uno nuevo abajo.")
                )
            elif secrets.compare_digest(
                _hash(code_form.cleaned_data["code"].strip() + pending.get("contact", "")),
                pending["code"],
            ):
                return _book(request, service, point, starts_at, pending["holder"], None)
            else:
                code_form.add_error("code", _("El código no coincide. Revíselo o pida otro."))
    local = starts_at.astimezone(selectors.point_place(point).zone)
    return render(
        request,
        "portal/appointments/details.html",
        {
            "service": service,
            "title": service.title(get_language() or "es"),
            "point": point,
            "starts_at": local,
            "hora": starts_at.isoformat(),
            "form": form,
            "code_form": code_form,
            "code_sent": same_time and bool(pending.get("code")),
            "contact": pending.get("contact", ""),
            "signed_in": user is not None,
        },
    )


def _send_code(
    request: HttpRequest,
    service: Service,
    point: ServicePoint,
    starts_at: datetime,
    holder: dict[str, str],
    form: HolderForm,
) -> HttpResponse:
    """A guest proves the email they gave, or their mobile phone when they gave no email."""
    contact = holder["email"].lower() or holder["phone"]
    if not (
        allow(f"booking-code-send:{contact}", limit=5, window_seconds=3600)
        and allow(f"booking-code-send-ip:{client_ip(request)}", limit=30, window_seconds=3600)
    ):
        messages.error(
            request,
            _(
                "Ya le enviamos varios códigos. Revise su correo (también la carpeta de correo "
                "no deseado) o sus mensajes, o espere una hora para pedir otro."
            ),
        )
    else:
        code = f"{secrets.randbelow(1_000_000):06d}"
        request.session[PENDING] = {
            "point": point.pk,
            "at": starts_at.isoformat(),
            "holder": holder,
            "contact": contact,
            "code": _hash(code + contact),
        }
        booking_code_send(
            email=holder["email"],
            phone=holder["phone"],
            code=code,
            language=get_language() or "es",
        )
        messages.info(request, _("Le enviamos un código a %(contact)s.") % {"contact": contact})
    url = reverse("portal:booking_details", args=[service.slug, point.pk])
    return redirect(f"{url}?hora={starts_at.isoformat()}".replace("+", "%2B"))


def _case(request: HttpRequest, service: Service) -> Case | None:
    """The case this booking is for, if the citizen came from its invitation and may still
    open it."""
    pk = request.session.get(CASE)
    if not pk:
        return None
    case = Case.objects.filter(pk=pk, service_version__service=service).first()
    if case is None or case_access(request, case.filing_number) is None:
        return None
    return case


def _book(
    request: HttpRequest,
    service: Service,
    point: ServicePoint,
    starts_at: datetime,
    holder: dict[str, str],
    user: User | None,
) -> HttpResponse:
    case = _case(request, service)
    try:
        booking = booking_create(
            point=point,
            service=service,
            starts_at=starts_at,
            holder=Holder(
                id_type=holder["id_type"],
                id_number=holder["id_number"],
                name=holder["name"],
                email=holder.get("email") or (user.email if user else ""),
                phone=holder.get("phone", ""),
                language=get_language() or "es",
                user=user,
            ),
            client=client_ip(request),
            case=case,
        )
    except BookingError as error:
        request.session[PENDING] = {
            "point": point.pk,
            "at": starts_at.isoformat(),
            "holder": holder,
            "code": "",
        }
        if error.existing is not None:
            _grant(request, error.existing)
            messages.error(request, error.message)
            return redirect("portal:booking", code=error.existing.code)
        messages.error(request, error.message)
        return redirect("portal:booking_times", slug=service.slug, point_id=point.pk)
    request.session.pop(PENDING, None)
    request.session.pop(CASE, None)
    _grant(request, booking)
    messages.success(request, _("Su cita quedó agendada."))
    return redirect("portal:booking", code=booking.code)


def _qr_svg(text: str) -> str:
    return segno.make(text, error="m").svg_inline(scale=4, border=2, omitsize=False)


@never_cache
@require_GET
def booking_page(request: HttpRequest, code: str) -> HttpResponse:
    """The booking: when, where, for whom, its code and QR; move it, cancel it, add it to a
    calendar."""
    booking = selectors.booking_by_code(code)
    if booking is None:
        raise Http404
    key = request.GET.get("clave", "")
    if key:
        if not constant_time_compare(key, manage_token(booking)):
            raise Http404
        _grant(request, booking)
        return redirect("portal:booking", code=booking.code)
    if not _may_open(request, booking):
        raise Http404
    language = get_language() or "es"
    return render(
        request,
        "portal/appointments/booking.html",
        {
            "booking": booking,
            "title": booking.service.title(language),
            "when": when_words(booking, language),
            "qr": _qr_svg(booking.code),
            "active": booking.state == BookingState.BOOKED,
            "turn_token": ticket_token_for_reference(booking.code) if booking.turn_code else "",
        },
    )


@require_GET
def booking_calendar(request: HttpRequest, code: str) -> HttpResponse:
    booking = _booking_for(request, code)
    language = get_language() or "es"
    url = settings.SITE_URL.rstrip("/") + reverse("portal:booking", args=[booking.code])
    title = _("Cita: %(service)s") % {"service": booking.service.title(language)}
    description = _(
        "Código de la cita: %(code)s. Lleve su documento de identidad. Cambiar o cancelar: %(url)s"
    ) % {"code": booking.code, "url": url}
    response = HttpResponse(
        booking_ics(booking, title=title, description=description, url=url),
        content_type="text/calendar; charset=utf-8",
    )
    response["Content-Disposition"] = f'attachment; filename="cita-{booking.code}.ics"'
    return response


@require_http_methods(["GET", "POST"])
def booking_cancel_view(request: HttpRequest, code: str) -> HttpResponse:
    booking = _booking_for(request, code)
    if request.method == "POST":
        try:
            booking_cancel(booking=booking, actor=_user(request))
        except BookingError as error:
            _flash_refusal(request, error)
        else:
            messages.success(
                request, _("Cancelamos su cita. El horario quedó libre para otra persona.")
            )
        return redirect("portal:booking", code=booking.code)
    language = get_language() or "es"
    return render(
        request,
        "portal/appointments/cancel.html",
        {"booking": booking, "when": when_words(booking, language)},
    )


@require_POST
def booking_move(request: HttpRequest, code: str) -> HttpResponse:
    """Move the booking to the time chosen on the times page."""
    booking = _booking_for(request, code)
    starts_at = _parse_time(request.POST.get("hora", ""))
    if starts_at is None:
        messages.error(request, _("Elija una hora de las disponibles."))
    else:
        try:
            moved = booking_reschedule(
                booking=booking,
                starts_at=starts_at,
                actor=_user(request),
                client=client_ip(request),
            )
        except BookingError as error:
            _flash_refusal(request, error)
        else:
            messages.success(
                request,
                _("Su cita cambió al %(when)s.")
                % {"when": when_words(moved, get_language() or "es")},
            )
            return redirect("portal:booking", code=booking.code)
    url = reverse("portal:booking_times", args=[booking.service.slug, booking.point_id])
    return redirect(f"{url}?cambiar={booking.code}")
