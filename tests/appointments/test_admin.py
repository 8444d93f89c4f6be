"""Administrators set schedules as data; saving a change keeps bookings and tells the people it
leaves outside the new hours."""

from __future__ import annotations

import pytest
from django.test import Client

from tests import factories
from tests.appointments.conftest import at, holder
from ventanilla.appointments.models import Schedule
from ventanilla.appointments.services import booking_create
from ventanilla.notifications.models import Notification

pytestmark = pytest.mark.usefixtures("now")


def _form(schedule: Schedule, periods: list[tuple[int, str, str, int | None]]) -> dict[str, str]:
    data = {
        "point": str(schedule.point_id),
        "service": str(schedule.service_id),
        "name": "",
        "starts_on": "",
        "ends_on": "",
        "slot_minutes": "20",
        "capacity": "3",
        "min_notice_minutes": "60",
        "horizon_days": "30",
        "active": "on",
        "periods-TOTAL_FORMS": str(len(periods)),
        "periods-INITIAL_FORMS": str(sum(1 for p in periods if p[3])),
        "periods-MIN_NUM_FORMS": "0",
        "periods-MAX_NUM_FORMS": "1000",
    }
    for index, (weekday, opens, closes, pk) in enumerate(periods):
        data.update(
            {
                f"periods-{index}-weekday": str(weekday),
                f"periods-{index}-opens": opens,
                f"periods-{index}-closes": closes,
                f"periods-{index}-schedule": str(schedule.pk),
            }
        )
        if pk:
            data[f"periods-{index}-id"] = str(pk)
    return data


def test_saving_new_hours_keeps_bookings_and_tells_those_outside(
    client: Client, schedule: Schedule
) -> None:
    staff = factories.user(staff=True, is_superuser=True)
    factories.enrol_totp(staff)
    client.force_login(staff)
    inside = booking_create(
        point=schedule.point, service=schedule.service, starts_at=at(1, 9), holder=holder("111111")
    )
    outside = booking_create(
        point=schedule.point, service=schedule.service, starts_at=at(1, 15), holder=holder("222222")
    )
    url = f"/admin/appointments/schedule/{schedule.pk}/change/"
    assert client.get(url).status_code == 200
    kept = [(p.weekday, "08:00", "12:00", p.pk) for p in schedule.periods.filter(opens="08:00")]
    dropped = [(p.weekday, "14:00", "17:00", p.pk) for p in schedule.periods.filter(opens="14:00")]
    data = _form(schedule, kept + dropped)
    for index in range(len(kept), len(kept) + len(dropped)):
        data[f"periods-{index}-DELETE"] = "on"
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    assert "Avisamos a 1 persona" in response.content.decode()
    assert schedule.periods.count() == 5
    told = Notification.objects.filter(event="appointment_affected", channel="email")
    assert list(told.values_list("reference", flat=True)) == [outside.code]
    for booking in (inside, outside):
        booking.refresh_from_db()
        assert booking.is_active


def test_a_campaign_needs_both_dates(client: Client, schedule: Schedule) -> None:
    staff = factories.user(staff=True, is_superuser=True)
    factories.enrol_totp(staff)
    client.force_login(staff)
    data = _form(schedule, [])
    data["starts_on"] = "2027-01-05"
    response = client.post("/admin/appointments/schedule/add/", data)
    assert "Una jornada necesita fecha de inicio y de fin" in response.content.decode()
    assert Schedule.objects.count() == 1


def test_deleting_a_schedule_tells_its_pending_bookings(client: Client, schedule: Schedule) -> None:
    staff = factories.user(staff=True, is_superuser=True)
    factories.enrol_totp(staff)
    client.force_login(staff)
    booking = booking_create(
        point=schedule.point, service=schedule.service, starts_at=at(1, 9), holder=holder("111111")
    )
    client.post(f"/admin/appointments/schedule/{schedule.pk}/delete/", {"post": "yes"})
    assert not Schedule.objects.exists()
    told = Notification.objects.filter(event="appointment_affected", channel="email")
    assert list(told.values_list("reference", flat=True)) == [booking.code]
