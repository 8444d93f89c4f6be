"""Appointment endpoints: the points that take appointments for a service, their free times,
and booking, reading and cancelling a seat for a person.

Finding points and free times is public, like the catalogue. Booking takes an API client's
token (a call centre, a chatbot, another entity's system, or a citizen's own token): the client
is what the hourly booking limit counts. Reading or cancelling a booking takes a token and the
holder's ID number besides the code, compared in constant time; a wrong or missing number is
the same 404 as an unknown code, and wrong numbers are limited per client.

No `from __future__ import annotations` here: django-ninja reads the annotations at import.
"""

from datetime import date, datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.crypto import constant_time_compare
from ninja import Field, Path, Query, Router, Schema, Status
from pydantic import AwareDatetime

from ventanilla.accounts.id_documents import IdType, validate_id_number
from ventanilla.api.cases import bearer
from ventanilla.api.models import ApiClient
from ventanilla.api.schemas import Line, Slug, error_responses
from ventanilla.appointments import notices, selectors
from ventanilla.appointments.models import Booking, BookingChannel
from ventanilla.appointments.services import (
    BookingError,
    Holder,
    api_client_key,
    booking_cancel,
    booking_create,
    manage_token,
)
from ventanilla.catalog.models import Service
from ventanilla.core.ratelimit import Limit, wait_seconds

router = Router(tags=["appointments"])

MAX_ID = 2**31 - 1  # primary keys are 32-bit integers on every database we run on
# Wrong ID numbers one API client may send in 15 minutes when reading or cancelling bookings.
LOOKUP_MISSES_PER_CLIENT = 60
# A BookingError's code → the status it answers with; any other code is a 422.
REFUSALS = {
    "slot_full": 409,
    "already_booked": 409,
    "limit_reached": 409,
    "blocked": 409,
    "not_active": 409,
    "rate_limited": 429,
}

Latitude = Annotated[float, Field(ge=-90, le=90)]
Longitude = Annotated[float, Field(ge=-180, le=180)]
PointId = Annotated[int, Path(ge=1, le=MAX_ID)]
BookingCode = Annotated[str, Path(max_length=20, pattern=r"^[A-Za-z0-9-]+$")]
IdNumber = Annotated[str, Query(max_length=20, pattern=r"^[A-Za-z0-9. -]+$")]


# ---- Schemas -------------------------------------------------------------------------------


class PointsQuery(Schema):
    service: Slug = Field(..., description="The service's slug (`GET /services`).")
    locality: Line = Field(default="", max_length=10, description="A locality's code.")
    q: Line = Field(default="", max_length=100, description="Words of the name or address.")
    lat: Latitude | None = Field(default=None, description="With `lon`: nearest first.")
    lon: Longitude | None = None
    limit: int = Field(default=50, ge=1, le=200)


class LocalityOut(Schema):
    code: str
    name: str


class BookablePointOut(Schema):
    id: int = Field(description="What `/service-points/{id}/slots` and bookings take.")
    code: str
    name: str
    kind: str
    address: str
    locality: LocalityOut
    latitude: float | None
    longitude: float | None
    distance_km: float | None = Field(description="From `lat`/`lon`, when given.")


class SlotOut(Schema):
    start: datetime = Field(description="ISO 8601 with the point's UTC offset.")
    end: datetime
    free: int = Field(description="Seats still free at this time.")


class SlotsOut(Schema):
    service_point: int
    service: str
    timezone: str
    slots: list[SlotOut]


class HolderIn(Schema):
    id_type: IdType = Field(description="CC, TI, RC, CE, PA, PPT or NIT.")
    id_number: Line = Field(..., max_length=20, description="Checked at the door.")
    name: Line = Field(..., min_length=1, max_length=200)
    email: Line = Field(default="", max_length=254)
    phone: Line = Field(default="", max_length=20)
    language: Line = Field(default="es", max_length=8, description="es or en.")


class BookingIn(Schema):
    service: Slug = Field(..., description="The service's slug.")
    service_point: int = Field(..., ge=1, le=MAX_ID, description="The point's `id`.")
    starts_at: AwareDatetime = Field(
        ..., description="A `start` of `/service-points/{id}/slots`, with its UTC offset."
    )
    holder: HolderIn


class BookedPointOut(Schema):
    id: int
    code: str
    name: str
    address: str


class BookedServiceOut(Schema):
    slug: str
    title: str


class BookingOut(Schema):
    code: str = Field(description="What the holder shows, e.g. K7QM-2XPD.")
    state: str = Field(description="booked, checked_in, no_show or cancelled.")
    starts_at: datetime
    ends_at: datetime
    service: BookedServiceOut
    service_point: BookedPointOut
    holder_name: str
    channel: str
    manage_url: str = Field(
        description="The holder's own page of the booking (calendar file, move, cancel): "
        "send it to them, it is good for this booking only."
    )


class RefusedOut(Schema):
    """A booking the rules refuse: `code` for programs, `detail` for the person (in the
    holder's language)."""

    detail: str
    code: str


class BookingInvalidOut(Schema):
    """Bad input: `errors` maps each field path to what is wrong; `code` names the booking
    rule that refused it (`not_available`, `holder_missing`), if one did."""

    detail: str
    errors: dict[str, list[str]]
    code: str = ""


# ---- Helpers -------------------------------------------------------------------------------


def _errors(*codes: int) -> dict[int, type[Schema]]:
    """The error statuses of a booking endpoint: refusals (409, 429) carry the rule's code."""
    errors = error_responses(*codes, 429)
    errors[429] = RefusedOut
    if 409 in errors:
        errors[409] = RefusedOut
    return errors


def _service(slug: str) -> Service | None:
    return Service.objects.filter(slug=slug, is_published=True).select_related("entity").first()


def _float(value: Any) -> float | None:
    return float(value) if value is not None else None


def _language(value: str) -> str:
    return "en" if value == "en" else "es"


def _booking_out(booking: Booking) -> dict[str, Any]:
    language = _language(booking.language)
    point = booking.point
    zone = ZoneInfo(point.entity.timezone)
    return {
        "code": booking.code,
        "state": booking.state,
        "starts_at": booking.starts_at.astimezone(zone),
        "ends_at": booking.ends_at.astimezone(zone),
        "service": {"slug": booking.service.slug, "title": booking.service.title(language)},
        "service_point": {
            "id": point.pk,
            "code": point.code,
            "name": point.name,
            "address": point.address,
        },
        "holder_name": booking.name,
        "channel": booking.channel,
        "manage_url": notices.manage_url(booking, manage_token(booking), language),
    }


def _invalid(path: str, message: str, code: str = "") -> Status[Any]:
    return Status(
        422,
        {"detail": "The booking has errors.", "errors": {path: [message]}, "code": code},
    )


def _refusal(error: BookingError) -> Status[Any]:
    status = REFUSALS.get(error.code)
    if status is None:
        path = "starts_at" if error.code == "not_available" else "holder"
        return _invalid(path, error.message, error.code)
    return Status(status, {"detail": error.message, "code": error.code})


def _holder_booking(
    request: HttpRequest, response: HttpResponse, code: str, id_number: str
) -> Booking | Status[Any]:
    """The booking of `code` if `id_number` is its holder's; the same 404 otherwise."""
    client: ApiClient = request.auth  # type: ignore[attr-defined]
    limit = Limit(f"booking-lookup-api:{client.pk}", LOOKUP_MISSES_PER_CLIENT, 900)
    wait = wait_seconds([limit])
    if wait:
        response["Retry-After"] = str(wait)
        return Status(
            429,
            {
                "detail": f"Too many wrong ID numbers; try again in {wait} seconds.",
                "code": "rate_limited",
            },
        )
    booking = selectors.booking_by_code(code)
    given = "".join(ch for ch in id_number if ch.isalnum()).upper()
    held = booking.id_number.replace("-", "").upper() if booking is not None else ""
    # Compared even without a booking, so that an unknown code costs the same time.
    matches = constant_time_compare(given, held or "-")
    if booking is None or not given or not matches:
        limit.hit()
        return Status(404, {"detail": "No booking with that code and ID number."})
    return booking


# ---- Endpoints -----------------------------------------------------------------------------


@router.get(
    "/service-points",
    response={200: list[BookablePointOut], **error_responses(404)},
    summary="Points that take appointments for a service",
)
def search_service_points(request: HttpRequest, filters: Query[PointsQuery]) -> Any:
    """The active schools, centres and offices where the service can be booked, by words of
    the name or address (`q`) and `locality`; nearest first when `lat` and `lon` are given
    (points without a location last), else by name."""
    service = _service(filters.service)
    if service is None:
        return Status(404, {"detail": "No published service with that slug."})
    if (filters.lat is None) != (filters.lon is None):
        return Status(
            422,
            {
                "detail": "The request has errors.",
                "errors": {"lat" if filters.lat is None else "lon": ["Give both lat and lon."]},
            },
        )
    near = (
        (filters.lat, filters.lon) if filters.lat is not None and filters.lon is not None else None
    )
    choices = selectors.points_search(
        service=service, text=filters.q, locality=filters.locality, near=near, limit=filters.limit
    )
    return [
        {
            "id": choice.point.pk,
            "code": choice.point.code,
            "name": choice.point.name,
            "kind": choice.point.kind,
            "address": choice.point.address,
            "locality": {"code": choice.point.locality.code, "name": choice.point.locality.name},
            "latitude": _float(choice.point.latitude),
            "longitude": _float(choice.point.longitude),
            "distance_km": round(choice.km, 3) if choice.km is not None else None,
        }
        for choice in choices
    ]


@router.get(
    "/service-points/{point_id}/slots",
    response={200: SlotsOut, **error_responses(404)},
    summary="Free times of a point for a service",
)
def list_slots(
    request: HttpRequest,
    point_id: PointId,
    service: Slug,
    from_: Annotated[date | None, Query(alias="from")] = None,
    days: Annotated[int, Query(ge=1, le=14)] = 7,
) -> Any:
    """The free times of the next `days` days that have any (from `from`, today by default),
    within the point's booking window: each with its start and end in the point's local time
    (ISO 8601 with the UTC offset) and its free seats."""
    found = _service(service)
    if found is None:
        return Status(404, {"detail": "No published service with that slug."})
    point = (
        selectors.points_with_schedules(found).select_related("entity").filter(pk=point_id).first()
    )
    if point is None:
        return Status(404, {"detail": "This service point takes no appointments for it."})
    free = selectors.free_times(point=point, service=found, start=from_, days=days)
    return {
        "service_point": point.pk,
        "service": found.slug,
        "timezone": point.entity.timezone,
        "slots": [
            {"start": t.starts_at, "end": t.ends_at, "free": t.free}
            for day in free
            for t in day.times
        ],
    }


@router.post(
    "/bookings",
    auth=bearer,
    response={201: BookingOut, **_errors(401, 409), 422: BookingInvalidOut},
    summary="Book a time for a person",
)
def create_booking(request: HttpRequest, response: HttpResponse, payload: BookingIn) -> Any:
    """Book one seat at `starts_at` for the holder, whose ID number the point checks at the
    door. Refusals carry the rule's `code`: 409 `slot_full` (somebody took the last seat),
    `already_booked` (the ID number has a pending booking for this service), `limit_reached`
    (its maximum of pending bookings), `blocked` (too many no-shows lately); 422 for bad input
    or a time the point does not offer (`not_available`); 429 `rate_limited`."""
    client: ApiClient = request.auth  # type: ignore[attr-defined]
    language = _language(payload.holder.language)
    service = _service(payload.service)
    if service is None:
        return _invalid("service", "No published service with that slug.")
    point = (
        selectors.points_with_schedules(service)
        .select_related("entity")
        .filter(pk=payload.service_point)
        .first()
    )
    if point is None:
        return _invalid("service_point", "This service point takes no appointments for it.")
    with translation.override(language):
        try:
            id_number = validate_id_number(payload.holder.id_type, payload.holder.id_number)
        except ValidationError as error:
            return _invalid("holder.id_number", str(error.messages[0]))
        if payload.holder.email:
            try:
                validate_email(payload.holder.email)
            except ValidationError:
                return _invalid("holder.email", "Not a valid email address.")
        holder = Holder(
            id_type=IdType(payload.holder.id_type).value,
            id_number=id_number,
            name=payload.holder.name,
            email=payload.holder.email,
            phone=payload.holder.phone,
            language=language,
            user=client.user,
        )
        try:
            booking = booking_create(
                point=point,
                service=service,
                starts_at=payload.starts_at,
                holder=holder,
                channel=BookingChannel.API,
                client=api_client_key(client.pk),
            )
        except BookingError as error:
            if error.retry_after:
                response["Retry-After"] = str(error.retry_after)
            return _refusal(error)
    return Status(201, _booking_out(booking))


@router.get(
    "/bookings/{code}",
    auth=bearer,
    response={200: BookingOut, **_errors(401, 404)},
    summary="A booking, with its holder's ID number",
    url_name="booking",
)
def get_booking(
    request: HttpRequest, response: HttpResponse, code: BookingCode, id_number: IdNumber
) -> Any:
    """The booking of `code`, when `id_number` is its holder's. An unknown code and a wrong
    number are the same 404; wrong numbers are limited per client (429 with `Retry-After`)."""
    found = _holder_booking(request, response, code, id_number)
    if isinstance(found, Status):
        return found
    return _booking_out(found)


@router.delete(
    "/bookings/{code}",
    auth=bearer,
    response={200: BookingOut, **_errors(401, 404, 409)},
    summary="Cancel a booking, with its holder's ID number",
    url_name="booking",
)
def cancel_booking(
    request: HttpRequest, response: HttpResponse, code: BookingCode, id_number: IdNumber
) -> Any:
    """Cancel the booking of `code` (its seat is free again at once) when `id_number` is its
    holder's; 409 `not_active` when it is no longer pending. Answers with the booking."""
    found = _holder_booking(request, response, code, id_number)
    if isinstance(found, Status):
        return found
    try:
        cancelled = booking_cancel(booking=found)
    except BookingError as error:
        return _refusal(error)
    return _booking_out(cancelled)
