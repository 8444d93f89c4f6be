"""Booking from the portal, as a guest and signed in; opening, moving and cancelling it."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from icalendar import Calendar

from tests import factories
from tests.appointments.conftest import BOGOTA, at
from ventanilla.appointments.models import Booking, BookingState, Schedule, Slot
from ventanilla.appointments.services import manage_token

pytestmark = pytest.mark.usefixtures("now")


def _urls(schedule: Schedule) -> tuple[str, str]:
    base = f"/citas/agendar/{schedule.service.slug}/{schedule.point.pk}/"
    return base, f"{base}datos/"


def _guest_books(client: Client, schedule: Schedule, capture: Any, **holder: str) -> Booking:
    _times, details = _urls(schedule)
    hora = at(1, 9).isoformat()
    data = {
        "step": "details",
        "hora": hora,
        "name": "Marta Díaz",
        "id_type": "CC",
        "id_number": "52.123.456",
        "email": "marta@example.co",
        "phone": "",
        **holder,
    }
    with capture(execute=True):
        sent = client.post(details, data)
    assert sent.status_code == 302
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body)
    assert code, mail.outbox[-1].body
    page = client.get(sent["Location"])
    assert "Escriba el código de 6 cifras" in page.content.decode()
    wrong = client.post(details, {"step": "code", "hora": hora, "code": "000000"})
    assert "El código no coincide" in wrong.content.decode()
    assert not Booking.objects.exists()
    with capture(execute=True):
        done = client.post(details, {"step": "code", "hora": hora, "code": code.group(1)})
    booking = Booking.objects.get()
    assert done["Location"] == f"/citas/{booking.code}/"
    return booking


def test_points_times_and_details_pages(client: Client, schedule: Schedule) -> None:
    points = client.get(f"/citas/agendar/{schedule.service.slug}/?localidad=08")
    assert schedule.point.name in points.content.decode()
    nowhere = client.get(f"/citas/agendar/{schedule.service.slug}/?q=inexistente")
    assert schedule.point.name not in nowhere.content.decode()
    times_url, details = _urls(schedule)
    times = client.get(times_url).content.decode()
    assert "1 de diciembre de 2026" in times
    assert 'value="2026-12-01T09:00:00-05:00"' in times
    assert "08:00" in times and "14:00" in times and "12:00" not in times
    assert client.get(details).status_code == 302  # no time chosen: back to the times
    page = client.get(details, {"hora": at(1, 9).isoformat()}).content.decode()
    assert "09:00" in page and "Número de documento" in page


def test_a_guest_confirms_their_email_and_books(
    client: Client, schedule: Schedule, django_capture_on_commit_callbacks: Any
) -> None:
    booking = _guest_books(client, schedule, django_capture_on_commit_callbacks)
    assert (booking.id_number, booking.email, booking.user) == (
        "52123456",
        "marta@example.co",
        None,
    )
    page = client.get(f"/citas/{booking.code}/").content.decode()
    assert "1 de diciembre de 2026, 09:00" in page
    assert booking.code in page and "<svg" in page
    assert "Su cita quedó agendada" in page
    confirmation = mail.outbox[-1]
    assert booking.code in confirmation.body and "?clave=" in confirmation.body


def test_the_calendar_file_has_the_local_time(
    client: Client, schedule: Schedule, django_capture_on_commit_callbacks: Any
) -> None:
    booking = _guest_books(client, schedule, django_capture_on_commit_callbacks)
    response = client.get(f"/citas/{booking.code}/cita.ics")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    (event,) = calendar.walk("VEVENT")
    start = event.decoded("dtstart")
    assert start == at(1, 9)
    assert start.utcoffset().total_seconds() == -5 * 3600
    assert str(event["dtstart"].params["TZID"]) == "America/Bogota"
    assert calendar.walk("VTIMEZONE")
    assert schedule.point.name in str(event["location"])


def test_a_second_booking_for_the_same_service_shows_the_first(
    client: Client, schedule: Schedule, django_capture_on_commit_callbacks: Any
) -> None:
    first = _guest_books(client, schedule, django_capture_on_commit_callbacks)
    other = Client()
    _times, details = _urls(schedule)
    hora = at(2, 9).isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        other.post(
            details,
            {
                "step": "details",
                "hora": hora,
                "name": "Otra persona",
                "id_type": "CC",
                "id_number": "52123456",
                "email": "otra@example.co",
            },
        )
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body)
    assert code
    refused = other.post(details, {"step": "code", "hora": hora, "code": code.group(1)})
    assert refused["Location"] == f"/citas/{first.code}/"
    assert Booking.objects.count() == 1


def test_a_signed_in_citizen_books_in_one_step(client: Client, schedule: Schedule) -> None:
    person = factories.user(
        "ana@example.co", first_name="Ana", last_name="Ruiz", id_type="CC", id_number="1012345678"
    )
    client.force_login(person)
    _times, details = _urls(schedule)
    form = client.get(details, {"hora": at(1, 10).isoformat()}).content.decode()
    assert 'value="1012345678"' in form
    done = client.post(
        details,
        {
            "step": "details",
            "hora": at(1, 10).isoformat(),
            "name": "Ana Ruiz",
            "id_type": "CC",
            "id_number": "1012345678",
            "email": "",
        },
    )
    booking = Booking.objects.get()
    assert booking.user == person and booking.email == "ana@example.co"
    assert done["Location"] == f"/citas/{booking.code}/"
    mine = client.get("/mi-cuenta/mis-datos.json").json()["appointments"]
    assert [(b["code"], b["id_number"]) for b in mine] == [(booking.code, "1012345678")]
    home = client.get("/citas/").content.decode()
    assert f"/citas/{booking.code}/" in home and schedule.point.name in home  # pending


def test_bad_details_are_refused_and_kept(client: Client, schedule: Schedule) -> None:
    _times, details = _urls(schedule)
    page = client.post(
        details,
        {
            "step": "details",
            "hora": at(1, 9).isoformat(),
            "name": "Marta Díaz",
            "id_type": "CC",
            "id_number": "12",
            "email": "no-es-correo",
        },
    ).content.decode()
    assert "La cédula tiene de 4 a 10 cifras" in page
    assert 'value="Marta Díaz"' in page
    assert not Booking.objects.exists() and not mail.outbox


def test_a_taken_time_sends_back_to_the_times_with_the_reason(
    client: Client, schedule: Schedule
) -> None:
    person = factories.user(id_type="CC", id_number="1012345678")
    client.force_login(person)
    Slot.objects.create(
        point=schedule.point,
        service=schedule.service,
        starts_at=at(1, 9),
        minutes=20,
        capacity=3,
        booked=3,
    )
    _times, details = _urls(schedule)
    done = client.post(
        details,
        {
            "step": "details",
            "hora": at(1, 9).isoformat(),
            "name": "Ana",
            "id_type": "CC",
            "id_number": "1012345678",
        },
        follow=True,
    )
    assert "último cupo" in done.content.decode()
    assert not Booking.objects.exists()


def test_the_key_the_lookup_and_strangers(
    client: Client, schedule: Schedule, django_capture_on_commit_callbacks: Any
) -> None:
    booking = _guest_books(client, schedule, django_capture_on_commit_callbacks)
    stranger = Client()
    assert stranger.get(f"/citas/{booking.code}/").status_code == 404
    assert stranger.get(f"/citas/{booking.code}/cita.ics").status_code == 404
    assert stranger.get(f"/citas/{booking.code}/?clave=wrong").status_code == 404
    assert stranger.post(f"/citas/{booking.code}/cancelar/").status_code == 404
    wrong = stranger.post("/citas/consultar/", {"codigo": booking.code, "documento": "99999999"})
    assert "No encontramos una cita" in wrong.content.decode()
    found = stranger.post(
        "/citas/consultar/",
        {"codigo": booking.code.lower().replace("-", " "), "documento": "52123456"},
    )
    assert found["Location"] == f"/citas/{booking.code}/"
    keyed = Client().get(f"/citas/{booking.code}/?clave={manage_token(booking)}")
    assert keyed["Location"] == f"/citas/{booking.code}/"


def test_lookup_guessing_is_limited(client: Client, schedule: Schedule) -> None:
    for _ in range(20):
        client.post("/citas/consultar/", {"codigo": "AAAA-BBBB", "documento": "1"})
    page = client.post("/citas/consultar/", {"codigo": "AAAA-BBBB", "documento": "1"})
    assert "demasiados intentos" in page.content.decode()


def test_move_and_cancel_from_the_booking_page(
    client: Client, schedule: Schedule, django_capture_on_commit_callbacks: Any
) -> None:
    booking = _guest_books(client, schedule, django_capture_on_commit_callbacks)
    times_url, _details = _urls(schedule)
    choose = client.get(times_url, {"cambiar": booking.code}).content.decode()
    assert f"/citas/{booking.code}/cambiar/" in choose and "Está cambiando su cita" in choose
    moved = client.post(f"/citas/{booking.code}/cambiar/", {"hora": at(2, 15).isoformat()})
    assert moved["Location"] == f"/citas/{booking.code}/"
    booking.refresh_from_db()
    assert booking.starts_at == at(2, 15).astimezone(BOGOTA)
    confirm = client.get(f"/citas/{booking.code}/cancelar/").content.decode()
    assert "2 de diciembre de 2026, 15:00" in confirm
    client.post(f"/citas/{booking.code}/cancelar/")
    booking.refresh_from_db()
    assert booking.state == BookingState.CANCELLED
    assert dict(Slot.objects.values_list("starts_at", "booked")) == {at(1, 9): 0, at(2, 15): 0}
    page = client.get(f"/citas/{booking.code}/").content.decode()
    assert "Cambiar la hora" not in page


def test_a_guest_without_email_confirms_by_text_message(
    client: Client, schedule: Schedule, django_capture_on_commit_callbacks: Any, caplog: Any
) -> None:
    from ventanilla.notifications.models import Notification

    _times, details = _urls(schedule)
    hora = at(1, 9).isoformat()
    with django_capture_on_commit_callbacks(execute=True), caplog.at_level("INFO"):
        client.post(
            details,
            {
                "step": "details",
                "hora": hora,
                "name": "Rosa Gil",
                "id_type": "CC",
                "id_number": "41234567",
                "email": "",
                "phone": "300 123 4567",
            },
        )
    sms = Notification.objects.get(event="appointment_code")
    assert (sms.channel, sms.recipient, sms.state) == ("sms", "3001234567", "sent")
    assert sms.body == "" and sms.context == {}  # the code is erased once sent
    code = re.search(r"es (\d{6})\.", caplog.text)
    assert code, caplog.text
    with django_capture_on_commit_callbacks(execute=True):
        client.post(details, {"step": "code", "hora": hora, "code": code.group(1)})
    booking = Booking.objects.get()
    assert (booking.phone, booking.email) == ("3001234567", "")
    assert Notification.objects.filter(event="appointment_booked", channel="sms").exists()


def test_a_guest_must_give_an_email_or_a_phone(client: Client, schedule: Schedule) -> None:
    _times, details = _urls(schedule)
    page = client.post(
        details,
        {
            "step": "details",
            "hora": at(1, 9).isoformat(),
            "name": "Rosa Gil",
            "id_type": "CC",
            "id_number": "41234567",
        },
    ).content.decode()
    assert "Escriba un correo o un celular" in page
    assert not Booking.objects.exists()


def test_the_service_page_offers_booking_where_a_point_has_a_schedule(
    client: Client, schedule: Schedule
) -> None:
    page = client.get(f"/tramites/{schedule.service.slug}/?localidad=08").content.decode()
    assert f'href="/citas/agendar/{schedule.service.slug}/"' in page
    assert f"/citas/agendar/{schedule.service.slug}/{schedule.point.pk}/" in page
    schedule.active = False
    schedule.save()
    page = client.get(f"/tramites/{schedule.service.slug}/?localidad=08").content.decode()
    assert "/citas/agendar/" not in page
