"""Appointments through the API: finding points and free times, booking for a person, reading
and cancelling with the holder's ID number; every refusal as JSON with the rule's code, and bad
input (dates, NUL bytes, absurd numbers) answered without a 5xx."""

from __future__ import annotations

import json
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.test import Client

from tests import factories
from tests.appointments.conftest import at
from tests.factories import service_variant
from ventanilla.api.services import api_client_create
from ventanilla.appointments.models import (
    Booking,
    BookingChannel,
    BookingPolicy,
    BookingState,
    Schedule,
    SchedulePeriod,
    Slot,
)
from ventanilla.appointments.services import booking_no_show
from ventanilla.core import clock
from ventanilla.organization.models import Role, ServicePoint

pytestmark = pytest.mark.usefixtures("now")

PERSON = {
    "id_type": "CC",
    "id_number": "1.012.345.678",
    "name": "Ana Pérez",
    "email": "ana@example.co",
    "phone": "3001234567",
    "language": "es",
}


@pytest.fixture
def token(schedule: Schedule) -> str:
    return api_client_create(name="Línea 195", channel="phone").token


def post(client: Client, token: str, data: dict[str, Any]) -> Any:
    return client.post(
        "/api/v1/bookings",
        data,
        content_type="application/json",
        headers={"authorization": f"Bearer {token}"},
    )


def body(schedule: Schedule, when: datetime, **holder: Any) -> dict[str, Any]:
    return {
        "service": schedule.service.slug,
        "service_point": schedule.point.pk,
        "starts_at": when.isoformat(),
        "holder": {**PERSON, **holder},
    }


def book(client: Client, token: str, schedule: Schedule, when: datetime, **holder: Any) -> Any:
    return post(client, token, body(schedule, when, **holder))


def read(client: Client, token: str, code: str, id_number: str, method: str = "get") -> Any:
    return getattr(client, method)(
        f"/api/v1/bookings/{code}?id_number={id_number}",
        headers={"authorization": f"Bearer {token}"},
    )


# ---- Points and free times -------------------------------------------------------------------


def test_points_of_a_service_nearest_first(client: Client, schedule: Schedule) -> None:
    ServicePoint.objects.filter(pk=schedule.point.pk).update(
        latitude="4.630000", longitude="-74.150000"
    )
    other = ServicePoint.objects.get(code="SEDE")
    ServicePoint.objects.filter(pk=other.pk).update(latitude="4.648400", longitude="-74.099300")
    Schedule.objects.create(point=other, service=schedule.service)
    lat, lon = 4.6484, -74.0993
    response = client.get(
        "/api/v1/service-points", {"service": schedule.service.slug, "lat": lat, "lon": lon}
    )
    assert response.status_code == 200
    points = response.json()
    assert [p["id"] for p in points] == [other.pk, schedule.point.pk]
    assert points[0]["distance_km"] == 0.0
    assert points[1]["distance_km"] > 0
    assert points[1]["code"] == schedule.point.code
    assert set(points[1]) >= {"name", "address", "locality", "latitude", "longitude", "kind"}


def test_points_by_words_and_locality_without_a_location(
    client: Client,
    schedule: Schedule,
) -> None:
    point = schedule.point
    found = client.get(
        "/api/v1/service-points",
        {"service": schedule.service.slug, "q": point.name.split()[-1], "locality": ""},
    ).json()
    assert [p["id"] for p in found] == [point.pk]
    assert found[0]["distance_km"] is None
    elsewhere = client.get(
        "/api/v1/service-points", {"service": schedule.service.slug, "locality": "no-such"}
    )
    assert elsewhere.json() == []


def test_points_of_an_unknown_service_or_half_a_location(
    client: Client,
    schedule: Schedule,
) -> None:
    assert client.get("/api/v1/service-points", {"service": "no-such"}).status_code == 404
    half = client.get("/api/v1/service-points", {"service": schedule.service.slug, "lat": 4.6})
    assert half.status_code == 422
    assert half.json()["errors"] == {"lon": ["Give both lat and lon."]}
    absurd = client.get(
        "/api/v1/service-points", {"service": schedule.service.slug, "lat": 400, "lon": -74}
    )
    assert absurd.status_code == 422 and "lat" in absurd.json()["errors"]


def test_slots_in_local_time_with_their_free_seats(client: Client, schedule: Schedule) -> None:
    url = f"/api/v1/service-points/{schedule.point.pk}/slots"
    response = client.get(url, {"service": schedule.service.slug, "days": 2})
    assert response.status_code == 200
    data = response.json()
    assert data["timezone"] == "America/Bogota"
    first = data["slots"][0]
    assert first == {
        "start": "2026-12-01T08:00:00-05:00",
        "end": "2026-12-01T08:20:00-05:00",
        "free": 3,
    }
    days = {datetime.fromisoformat(s["start"]).date() for s in data["slots"]}
    assert days == {date(2026, 12, 1), date(2026, 12, 2)}
    later = client.get(url, {"service": schedule.service.slug, "from": "2026-12-07", "days": 1})
    # The 7th is a Monday; the 8th a holiday.
    assert {s["start"][:10] for s in later.json()["slots"]} == {"2026-12-07"}


def test_slots_count_the_seats_taken(client: Client, token: str, schedule: Schedule) -> None:
    book(client, token, schedule, at(1, 9))
    url = f"/api/v1/service-points/{schedule.point.pk}/slots"
    slots = client.get(url, {"service": schedule.service.slug, "days": 1}).json()["slots"]
    nine = next(s for s in slots if s["start"] == "2026-12-01T09:00:00-05:00")
    assert nine["free"] == 2


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({"from": "2026-13-45"}, 422),
        ({"from": "yesterday"}, 422),
        ({"from": "0001-01-01"}, 200),  # the past means today
        ({"from": "9999-12-31"}, 200),  # beyond the booking window: nothing
        ({"days": 0}, 422),
        ({"days": 15}, 422),
        ({"days": "9" * 40}, 422),
        ({"service": "no-such"}, 404),
        ({"service": "x" * 81}, 422),
    ],
)
def test_bad_slot_queries_are_clear_refusals(
    client: Client,
    schedule: Schedule,
    query: dict[str, Any],
    status: int,
) -> None:
    url = f"/api/v1/service-points/{schedule.point.pk}/slots"
    response = client.get(url, {"service": schedule.service.slug, **query})
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    if query.get("from") == "9999-12-31":
        assert response.json()["slots"] == []


@pytest.mark.parametrize("point_id", ["0", "99999", "9" * 30, "-1", "abc"])
def test_slots_of_a_point_that_takes_no_appointments(
    client: Client,
    schedule: Schedule,
    point_id: str,
) -> None:
    response = client.get(
        f"/api/v1/service-points/{point_id}/slots", {"service": schedule.service.slug}
    )
    assert response.status_code in (404, 422)
    assert response["Content-Type"].startswith("application/json")


def test_a_point_without_a_schedule_for_the_service_has_no_slots(
    client: Client,
    schedule: Schedule,
) -> None:
    other = ServicePoint.objects.exclude(pk=schedule.point.pk).first()
    assert other is not None
    response = client.get(
        f"/api/v1/service-points/{other.pk}/slots", {"service": schedule.service.slug}
    )
    assert response.status_code == 404


# ---- Booking ---------------------------------------------------------------------------------


def test_book_read_and_cancel(client: Client, token: str, schedule: Schedule) -> None:
    response = book(client, token, schedule, at(2, 10, 20))
    assert response.status_code == 201, response.content
    booked = response.json()
    code = booked["code"]
    assert booked["state"] == "booked"
    assert booked["starts_at"] == "2026-12-02T10:20:00-05:00"
    assert booked["ends_at"] == "2026-12-02T10:40:00-05:00"
    assert booked["service_point"]["id"] == schedule.point.pk
    assert booked["service"]["slug"] == schedule.service.slug
    assert booked["channel"] == "api"
    assert "?clave=" in booked["manage_url"] and code in booked["manage_url"]
    stored = Booking.objects.get(code=code)
    assert (stored.channel, stored.id_number) == (BookingChannel.API, "1012345678")

    shown = read(client, token, code, "1012345678")
    assert shown.status_code == 200 and shown.json()["code"] == code
    # The number as people type it, and the code in lower case without its dash.
    relaxed = read(client, token, code.replace("-", "").lower(), "1.012.345.678")
    assert relaxed.status_code == 200

    cancelled = read(client, token, code, "1012345678", "delete")
    assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"
    assert Slot.objects.get(point=schedule.point, starts_at=at(2, 10, 20)).booked == 0
    again = read(client, token, code, "1012345678", "delete")
    assert again.status_code == 409 and again.json()["code"] == "not_active"


def test_another_systems_token_with_the_holders_number_may_read_it(
    client: Client,
    token: str,
    schedule: Schedule,
) -> None:
    code = book(client, token, schedule, at(2, 8)).json()["code"]
    other = api_client_create(name="Chatbot", channel="api").token
    assert read(client, other, code, "1012345678").status_code == 200


@pytest.mark.parametrize("id_number", ["", "1012345679", "101234567", "0", "x" * 20])
def test_a_wrong_or_missing_id_number_is_a_404_like_an_unknown_code(
    client: Client,
    token: str,
    schedule: Schedule,
    id_number: str,
) -> None:
    code = book(client, token, schedule, at(2, 8)).json()["code"]
    for method in ("get", "delete"):
        response = read(client, token, code, id_number, method)
        assert response.status_code in (404, 422), response.content
        if id_number:
            assert response.status_code == 404
            assert response.json() == {"detail": "No booking with that code and ID number."}
    unknown = read(client, token, "ZZZZ-ZZZZ", "1012345678")
    assert unknown.status_code == 404
    assert unknown.json() == {"detail": "No booking with that code and ID number."}
    assert Booking.objects.get(code=code).state == BookingState.BOOKED


def test_reading_and_cancelling_take_a_token(
    client: Client, token: str, schedule: Schedule
) -> None:
    code = book(client, token, schedule, at(2, 8)).json()["code"]
    assert client.get(f"/api/v1/bookings/{code}?id_number=1012345678").status_code == 401
    assert client.delete(f"/api/v1/bookings/{code}?id_number=1012345678").status_code == 401
    assert client.post("/api/v1/bookings", {}, content_type="application/json").status_code == 401


def test_guessing_id_numbers_is_limited_per_client(
    client: Client,
    token: str,
    schedule: Schedule,
) -> None:
    code = book(client, token, schedule, at(2, 8)).json()["code"]
    for guess in range(60):
        assert read(client, token, code, f"{guess:06d}").status_code == 404
    refused = read(client, token, code, "1012345678")
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited"
    assert int(refused["Retry-After"]) > 0
    # Another client is not locked out by this one's guesses.
    other = api_client_create(name="Chatbot", channel="api").token
    assert read(client, other, code, "1012345678").status_code == 200


def test_the_last_seat_goes_once(client: Client, token: str, schedule: Schedule) -> None:
    for number in ("11111111", "22222222", "33333333"):
        assert book(client, token, schedule, at(2, 9), id_number=number).status_code == 201
    full = book(client, token, schedule, at(2, 9), id_number="44444444")
    assert full.status_code == 409
    assert full.json()["code"] == "slot_full"
    assert "último cupo" in full.json()["detail"]


def test_refusals_speak_the_holders_language(
    client: Client,
    token: str,
    schedule: Schedule,
) -> None:
    book(client, token, schedule, at(2, 9))
    again = book(client, token, schedule, at(2, 10), language="en")
    assert again.status_code == 409
    assert again.json()["code"] == "already_booked"
    assert "This ID already has an appointment for this service" in again.json()["detail"]
    assert "2, 2026" in again.json()["detail"]
    spanish = book(client, token, schedule, at(2, 10), language="es")
    assert "2 de diciembre de 2026" in spanish.json()["detail"]


def test_one_pending_booking_per_id_and_service(
    client: Client,
    token: str,
    schedule: Schedule,
) -> None:
    first = book(client, token, schedule, at(2, 9))
    second = book(client, token, schedule, at(3, 9), id_number="1012345678")
    assert first.status_code == 201
    assert second.status_code == 409 and second.json()["code"] == "already_booked"


def test_the_maximum_of_pending_bookings_per_id(
    client: Client,
    token: str,
    schedule: Schedule,
) -> None:
    BookingPolicy.objects.create(entity=schedule.service.entity, max_active_per_id=1)
    other = service_variant(schedule.service, "certificado-api")
    second = Schedule.objects.create(point=schedule.point, service=other, capacity=2)
    SchedulePeriod.objects.create(schedule=second, weekday=2, opens=time(8), closes=time(12))
    assert book(client, token, schedule, at(2, 9)).status_code == 201
    refused = book(client, token, second, at(2, 9))
    assert refused.status_code == 409 and refused.json()["code"] == "limit_reached"


def test_no_shows_block_new_bookings(client: Client, token: str, schedule: Schedule) -> None:
    official = factories.official(schedule.point.dependency, Role.HANDLER)
    for day in (1, 2):
        missed = book(client, token, schedule, at(day, 14)).json()["code"]
        with clock.frozen(at(day, 16)):
            booking_no_show(booking=Booking.objects.get(code=missed), actor=official)
    with clock.frozen(at(2, 17)):
        refused = book(client, token, schedule, at(3, 9))
    assert refused.status_code == 409 and refused.json()["code"] == "blocked"


@pytest.mark.parametrize(
    "when",
    [
        at(1, 7, 30),  # within the hour of notice
        at(1, 12, 0),  # lunch break
        at(1, 9, 10),  # between two times
        at(5, 9),  # Saturday
        at(8, 9),  # a holiday
        datetime(2027, 6, 1, 9, tzinfo=ZoneInfo("America/Bogota")),  # beyond the window
        datetime(2026, 11, 30, 9, tzinfo=ZoneInfo("America/Bogota")),  # the past
    ],
)
def test_a_time_the_point_does_not_offer_is_a_422(
    client: Client,
    token: str,
    schedule: Schedule,
    when: datetime,
) -> None:
    response = book(client, token, schedule, when)
    assert response.status_code == 422
    assert response.json()["code"] == "not_available"
    assert list(response.json()["errors"]) == ["starts_at"]


def test_the_same_instant_in_another_offset_is_the_same_time(
    client: Client,
    token: str,
    schedule: Schedule,
) -> None:
    utc = at(2, 9).astimezone(ZoneInfo("UTC"))
    response = book(client, token, schedule, utc)
    assert response.status_code == 201
    assert response.json()["starts_at"] == "2026-12-02T09:00:00-05:00"


@pytest.mark.parametrize(
    ("change", "path"),
    [
        ({"starts_at": "2026-12-02T09:00:00"}, "starts_at"),  # no UTC offset
        ({"starts_at": "0001-01-01T00:00:00+14:00"}, "starts_at"),
        ({"starts_at": "9999-12-31T23:59:59-12:00"}, "starts_at"),
        ({"starts_at": "mañana"}, "starts_at"),
        ({"service": "no-such"}, "service"),
        ({"service": "a\x00b"}, "service"),
        ({"service_point": 0}, "service_point"),
        ({"service_point": 2**63}, "service_point"),
        ({"holder": {**PERSON, "id_type": "XX"}}, "holder.id_type"),
        ({"holder": {**PERSON, "id_number": "12"}}, "holder.id_number"),
        ({"holder": {**PERSON, "id_number": "10123\x0045678"}}, "holder.id_number"),
        ({"holder": {**PERSON, "name": ""}}, "holder.name"),
        ({"holder": {**PERSON, "name": "Ana\x00"}}, "holder.name"),
        ({"holder": {**PERSON, "name": "A" * 201}}, "holder.name"),
        ({"holder": {**PERSON, "email": "not-an-email"}}, "holder.email"),
        ({"holder": {**PERSON, "phone": "3" * 21}}, "holder.phone"),
    ],
)
def test_bad_input_is_a_422_on_its_field(
    client: Client,
    token: str,
    schedule: Schedule,
    change: dict[str, Any],
    path: str,
) -> None:
    response = post(client, token, {**body(schedule, at(2, 9)), **change})
    assert response.status_code == 422, response.content
    assert path in response.json()["errors"], response.json()
    assert not Booking.objects.exists()


def test_another_service_point_than_the_one_with_the_schedule(
    client: Client,
    token: str,
    schedule: Schedule,
) -> None:
    other = ServicePoint.objects.exclude(pk=schedule.point.pk).first()
    assert other is not None
    response = post(client, token, {**body(schedule, at(2, 9)), "service_point": other.pk})
    assert response.status_code == 422
    assert "service_point" in response.json()["errors"]


def test_nul_bytes_and_absurd_paths_on_reading(
    client: Client,
    token: str,
    schedule: Schedule,
) -> None:
    code = book(client, token, schedule, at(2, 8)).json()["code"]
    for path in (
        f"/api/v1/bookings/{code}?id_number=1012345678%00",
        f"/api/v1/bookings/{code}%00?id_number=1012345678",
        f"/api/v1/bookings/{'A' * 500}?id_number=1012345678",
        f"/api/v1/bookings/{code}?id_number={'9' * 500}",
        "/api/v1/service-points?service=slug%00",
        f"/api/v1/service-points/{schedule.point.pk}/slots?service=x&from=2026-12-01%00",
    ):
        response = client.get(path, headers={"authorization": f"Bearer {token}"})
        assert response.status_code in (400, 404, 422), (path, response.status_code)


def test_the_api_client_is_the_rate_limit_client(
    client: Client,
    token: str,
    schedule: Schedule,
    settings: Any,
) -> None:
    settings.BOOKINGS_PER_API_CLIENT_PER_HOUR = 2
    assert book(client, token, schedule, at(2, 8), id_number="11111111").status_code == 201
    assert book(client, token, schedule, at(2, 8), id_number="22222222").status_code == 201
    refused = book(client, token, schedule, at(2, 8), id_number="33333333")
    assert refused.status_code == 429
    assert refused.json()["code"] == "rate_limited"
    assert 0 < int(refused["Retry-After"]) <= 3600
    # Another client, from the same address, still books.
    other = api_client_create(name="Chatbot", channel="api").token
    assert book(client, other, schedule, at(2, 8), id_number="33333333").status_code == 201


def test_a_citizens_own_token_books_into_their_account(
    client: Client,
    schedule: Schedule,
) -> None:
    person = factories.user()
    own = api_client_create(name="Ana", user=person).token
    response = book(client, own, schedule, at(2, 8))
    assert response.status_code == 201
    assert Booking.objects.get(code=response.json()["code"]).user == person


def test_the_openapi_document_declares_every_refusal() -> None:
    from ventanilla.api.main import api

    paths = json.loads(json.dumps(api.get_openapi_schema()["paths"]))
    create = paths["/api/v1/bookings"]["post"]["responses"]
    assert {"201", "400", "401", "409", "422", "429"} <= set(create)
    assert {"404", "409", "429"} <= set(paths["/api/v1/bookings/{code}"]["delete"]["responses"])
    assert {"404", "429"} <= set(paths["/api/v1/bookings/{code}"]["get"]["responses"])
